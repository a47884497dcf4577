"""`smaudit stats`: several batches of results → one statistics workbook with charts, plus a CSV."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from ..labels import MODE_ZH
from ..stats import batches_frame, cooccurrence
from .atomic import atomic_path
from .stats_sheet import write_frame, write_statistics


def write_stats_book(batches: Sequence[tuple[str, list[dict[str, object]]]], path: Path) -> Path:
    """Write stats.xlsx (模式统计, 模式共现, 明细) and stats.csv beside it; returns the CSV path."""
    frame = batches_frame(batches)
    wb = Workbook()
    write_statistics(wb.active, frame, by_batch=len(batches) > 1)
    wb.active.title = "模式统计"
    co = cooccurrence(frame)
    co.index = [f"{m} {MODE_ZH[m]}" for m in co.index]
    co.insert(0, "模式", co.index)
    write_frame(wb.create_sheet("模式共现"), 1, "同时有证据的申报材料数（对角线为该模式有证据的材料数）", co)
    detail = frame.rename(columns={"batch": "批次", "submission": "申报材料", "track": "申报类别", "city": "城市",
                                   "mode": "模式编号", "status": "状态"})
    write_frame(wb.create_sheet("明细"), 1, "每份申报材料 × 模式", detail, headers={})
    with atomic_path(path) as tmp:
        wb.save(tmp)
    csv_path = path.with_suffix(".csv")
    frame.to_csv(csv_path, index=False, encoding="utf-8-sig")  # BOM: Excel opens the Chinese correctly
    return csv_path
