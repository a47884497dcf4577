from __future__ import annotations

import pytest

from extractors.furniture import repeated_lines, split_furniture
from extractors.pdf_tables import bounds_to_segments, group_segments, join_continued, read_table

HEAD = ("项目", "2023年", "2024年")


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        # split by a page break, header repeated on the next page → one table, header once
        ([(1, [(HEAD, ("营业收入", "1", "2"))]), (2, [(HEAD, ("服务收入", "3", "4"))])],
         [(1, (HEAD, ("营业收入", "1", "2"), ("服务收入", "3", "4")))]),
        # columns differ → two tables
        ([(1, [(HEAD, ("a", "1", "2"))]), (2, [(("x", "y"), ("1", "2"))])], [(1, (HEAD, ("a", "1", "2"))), (2, (("x", "y"), ("1", "2")))]),
        # a page without tables in between → not a continuation
        ([(1, [(HEAD,)]), (2, []), (3, [(HEAD, ("b", "5", "6"))])], [(1, (HEAD,)), (3, (HEAD, ("b", "5", "6")))]),
    ],
)
def test_pdf_tables_join_continued(pages, expected) -> None:
    assert join_continued(pages) == expected


def test_pdf_tables_grid_with_merged_cell() -> None:
    # A 2×3 grid whose top row is one merged cell (no inner vertical border in the top row).
    xs, ys = (0.0, 100.0, 200.0, 300.0), (200.0, 180.0, 160.0)
    bounds = [(0.0, y - 0.5, 300.0, y + 0.5) for y in ys]
    bounds += [(x - 0.5, 160.0, x + 0.5, 200.0) for x in (xs[0], xs[3])]
    bounds += [(x - 0.5, 160.0, x + 0.5, 180.0) for x in (xs[1], xs[2])]
    groups = group_segments(bounds_to_segments(bounds, 600, 800))
    assert len(groups) == 1

    def text_in(left: float, bottom: float, right: float, top: float) -> str:
        return f"{left:.0f}-{right:.0f}@{top:.0f}"

    table = read_table(groups[0], text_in)
    assert table == (("0-300@200", "", ""), ("0-100@180", "100-200@180", "200-300@180"))


def test_furniture_headers_footers_and_page_numbers_removed() -> None:
    pages = [f"大连恒通重工申报书\n正文第{i}页的内容。\n更多内容。\n- {i} -" for i in range(1, 6)]
    furniture = repeated_lines(pages)
    body, removed, printed = split_furniture(pages[2], furniture)
    assert "大连恒通重工申报书" not in body and "正文第3页的内容。" in body
    assert removed == ["大连恒通重工申报书", "- 3 -"]
    assert printed == 3


def test_pdf_tables_cell_text_reading_order() -> None:
    from extractors.pdf_tables import Char, cell_text

    # The tick was drawn last (another font); small punctuation sits low on its line.
    chars = [Char(20, 100, 30, 110, "示"), Char(30, 100, 40, 110, "范"), Char(10, 100, 20, 110, "☑"),
             Char(20, 80, 30, 90, "1"), Char(30, 80, 33, 83, ","), Char(33, 80, 43, 90, "2")]
    assert cell_text(chars, (0, 70, 100, 120)) == "☑示范1,2"
    assert cell_text(chars, (0, 95, 100, 120)) == "☑示范"


def test_money_unit_column() -> None:
    from matchers.money import table_figures

    rows = (("项目", "2023年度", "2024年度", "单位"), ("营业收入", "352806400", "412856300", "元"),
            ("其中：运维服务收入", "46108300", "96412580", "元"))
    (f23, f24) = table_figures(rows, "", "x")
    assert (f24.year, f24.total_wan, f24.service_wan) == (2024, 41285.63, 9641.258)
