"""Cell writing shared by every sheet: applicant text is data, never a formula."""

from __future__ import annotations

import re
import weakref
from copy import copy

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


# Per workbook: (style before, attribute ids) → (finished style, the attribute objects, kept alive so ids stay theirs).
_STYLES: weakref.WeakKeyDictionary[object, dict[tuple[object, ...], tuple[object, tuple[object, ...]]]] = (
    weakref.WeakKeyDictionary())


def style(cell: Cell, **attrs: object) -> Cell:
    """Set fill, font, alignment or number_format, copying the finished style of an earlier cell styled alike.

    openpyxl hashes every Fill and Font on assignment to find its index in the workbook; on a
    provincial batch's 4,000-row evidence sheet that was a sixth of the whole re-run. Pass
    long-lived style objects (module constants): they are recognised by identity.
    """
    styles = _STYLES.setdefault(cell.parent.parent, {})
    key = (tuple(cell._style or ()), *((name, id(value)) for name, value in attrs.items()))
    done = styles.get(key)
    if done is None:
        for name, value in attrs.items():
            setattr(cell, name, value)
        styles[key] = (copy(cell._style), tuple(attrs.values()))
    else:
        cell._style = copy(done[0])
    return cell


def print_setup(ws: Worksheet) -> None:
    """Landscape, one page wide: a printed sheet keeps all its columns together."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
