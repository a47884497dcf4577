"""Reviewers' work survives a re-run: values kept by key, changes flagged, vanished rows kept."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from application_builder import PROSE, write_application
from openpyxl import load_workbook

from pipeline.cli import main


def _audit(batch: Path, xlsx: Path) -> int:
    return main(["audit", str(batch), "-o", str(xlsx), "--workers", "1", "-q"])


def _col(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def _row(ws, submission: str, target: str | None = None) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value == submission and (target is None or ws.cell(row, 2).value == target):
            return row
    raise AssertionError((submission, target))


def test_review_values_survive_rerun(batch: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "out" / "audit.xlsx"
    assert _audit(batch, xlsx) == 0
    wb = load_workbook(xlsx)
    ev, summary = wb["证据"], wb["汇总"]
    m08 = _row(ev, "01-good", "M08")
    assert ev.cell(m08, _col(ev, "状态")).value == "negated"
    ev.cell(m08, _col(ev, "审核结论")).value = "需补充材料"
    ev.cell(m08, _col(ev, "审核意见")).value = "=请核实合同能源管理情况"
    ev.cell(m08, _col(ev, "审核人")).value = "张三"
    ev.cell(_row(ev, "01-good", "M03"), _col(ev, "审核结论")).value = "通过"
    ev.cell(_row(ev, "02-bad", "M01"), _col(ev, "审核意见")).value = "材料损坏，待补交"
    summary.cell(_row(summary, "01-good"), _col(summary, "审核结论")).value = "待复核"
    summary.cell(_row(summary, "01-good"), _col(summary, "审核日期")).value = dt.datetime(2026, 11, 20)
    wb.save(xlsx)

    # The applicant amends the package: M08 is now practised; the broken package is withdrawn.
    prose = [p for p in PROSE if "合同能源管理" not in p] + ["公司已为鞍钢等5家企业实施合同能源管理项目，年节能2.1万吨标准煤。"]
    write_application(batch / "01-good" / "申报书.docx", prose)
    shutil.rmtree(batch / "02-bad")
    assert _audit(batch, xlsx) == 0

    wb = load_workbook(xlsx)
    ev, summary = wb["证据"], wb["汇总"]
    m08 = _row(ev, "01-good", "M08")
    assert ev.cell(m08, _col(ev, "状态")).value == "evidenced"
    assert ev.cell(m08, _col(ev, "审核结论")).value == "需补充材料"
    assert ev.cell(m08, _col(ev, "审核意见")).value == "=请核实合同能源管理情况"
    assert ev.cell(m08, _col(ev, "审核意见")).data_type == "s"
    assert ev.cell(m08, _col(ev, "审核人")).value == "张三"
    assert ev.cell(m08, _col(ev, "机审结果变化")).value == "原：negated → 现：evidenced"
    m03 = _row(ev, "01-good", "M03")
    assert ev.cell(m03, _col(ev, "审核结论")).value == "通过"
    assert ev.cell(m03, _col(ev, "机审结果变化")).value is None
    srow = _row(summary, "01-good")
    assert summary.cell(srow, _col(summary, "审核结论")).value == "待复核"
    assert summary.cell(srow, _col(summary, "审核日期")).value == dt.datetime(2026, 11, 20)
    history = [list(r) for r in wb["历史意见"].iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == "02-bad" and r[1] == "M01" and "材料损坏，待补交" in r for r in history)
    backups = list(xlsx.parent.glob("audit.备份-*.xlsx"))
    assert backups, "the previous workbook is kept as a backup"


def test_review_dropdown_lists_on_hidden_sheet(batch: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "audit.xlsx"
    assert _audit(batch, xlsx) == 0
    wb = load_workbook(xlsx)
    assert wb["选项"].sheet_state == "hidden"
    formulas = {dv.formula1 for dv in wb["证据"].data_validations.dataValidation}
    assert "=选项!$A$1:$A$4" in formulas


def test_review_unreadable_previous_workbook_is_not_overwritten(batch: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "audit.xlsx"
    xlsx.write_bytes(b"not a workbook")
    assert _audit(batch, xlsx) == 2
    assert xlsx.read_bytes() == b"not a workbook"
