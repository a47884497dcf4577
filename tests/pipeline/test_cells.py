from __future__ import annotations

import pytest
from openpyxl import Workbook

from pipeline.writers.cells import EXCEL_CELL_LIMIT, TRUNCATED_MARK, put, safe


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+86 0411", "-1+2", "@SUM(A1)", "=1+1"])
def test_cells_formula_like_text_stays_text(text: str) -> None:
    ws = Workbook().active
    cell = put(ws, 1, 1, text)
    assert cell.value == text and cell.data_type == "s"


def test_cells_control_characters_removed_and_long_text_truncated() -> None:
    assert safe("公司\x00简介\x1f") == "公司简介"
    long = "证" * (EXCEL_CELL_LIMIT + 100)
    cut = safe(long)
    assert isinstance(cut, str) and len(cut) == EXCEL_CELL_LIMIT and cut.endswith(TRUNCATED_MARK)
    assert safe(12.5) == 12.5
