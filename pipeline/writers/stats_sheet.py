"""Mode statistics as Excel tables with native bar charts (audit workbook and `smaudit stats`)."""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ..stats import prevalence
from .cells import HEADER_FILL, HEADER_FONT, print_setup, put

STAT_HEADERS = {"track": "申报类别", "city": "城市", "batch": "批次", "mode": "模式编号", "mode_name": "模式名称",
                "evidenced": "有证据", "planned": "仅计划", "negated": "明确未开展", "mentioned": "仅提及", "absent": "未发现",
                "submissions": "申报材料数", "evidenced_share": "有证据占比"}


def write_statistics(ws: Worksheet, frame: pd.DataFrame, by_batch: bool = False) -> None:
    """Counts and shares per mode × status: overall, by track, by city (and by batch), with a chart."""
    groups: list[tuple[str, tuple[str, ...]]] = [("全部申报材料", ())]
    if by_batch:
        groups.append(("按批次", ("batch",)))
    groups += [("按申报类别", ("track",)), ("按城市", ("city",))]
    row = 1
    first_table: tuple[int, int] | None = None
    for title, by in groups:
        table = prevalence(frame, by) if not frame.empty else pd.DataFrame()
        start = row + 1
        row = write_frame(ws, row, title, table) + 1
        if first_table is None and not table.empty:
            first_table = (start, start + len(table))
    if first_table:
        _chart(ws, *first_table)
    for col, width in zip("ABCDEFGHIJKL", (16, 18, 18, 18, 10, 10, 10, 10, 10, 10, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    print_setup(ws)
    ws.print_title_rows = None


def write_frame(ws: Worksheet, row: int, title: str, frame: pd.DataFrame, headers: dict[str, str] | None = None) -> int:
    """A titled table; returns the last row written."""
    put(ws, row, 1, title).font = Font(bold=True, size=12)
    row += 1
    names = headers or STAT_HEADERS
    for col, name in enumerate(frame.columns, start=1):
        cell = put(ws, row, col, names.get(str(name), str(name)))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for values in frame.itertuples(index=False):
        row += 1
        for col, value in enumerate(values, start=1):
            cell = put(ws, row, col, value.item() if hasattr(value, "item") else value)
            if frame.columns[col - 1] == "evidenced_share":
                cell.number_format = "0.0%"
    return row + 1


def _chart(ws: Worksheet, header_row: int, last_row: int) -> None:
    """Bar chart of evidenced / planned / mentioned counts per mode, beside the overall table."""
    chart = BarChart()
    chart.type = "col"
    chart.title = "各服务模式普及情况（申报材料数）"
    chart.y_axis.title = "申报材料数"
    chart.x_axis.title = "服务模式"
    chart.height, chart.width = 9, 22
    headers = [c.value for c in ws[header_row]]
    for name in ("有证据", "仅计划", "仅提及"):
        col = headers.index(name) + 1
        chart.add_data(Reference(ws, min_col=col, min_row=header_row, max_row=last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=headers.index("模式名称") + 1, min_row=header_row + 1, max_row=last_row))
    ws.add_chart(chart, "P2")
