"""Revenue figures from tables and prose, in 万元, per year."""

from __future__ import annotations

import pytest

from matchers.money import YearFigures, best_year, parse_amount, parse_ratio, prose_figures, table_figures

# fmt: off
AMOUNT_CASES = [
    ("12,345.60", "元", 1.23456),
    ("3.2亿", "万元", 32000.0),
    ("3.2亿元", "元", 32000.0),      # a unit in the cell beats the table's unit
    ("4567万元", "元", 4567.0),
    ("4567", "万元", 4567.0),
    ("1,234", "千元", 123.4),
    ("12，345", "万元", 12345.0),    # full-width comma
    ("28 500", "万元", 28500.0),     # a space inside the number
    ("—", "万元", None),
    ("", "万元", None),
]
# fmt: on


@pytest.mark.parametrize(("cell", "unit", "wan"), AMOUNT_CASES)
def test_money_parse_amount(cell: str, unit: str, wan: float | None) -> None:
    result = parse_amount(cell, unit)
    if wan is None:
        assert result is None
    else:
        # Amounts are kept to 4 decimals of 万元, i.e. to the yuan.
        assert result == pytest.approx(wan, abs=1e-4)


@pytest.mark.parametrize(("cell", "ratio"), [("36.9%", 0.369), ("36.9％", 0.369), ("0.25", 0.25), ("高", None)])
def test_money_parse_ratio(cell: str, ratio: float | None) -> None:
    assert parse_ratio(cell) == ratio


# fmt: off
HEADER_TABLE = (
    ("项目", "2023年", "2024年", "2025年1-6月"),
    ("营业收入", "28,500", "32,000", "15,000"),
    ("其中：服务收入", "8,100", "11,800", "6,000"),
    ("服务收入占比", "28.4%", "36.9%", "40.0%"),
)
# fmt: on


def test_money_table_figures_years_across() -> None:
    figures = table_figures(HEADER_TABLE, "", "a.pdf 第3页")
    assert [(f.year, f.complete, f.total_wan, f.service_wan, f.ratio) for f in figures] == [
        (2023, True, 28500.0, 8100.0, 0.284),
        (2024, True, 32000.0, 11800.0, 0.369),
        (2025, False, 15000.0, 6000.0, 0.4),
    ]
    assert {f.where for f in figures} == {"a.pdf 第3页"}


# fmt: off
PARTIAL_YEAR_CASES = [
    ("2025年1-6月", False),
    ("2025年上半年", False),
    ("截至2025年6月", False),
    ("2025年度", True),
    ("2025", True),
    ("2025年1-12月", True),
]
# fmt: on


@pytest.mark.parametrize(("header", "complete"), PARTIAL_YEAR_CASES)
def test_money_table_figures_partial_year(header: str, complete: bool) -> None:
    figures = table_figures((("项目", header), ("营业收入", "100")), "", "x")
    assert [(f.year, f.complete) for f in figures] == [(2025, complete)]


@pytest.mark.parametrize(
    ("caption", "total"),
    [("表1 主要经营指标（单位：元）", 2.85), ("单位：亿元", 285000000.0), ("表1 主要经营指标", 28500.0)],
)
def test_money_table_figures_unit_in_caption(caption: str, total: float) -> None:
    figures = table_figures(HEADER_TABLE, caption, "x")
    assert figures[0].total_wan == pytest.approx(total)


def test_money_table_figures_unit_in_label() -> None:
    rows = (("项目", "2024年"), ("营业收入（元）", "320,000,000"), ("服务收入（万元）", "11,800"))
    (figure,) = table_figures(rows, "", "x")
    assert (figure.total_wan, figure.service_wan) == (32000.0, 11800.0)


# fmt: off
TRANSPOSED_CASES = [
    (("年度", "营业收入", "服务收入"), ("2023年", "28500", "8100"), ("2024年", "31500", "11800")),
    pytest.param(
        (("年度", "营业收入", "服务收入"), ("2023年", "28500", "8100"), ("2024年", "32000", "11800"))),
]
# fmt: on


@pytest.mark.parametrize("rows", TRANSPOSED_CASES)
def test_money_table_figures_transposed(rows: tuple[tuple[str, ...], ...]) -> None:
    figures = table_figures(rows, "", "x")
    assert [(f.year, f.total_wan, f.service_wan) for f in figures] == [(2023, 28500.0, 8100.0), (2024, float(rows[2][1]), 11800.0)]


@pytest.mark.parametrize("rows", [(("项目", "说明"), ("营业收入", "较上年增长")), ()])
def test_money_table_figures_no_years(rows: tuple[tuple[str, ...], ...]) -> None:
    assert table_figures(rows, "", "x") == []


# fmt: off
PROSE_CASES = [
    ("2024年公司实现营业收入3.2亿元，其中服务收入1.18亿元，占比36.9%。", (2024, 32000.0, 11800.0, 0.369)),
    ("2023年度，公司营业收入28,500万元。", (2023, 28500.0, None, None)),
    ("2024年服务型制造收入达到5600万元。", (2024, None, 5600.0, None)),
    pytest.param("2024年1-12月公司实现营业收入3.2亿元。", (2024, 32000.0, None, None)),
]
# fmt: on


@pytest.mark.parametrize(("sentence", "expected"), PROSE_CASES)
def test_money_prose_figures(sentence: str, expected: tuple[object, ...]) -> None:
    (figure,) = prose_figures(sentence, "b.docx")
    assert (figure.year, figure.total_wan, figure.service_wan, figure.ratio) == expected
    assert figure.complete and not figure.from_table


@pytest.mark.parametrize(
    "sentence",
    ["2025年1-6月公司实现营业收入1.5亿元。", "2025年上半年公司实现营业收入1.5亿元。", "公司实现营业收入3.2亿元。",
     "2024年公司新增客户30家。"],
)
def test_money_prose_figures_none(sentence: str) -> None:
    assert prose_figures(sentence, "b.docx") == []


def test_money_best_year_most_recent_complete() -> None:
    best = best_year(table_figures(HEADER_TABLE, "", "x"))
    assert best is not None and (best.year, best.complete) == (2024, True)


def test_money_best_year_table_wins_over_prose() -> None:
    prose = YearFigures(2024, True, 30000.0, 9000.0, None, "b.docx", from_table=False)
    table = YearFigures(2024, True, 32000.0, None, None, "a.pdf 第3页")
    best = best_year([prose, table])
    assert best is not None
    assert (best.total_wan, best.service_wan, best.where) == (32000.0, 9000.0, "a.pdf 第3页")


def test_money_best_year_prefers_year_with_both_figures() -> None:
    older = YearFigures(2023, True, 28500.0, 8100.0)
    newer = YearFigures(2024, True, 32000.0, None)
    best = best_year([older, newer])
    assert best is not None and best.year == 2023


@pytest.mark.parametrize(
    "figures",
    [[], [YearFigures(2025, False, 15000.0, 6000.0)], [YearFigures(2024, True, None, 11800.0)]],
)
def test_money_best_year_none(figures: list[YearFigures]) -> None:
    assert best_year(figures) is None


@pytest.mark.parametrize(
    ("sentence", "ratio"),
    [
        ("2024年公司服务收入占比42.3%。", 0.423),
        ("其中运维服务收入合计1.13亿元，占营业收入的26.9%。", 0.269),
        ("2024年研发投入占营业收入的5.2%。", None),  # a share, but not of service revenue
        ("2024年出口占比35%。", None),
    ],
)
def test_money_prose_ratio_only_of_service(sentence: str, ratio: float | None) -> None:
    from matchers.money import _prose_ratio

    assert _prose_ratio(sentence) == ratio


def test_fields_stated_share_beats_a_partial_service_line() -> None:
    from extractors.model import Block, Document
    from matchers.catalog import load_catalog
    from matchers.fields import read_fields

    doc = Document("case.docx", "docx", (Block(0, None, "2024年，公司实现营业收入12.3亿元，服务收入占比31.5%。"),
                                         Block(1, None, "2024年检测中心出具检测报告2300余份，检测服务收入2650万元。")))
    fields = read_fields([], [doc], load_catalog())
    # the service amount is then derived from the stated share, so the three figures agree
    assert (fields.total_revenue_wan, fields.service_revenue_wan, fields.service_ratio) == (123000.0, 38745.0, 0.315)
