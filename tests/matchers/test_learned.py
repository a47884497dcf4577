"""The sentence model beside the rules: its arithmetic, its guards, and that the shipped file is what the data train."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from extractors.model import Block, Document
from matchers.analyze import analyze, scanner_for
from matchers.catalog import CatalogError, default_dir, load_catalog
from matchers.learned import (
    SentenceModel,
    blocked,
    features,
    load_model,
    model_findings,
    probabilities,
    save_model,
)
from matchers.model import Finding
from matchers.scan import sentence_context

ROOT = Path(__file__).resolve().parents[2]


def _tiny() -> SentenceModel:
    # one mode; the n-gram 维修 pushes it up, 计划 down
    return SentenceModel(("M06",), {"维修": 0, "计划": 1}, np.array([[6.0], [-6.0]]), np.array([-1.0]))


def test_features_are_distinct_character_ngrams_with_numbers_as_one_symbol() -> None:
    assert features("年产3万台") == features("年产12万台")
    assert features("ab") == {"a", "b", "ab"}
    assert "0万" in features("3万")


def test_probability_is_a_logistic_of_the_normalised_ngram_sum() -> None:
    text = "上门维修"
    n = len(features(text))
    expected = 1 / (1 + math.exp(-(-1.0 + 6.0 / math.sqrt(n))))
    assert probabilities(_tiny(), text)[0] == pytest.approx(expected)
    assert probabilities(_tiny(), "上门服务")[0] == pytest.approx(1 / (1 + math.exp(1.0)))


def test_a_saved_model_loads_with_the_same_probabilities(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    save_model(_tiny(), path, {"note": "test"})
    loaded = load_model(path)
    assert loaded.modes == ("M06",)
    assert probabilities(loaded, "提供维修服务")[0] == pytest.approx(probabilities(_tiny(), "提供维修服务")[0])


@pytest.mark.parametrize(("text", "why"), [
    ("公司计划明年为客户提供设备上门维修和定期保养服务。", "计划"),
    ("公司尚未开展设备远程运维服务。", "否定"),
    ("某某节能公司为本公司下属工厂提供合同能源管理服务。", "接受方"),
])
def test_plans_denials_and_services_received_are_never_evidence(text: str, why: str) -> None:
    assert why in blocked(sentence_context(text, scanner_for(None)))


def test_a_plain_fact_is_not_blocked() -> None:
    assert blocked(sentence_context("公司为用户提供设备上门维修和定期保养，全年完成现场服务1200次。", scanner_for(None))) == ""


def test_a_sentence_under_a_plan_heading_is_blocked() -> None:
    assert blocked(sentence_context("为用户提供设备上门维修服务。", scanner_for(None), in_plan=True)) == "位于计划/展望章节"


def _findings(status: str = "absent") -> dict[str, Finding]:
    return {f"M{i:02d}": Finding(f"M{i:02d}", status, 0.0, (), "") for i in range(1, 11)}


# Practice told in words the term lists do not hold (real-text shapes: field repair, customer training).
FIELD_SERVICE = "公司派出的服务工程师在客户现场连续抢修七十二小时，帮助用户的故障机组恢复并网发电。"


def test_the_model_promotes_a_mode_the_rules_left_absent() -> None:
    doc = Document("a.txt", "text", (Block(0, 3, FIELD_SERVICE),))
    finding = model_findings(_findings(), [doc], scanner_for(None))["M06"]
    assert finding.status == "evidenced"
    assert finding.evidence[0].text == FIELD_SERVICE
    assert finding.evidence[0].page == 3
    assert "模型判断" in finding.reason


def test_the_model_never_overrides_a_plan_or_a_denial_the_rules_found() -> None:
    doc = Document("a.txt", "text", (Block(0, 1, FIELD_SERVICE),))
    for status in ("planned", "negated"):
        assert model_findings(_findings(status), [doc], scanner_for(None))["M06"].status == status


def test_a_planned_version_of_the_same_sentence_is_not_promoted() -> None:
    doc = Document("a.txt", "text", (Block(0, 1, "公司计划今后" + FIELD_SERVICE),))
    assert model_findings(_findings(), [doc], scanner_for(None))["M06"].status == "absent"


def test_tables_and_headings_are_not_read_by_the_model() -> None:
    doc = Document("a.txt", "text", (Block(0, 1, "（三）完善售后服务流程和维修人才队伍"),
                                     Block(0, 1, FIELD_SERVICE, table=((FIELD_SERVICE,),))))
    assert model_findings(_findings(), [doc], scanner_for(None))["M06"].status == "absent"


def _lexicon_copy(tmp_path: Path, section: str | None) -> Path:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(default_dir(), lexicon, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    catalog = lexicon / "criteria.yaml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("sentence_model:")
    end = text.index("\n\n", start)
    catalog.write_text(text[:start] + (section or "") + text[end + 2 :], encoding="utf-8")
    return lexicon


def test_without_its_catalog_section_the_audit_uses_the_rules_only(tmp_path: Path) -> None:
    lexicon = _lexicon_copy(tmp_path, None)
    assert load_catalog(lexicon).sentence_model is None
    doc = Document("a.txt", "text", (Block(0, 1, FIELD_SERVICE),))
    assert analyze([doc], lexicon).modes["M06"].status != "evidenced"
    assert analyze([doc]).modes["M06"].status == "evidenced"


def _tiny_lexicon(tmp_path: Path, threshold: float, hint: float | None) -> Path:
    section = f"sentence_model:\n  file: model/tiny.json\n  threshold: {threshold}\n"
    lexicon = _lexicon_copy(tmp_path, section + (f"  hint_threshold: {hint}\n" if hint else "") + "\n")
    save_model(_tiny(), lexicon / "model" / "tiny.json", {})
    return lexicon


LIKELY = "公司为客户维修了三台设备。"  # the tiny model gives it about 0.55


def test_a_likely_sentence_below_the_threshold_is_a_lead_that_changes_nothing(tmp_path: Path) -> None:
    assert 0.5 <= probabilities(_tiny(), LIKELY)[0] < 0.95
    scanner = scanner_for(_tiny_lexicon(tmp_path, 0.95, 0.5))
    doc = Document("a.txt", "text", (Block(0, 2, LIKELY),))
    for status in ("absent", "mentioned"):
        finding = model_findings(_findings(status), [doc], scanner)["M06"]
        assert finding.status == status and finding.evidence == ()
        assert [h.text for h in finding.hints] == [LIKELY] and finding.hints[0].page == 2
        assert "模型线索" in finding.hints[0].reason and finding.hints[0].score == pytest.approx(
            probabilities(_tiny(), LIKELY)[0], abs=1e-3)


def test_no_leads_without_a_hint_threshold_or_for_plans(tmp_path: Path) -> None:
    doc = Document("a.txt", "text", (Block(0, 1, LIKELY),))
    assert model_findings(_findings(), [doc], scanner_for(_tiny_lexicon(tmp_path / "a", 0.95, None)))["M06"].hints == ()
    scanner = scanner_for(_tiny_lexicon(tmp_path / "b", 0.95, 0.5))
    assert model_findings(_findings("planned"), [doc], scanner)["M06"].hints == ()
    planned = Document("a.txt", "text", (Block(0, 1, "公司计划明年" + LIKELY),))
    assert model_findings(_findings(), [planned], scanner)["M06"].hints == ()


def test_a_promoted_mode_carries_no_leads(tmp_path: Path) -> None:
    finding = model_findings(_findings(), [Document("a.txt", "text", (Block(0, 1, LIKELY),))],
                             scanner_for(_tiny_lexicon(tmp_path, 0.5, 0.5)))["M06"]
    assert finding.status == "evidenced" and finding.hints == ()


@pytest.mark.parametrize(("section", "message"), [
    ("sentence_model:\n  file: model/sentences.json\n  threshold: 0.8\n  hint_threshold: 0.9\n\n", "hint_threshold"),
    ("sentence_model:\n  file: model/missing.json\n  threshold: 0.75\n\n", "文件不存在"),
    ("sentence_model:\n  file: model/sentences.json\n  threshold: 1.5\n\n", "0 与 1 之间"),
    ("sentence_model: model/sentences.json\n\n", "应为映射"),
])
def test_a_bad_model_section_is_a_catalog_error_in_chinese(tmp_path: Path, section: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load_catalog(_lexicon_copy(tmp_path, section))


def test_the_shipped_model_is_what_the_training_data_train() -> None:
    """A stale or hand-edited model file fails here: retrain with `smaudit train-model samples/train`."""
    pytest.importorskip("sklearn")
    from pipeline.train import read_sentences, train

    shipped = load_catalog().sentence_model
    assert shipped is not None
    meta = json.loads(shipped.read_text(encoding="utf-8"))["meta"]
    data = sorted((ROOT / "samples" / "train").glob("*.jsonl"))
    assert sorted(p.name for p in data) == meta["data"]
    fresh = train(read_sentences(data), float(meta["C"]))
    model = load_model(shipped)
    assert fresh.modes == model.modes and len(fresh.vocabulary) == len(model.vocabulary)
    for text in (FIELD_SERVICE, "公司2021年在深交所创业板上市。", "公司计划建设智能工厂。", "为客户量身定制家具。"):
        assert probabilities(fresh, text) == pytest.approx(probabilities(model, text), abs=2e-3)
