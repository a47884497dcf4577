"""Cell writing shared by every sheet: applicant text is data, never a formula."""

from __future__ import annotations

import re

from openpyxl.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

EXCEL_CELL_LIMIT = 32767
TRUNCATED_MARK = "…【内容过长已截断】"
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HEADER_FILL = PatternFill("solid", fgColor="305496")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def safe(value: object) -> object:
    """Control characters removed; Excel's 32,767-character cell limit kept, with a mark."""
    if not isinstance(value, str):
        return value
    value = CONTROL_RE.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - len(TRUNCATED_MARK)] + TRUNCATED_MARK
    return value


def put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    cell = ws.cell(row=row, column=col)
    cell.value = safe(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # '=SUM(…)' typed by an applicant stays text
    return cell


def print_setup(ws: Worksheet) -> None:
    """Landscape, one page wide: a printed sheet keeps all its columns together."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
