"""How often the machine's status agreed with the reviewers' verdicts in a worked workbook."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from .labels import target_zh

# Without a 人工状态, a verdict of 通过 accepts the machine's finding and 不通过 rejects it;
# 需补充材料 and 待复核 say nothing about the machine and are not counted.
VERDICT_AGREES = {"通过": True, "不通过": False}


@dataclass
class Tally:
    reviewed: int = 0
    agreed: int = 0

    @property
    def rate(self) -> float | None:
        return self.agreed / self.reviewed if self.reviewed else None


def agreement(path: Path) -> dict[str, Tally]:
    """Per mode/condition id: rows a reviewer judged and how many agreed with the machine."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb["证据"].iter_rows(values_only=True)
        headers = list(next(rows))
        col = {h: i for i, h in enumerate(headers)}
        tallies: dict[str, Tally] = defaultdict(Tally)
        for row in rows:
            target, machine = row[col["编号"]], row[col["状态"]]
            agrees = _agrees(machine, row[col["人工状态"]], row[col["审核结论"]])
            if target and agrees is not None:
                tally = tallies[str(target)]
                tally.reviewed += 1
                tally.agreed += agrees
    finally:
        wb.close()
    return dict(sorted(tallies.items()))


def _agrees(machine: object, reviewer_status: object, verdict: object) -> bool | None:
    if reviewer_status not in (None, ""):
        return str(reviewer_status).strip() == str(machine)
    return VERDICT_AGREES.get(str(verdict).strip()) if verdict else None


def format_agreement(tallies: dict[str, Tally]) -> str:
    lines = [f"{'编号':<8}{'名称':<26}{'已审核':>6}{'一致':>6}{'一致率':>8}"]
    total = Tally()
    for target, t in tallies.items():
        total.reviewed += t.reviewed
        total.agreed += t.agreed
        lines.append(f"{target:<8}{target_zh(target)[:12]:<26}{t.reviewed:>6}{t.agreed:>6}{t.rate:>8.1%}")
    if not total.reviewed:
        return "审核表中还没有可统计的审核结论（审核结论为“通过/不通过”，或填写了“人工状态”的行）。"
    lines.append(f"{'合计':<8}{'':<26}{total.reviewed:>6}{total.agreed:>6}{total.rate:>8.1%}")
    return "\n".join(lines)
