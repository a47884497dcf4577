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


def test_atomic_output_has_ordinary_permissions(tmp_path) -> None:
    import os
    import stat

    from pipeline.writers.atomic import atomic_path

    old = os.umask(0o022)
    try:
        target = tmp_path / "out" / "audit.jsonl"
        with atomic_path(target) as tmp:
            tmp.write_text("{}\n", encoding="utf-8")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        assert [p.name for p in target.parent.iterdir()] == ["audit.jsonl"]
        try:
            with atomic_path(target) as tmp:
                tmp.write_text("half", encoding="utf-8")
                raise RuntimeError("crash while writing")
        except RuntimeError:
            pass
        assert target.read_text(encoding="utf-8") == "{}\n"  # the old file is untouched
        assert [p.name for p in target.parent.iterdir()] == ["audit.jsonl"]  # no temporary left behind
    finally:
        os.umask(old)


def test_style_copies_a_finished_style_only_onto_cells_styled_alike(tmp_path) -> None:
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Alignment, PatternFill

    from pipeline.writers.cells import style

    yellow, red = PatternFill("solid", fgColor="FFF2CC"), PatternFill("solid", fgColor="FF0000")
    wrap = Alignment(wrap_text=True)
    wb = Workbook()
    ws = wb.active
    style(ws.cell(1, 1, "a"), fill=yellow)
    style(ws.cell(2, 1, "b"), fill=yellow)  # from the cache
    style(style(ws.cell(3, 1, "c"), fill=yellow), alignment=wrap)  # a cached fill, then more on top
    style(ws.cell(4, 1, "d"), fill=red)
    path = tmp_path / "s.xlsx"
    wb.save(path)
    back = load_workbook(path).active
    colors = [back.cell(r, 1).fill.fgColor.rgb[-6:] for r in range(1, 5)]
    assert colors == ["FFF2CC", "FFF2CC", "FFF2CC", "FF0000"]
    assert [back.cell(r, 1).alignment.wrap_text for r in range(1, 5)] == [None, None, True, None]
