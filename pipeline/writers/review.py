"""Reviewer columns: read them back from an earlier workbook and carry them into the new one.

Keys are (submission, id): the 汇总 row of a submission has id "" and each 证据 row
has its mode or condition id. A value is never dropped: rows whose key disappeared
go to the 历史意见 sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

REVIEW_HEADERS = ("审核结论", "审核意见", "审核人", "审核日期", "人工状态")
VERDICTS = ("通过", "需补充材料", "不通过", "待复核")
CHANGE_HEADER = "机审结果变化"
FINGERPRINT_HEADER = "机审结论"
HISTORY_HEADERS = ("申报材料", "编号", "当时机审结论", *REVIEW_HEADERS, "记录时间")

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Review:
    machine: str  # the machine's finding when the reviewer wrote
    values: tuple[object, ...]  # one per REVIEW_HEADERS

    @property
    def filled(self) -> bool:
        return any(v not in (None, "") for v in self.values)


@dataclass
class Reviews:
    rows: dict[Key, Review] = field(default_factory=dict)
    history: list[tuple[object, ...]] = field(default_factory=list)


def read_reviews(path: Path) -> Reviews:
    """Every filled reviewer row of an earlier smaudit workbook (and its 历史意见 sheet)."""
    # data_only=False: a reviewer who typed "=..." gets that text back rather than an empty cached value.
    wb = load_workbook(path, read_only=True, data_only=False)
    reviews = Reviews()
    try:
        for sheet, id_header in (("汇总", None), ("证据", "编号")):
            if sheet in wb.sheetnames:
                _read_sheet(wb[sheet], id_header, reviews)
        if "历史意见" in wb.sheetnames:
            rows = wb["历史意见"].iter_rows(min_row=2, values_only=True)
            reviews.history = [tuple(r) for r in rows if any(v not in (None, "") for v in r)]
    finally:
        wb.close()
    return reviews


def _read_sheet(ws: object, id_header: str | None, reviews: Reviews) -> None:
    rows = ws.iter_rows(values_only=True)  # type: ignore[attr-defined]
    headers = [str(h) if h is not None else "" for h in next(rows, ())]
    if "申报材料" not in headers or not all(h in headers for h in REVIEW_HEADERS):
        return
    col = {h: i for i, h in enumerate(headers)}
    for row in rows:
        name = row[col["申报材料"]] if col["申报材料"] < len(row) else None
        if not name:
            continue
        target = str(row[col[id_header]] or "") if id_header else ""
        values = tuple(row[col[h]] if col[h] < len(row) else None for h in REVIEW_HEADERS)
        machine = str(row[col[FINGERPRINT_HEADER]] or "") if FINGERPRINT_HEADER in col else ""
        review = Review(machine, values)
        if review.filled:
            reviews.rows[(str(name), target)] = review


def change_note(review: Review | None, machine_now: str) -> str | None:
    """'原：evidenced → 现：mentioned' when the machine changed its mind after a reviewer wrote."""
    if review is None or not review.filled or not review.machine or review.machine == machine_now:
        return None
    return f"原：{review.machine} → 现：{machine_now}"


def orphaned(reviews: Reviews, keys_now: Iterable[Key], when: str) -> list[tuple[object, ...]]:
    """Earlier history plus reviewer rows whose (submission, id) is gone from this run."""
    present = set(keys_now)
    lost = [(name, target, r.machine, *r.values, when) for (name, target), r in sorted(reviews.rows.items())
            if (name, target) not in present]
    return [*reviews.history, *lost]
