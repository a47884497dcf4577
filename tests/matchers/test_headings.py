"""A heading that names a practice, with the facts in the body under it."""

from __future__ import annotations

from extractors.model import Block, Document
from matchers.analyze import analyze

FORM = "申报类别\t☑示范企业 □示范项目 □示范平台"


def _modes(*blocks: str):
    doc = Document("a.docx", "docx", tuple(Block(i, 1, t) for i, t in enumerate((FORM, *blocks))))
    return analyze([doc]).modes


def test_heading_practice_with_facts_below_is_evidence_quoted_from_the_body() -> None:
    modes = _modes("二、主要做法", "（一）提供整线交钥匙工程",
                   "公司具备全流程能力。2024年，公司交付焊装整线项目31条，比行业平均周期缩短3个月。")
    m07 = modes["M07"]
    assert m07.status == "evidenced"
    quote = m07.evidence[0]
    assert quote.text == "2024年，公司交付焊装整线项目31条，比行业平均周期缩短3个月。"
    assert "（一）提供整线交钥匙工程" in quote.reason


def test_heading_without_facts_below_stays_a_mention() -> None:
    modes = _modes("（一）提供整线交钥匙工程", "公司重视用户需求，持续完善服务体系。")
    assert modes["M07"].status == "mentioned"


def test_heading_naming_what_a_project_builds_lends_nothing() -> None:
    modes = _modes("（一）建设三维协同设计平台", "引进三维设计软件，建立包含520个标准模块的设计库。")
    assert modes["M01"].status != "evidenced"


def test_heading_lends_only_to_the_section_under_it() -> None:
    modes = _modes("（一）提供整线交钥匙工程", "公司重视用户需求。", "（二）人员培训",
                   "2024年公司培训员工1500人次。")
    assert modes["M07"].status == "mentioned"


def test_heading_lends_to_at_most_two_fact_sentences_of_its_section() -> None:
    modes = _modes("（一）提供整线交钥匙工程", "2024年公司交付整线项目31个。", "2023年交付整线项目20个。",
                   "2022年交付整线项目12个。")
    assert [e.text for e in modes["M07"].evidence if "标题" in e.reason] == [
        "2024年公司交付整线项目31个。", "2023年交付整线项目20个。"]
