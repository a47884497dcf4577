"""Spreadsheets (.xlsx): every sheet becomes one table block, in the order of the workbook."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from .model import DEFAULT_LIMITS, Block, Document, Limits, Table, table_to_text
from .problems import problem
from .textclean import normalize

MAX_ROWS = 5000


def extract(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read the cell values (not formulas) of every sheet."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        return Document(rel, "xlsx", problems=(problem("corrupt", rel, detail=type(exc).__name__),))
    blocks: list[Block] = []
    try:
        for sheet_no, ws in enumerate(wb.worksheets, start=1):
            table = _sheet_rows(ws)
            if table:
                text = f"{ws.title}\n{table_to_text(table)}"
                blocks.append(Block(len(blocks), sheet_no, text, table, "table"))
    finally:
        wb.close()
    return Document(rel, "xlsx", tuple(blocks), () if blocks else (problem("no-text", rel),), pages=len(blocks))


def _sheet_rows(ws: object) -> Table:
    rows: list[tuple[str, ...]] = []
    for row in ws.iter_rows(values_only=True, max_row=MAX_ROWS):  # type: ignore[attr-defined]
        cells = tuple(_cell(v) for v in row)
        if any(cells):
            rows.append(cells)
    return tuple(rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize(str(value)).strip()
