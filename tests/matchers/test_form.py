"""The application form: ticked boxes, track, declared modes and platform type."""

from __future__ import annotations

import pytest

from extractors.model import Block, Document, table_to_text
from matchers.catalog import Catalog
from matchers.form import declared_modes, detect_track, iter_pairs, platform_type, ticked


def _form(*rows: tuple[str, ...]) -> Document:
    """A Word form with one table block."""
    table = tuple(rows)
    return Document("申报书.docx", "docx", (Block(0, 1, table_to_text(table), table, "table"),))


# fmt: off
TICKED_CASES = [
    ("☑示范企业 □示范项目 □示范平台", ["示范企业"]),
    ("□示范企业 ☑示范项目 □示范平台", ["示范项目"]),
    ("■示范平台", ["示范平台"]),
    ("√ 示范企业", ["示范企业"]),
    ("示范企业（√） 示范项目（ ）", ["示范企业"]),
    ("☑供应链管理 ☑全生命周期管理 □共享制造", ["供应链管理", "全生命周期管理"]),
    ("□示范企业 □示范项目", []),
    ("", []),
    pytest.param("示范企业☑ 示范项目□ 示范平台□", ["示范企业"]),
]
# fmt: on


@pytest.mark.parametrize(("value", "expected"), TICKED_CASES)
def test_form_ticked(value: str, expected: list[str]) -> None:
    assert ticked(value) == expected


# fmt: off
DETECT_TRACK_FROM_ROW_CASES = [
    ("申报类别", "☑示范企业 □示范项目 □示范平台", "enterprise"),
    ("申报类别", "□示范企业 ☑示范项目 □示范平台", "project"),
    ("申报类别", "□示范企业 □示范项目 ☑示范平台", "platform"),
    ("申报类别（请勾选）", "□示范企业 ☑示范项目 □示范平台", "project"),
    ("申报类型", "示范平台", "platform"),
    pytest.param("申报类别", "示范企业☑ 示范项目□ 示范平台□", "enterprise"),
]
# fmt: on


@pytest.mark.parametrize(("label", "value", "track"), DETECT_TRACK_FROM_ROW_CASES)
def test_form_detect_track_from_row(catalog: Catalog, label: str, value: str, track: str) -> None:
    doc = _form((label, value))
    assert detect_track(list(iter_pairs([doc])), [doc], catalog) == track


@pytest.mark.parametrize(
    ("texts", "track"),
    [
        (("辽宁省服务型制造示范平台申报书",), "platform"),
        (("服务型制造示范企业申报书", "一、企业基本情况"), "enterprise"),
        (("一、企业基本情况",), None),
    ],
)
def test_form_detect_track_from_titles(catalog: Catalog, texts: tuple[str, ...], track: str | None) -> None:
    doc = Document("材料.docx", "docx", tuple(Block(i, None, t) for i, t in enumerate(texts)))
    assert detect_track(list(iter_pairs([doc])), [doc], catalog) == track


def test_form_detect_track_from_label_line(catalog: Catalog) -> None:
    doc = Document("x.docx", "docx", (Block(0, None, "申报类别：☑示范企业 □示范项目"),))
    pairs = list(iter_pairs([doc]))
    assert [(p.label, p.value) for p in pairs] == [("申报类别", "☑示范企业 □示范项目")]
    assert detect_track(pairs, [doc], catalog) == "enterprise"


# fmt: off
DECLARED_MODES_CASES = [
    ("服务模式", "☑供应链管理 ☑全生命周期管理 □共享制造", ["M03", "M06"]),
    ("服务模式", "□工业设计服务 ☑检验检测认证服务", ["M05"]),
    ("服务模式", "☑其他创新模式", ["M10"]),
    ("服务模式", "供应链管理、总集成总承包", ["M03", "M07"]),
    ("项目类型", "☑节能环保服务 □共享制造", ["M08"]),
    ("服务模式", "□供应链管理 □共享制造", []),
    ("联系人", "☑供应链管理", []),
]
# fmt: on


@pytest.mark.parametrize(("label", "value", "modes"), DECLARED_MODES_CASES)
def test_form_declared_modes(catalog: Catalog, label: str, value: str, modes: list[str]) -> None:
    assert declared_modes(list(iter_pairs([_form((label, value))])), catalog) == modes


# fmt: off
PLATFORM_TYPE_CASES = [
    ("□面向行业或领域的专业服务平台 ☑面向区域的综合服务平台", "PLT-T2"),
    ("☑面向行业或领域的专业服务平台 □面向区域的综合服务平台", "PLT-T1"),
    ("面向区域的综合服务平台", "PLT-T2"),
    ("行业专业服务平台", "PLT-T1"),
]
# fmt: on


@pytest.mark.parametrize(("value", "kind"), PLATFORM_TYPE_CASES)
def test_form_platform_type(catalog: Catalog, value: str, kind: str) -> None:
    doc = _form(("平台类型", value))
    assert platform_type(list(iter_pairs([doc])), [doc], catalog) == kind


@pytest.mark.parametrize(
    ("row", "pairs"),
    [
        (("单位名称", "大连示范装备有限公司", "统一社会信用代码", "91110000600037341L"),
         [("单位名称", "大连示范装备有限公司"), ("统一社会信用代码", "91110000600037341L")]),
        # a merged cell repeated by the reader is kept once
        (("单位名称", "大连示范装备有限公司", "大连示范装备有限公司"), [("单位名称", "大连示范装备有限公司")]),
    ],
)
def test_form_iter_pairs_from_table(row: tuple[str, ...], pairs: list[tuple[str, str]]) -> None:
    assert [(p.label, p.value) for p in iter_pairs([_form(row)])] == pairs


@pytest.mark.parametrize(
    ("texts", "track"),
    [
        (["公司是一家重型装备企业，为客户提供远程运维服务。"], "enterprise"),
        (["本项目总投资1.2亿元。", "项目建成后年服务收入3000万元。", "本项目采用VMI模式。"], "project"),
        (["本平台面向全市中小企业。", "平台注册用户1200家。", "该平台提供检测服务。"], "platform"),
        ([""], None),
    ],
)
def test_form_infer_track_from_prose(texts: list[str], track: str | None) -> None:
    from extractors.model import Block, Document
    from matchers.form import infer_track

    doc = Document("case.txt", "text", tuple(Block(i, None, t) for i, t in enumerate(texts)))
    assert infer_track([doc]) == track


def test_fields_applicant_named_in_a_case_title() -> None:
    from extractors.model import Block, Document
    from matchers.catalog import load_catalog
    from matchers.fields import read_fields

    doc = Document("case.docx", "docx", (Block(0, None, "大连华锐重工集团股份有限公司：打造冶金装备全生命周期服务"),
                                         Block(1, None, "公司成立于1948年，是国内重型装备骨干企业。")))
    fields = read_fields([], [doc], load_catalog())
    assert fields.applicant == "大连华锐重工集团股份有限公司" and fields.city == "大连"


def _declared(catalog: Catalog, *blocks: Block) -> list[str]:
    doc = Document("申报书.docx", "docx", tuple(blocks))
    return declared_modes(list(iter_pairs([doc])), catalog, [doc])


def _table(*rows: tuple[str, ...]) -> Block:
    return Block(0, 1, table_to_text(tuple(rows)), tuple(rows), "table")


def test_declared_modes_in_rows_a_merged_label_spans(catalog: Catalog) -> None:
    table = _table(("服务模式", "☑供应链管理"), ("", "□共享制造"), ("", "☑全生命周期管理"), ("联系人", "☑总集成总承包"))
    assert _declared(catalog, table) == ["M03", "M06"]


def test_declared_modes_ticked_under_a_header_row(catalog: Catalog) -> None:
    table = _table(("工业设计服务", "定制化服务", "供应链管理", "共享制造"), ("", "√", "", "☑"))
    assert _declared(catalog, table) == ["M02", "M04"]


def test_declared_modes_in_a_checklist_with_a_mark_column(catalog: Catalog) -> None:
    table = _table(("模式名称", "是否申报"), ("检验检测认证服务", "√"), ("节能环保服务", ""), ("生产性金融服务", "（√）"))
    assert _declared(catalog, table) == ["M05", "M09"]


def test_declared_modes_written_as_a_sentence(catalog: Catalog) -> None:
    text = Block(0, 1, "本企业申报的服务模式为全生命周期管理和供应链管理，近三年服务收入持续增长。")
    assert _declared(catalog, text) == ["M03", "M06"]


def test_declared_modes_ignore_numbers_under_mode_names_and_long_sentences(catalog: Catalog) -> None:
    stats = _table(("工业设计服务", "供应链管理"), ("120", "35"))
    prose = _table(("做法", "公司通过供应链管理平台为客户提供服务"), ("成效", "√"))
    assert _declared(catalog, stats, prose) == []
