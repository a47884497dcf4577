from __future__ import annotations

import pytest

from matchers.catalog import load_catalog
from matchers.nlp import make_segmenter


@pytest.mark.parametrize("fast", [True, False])
def test_segmenter_keeps_every_lexicon_term_whole(fast: bool) -> None:
    catalog = load_catalog()
    segmenter = make_segmenter(catalog, fast=fast)
    split = [t.text for t in catalog.terms if [w for w in segmenter.cut(t.text, True) if w] != [t.text]]
    assert split == []


def test_segmenter_fast_and_pure_python_agree_on_business_prose() -> None:
    catalog = load_catalog()
    fast, slow = make_segmenter(catalog, fast=True), make_segmenter(catalog, fast=False)
    text = ("公司尚未开展合同能源管理业务。2024年公司为一汽解放等42家客户实施供应商管理库存（VMI），"
            "库存周转天数由38天降至21天；下一步计划建设共享制造平台，未来三年力争服务收入占比达到40%。")
    assert list(fast.cut(text, True)) == list(slow.cut(text, True))
