"""Score audit results against hand labels (gold JSONL in the output's own shape)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from matchers.catalog import MODE_IDS
from matchers.model import MODE_STATUSES

FIELD_NAMES = ("applicant", "credit_code", "credit_code_valid", "city", "in_liaoning", "year",
               "total_revenue_wan", "service_revenue_wan", "service_ratio")
MONEY_TOLERANCE = 0.01  # relative
RATIO_TOLERANCE = 0.005  # absolute


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    submissions: int = 0
    missing: list[str] = field(default_factory=list)
    evidenced: dict[str, Counts] = field(default_factory=lambda: {m: Counts() for m in MODE_IDS})
    status_right: int = 0
    status_total: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELD_NAMES, 0))
    field_total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELD_NAMES, 0))
    track_right: int = 0
    declared_right: int = 0
    condition_right: int = 0
    condition_total: int = 0
    problems_found: int = 0
    problems_total: int = 0
    # Sentence-model leads (hints): how many missed modes a reviewer reading them would have found, at what cost.
    missed_with_hint: int = 0
    hints_read: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for c in self.evidenced.values():
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        return total


def evaluate(predicted: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]]) -> Report:
    by_name = {p["submission"]: p for p in predicted}
    report = Report()
    for g in gold:
        p = by_name.get(g["submission"])
        if p is None:
            report.missing.append(g["submission"])
            p = {"modes": {}, "criteria": {}, "fields": {}, "problems": []}
        report.submissions += 1
        _modes(report, g, p)
        _fields(report, g, p)
        _conditions(report, g, p)
        _problems(report, g, p)
        report.track_right += g.get("track") == p.get("track")
        report.declared_right += sorted(g.get("declared_modes") or []) == sorted(p.get("declared_modes") or [])
    return report


def _status(record: dict[str, Any], key: str, target: str, default: str) -> str:
    return ((record.get(key) or {}).get(target) or {}).get("status", default)


def _modes(report: Report, g: dict[str, Any], p: dict[str, Any]) -> None:
    for mode in MODE_IDS:
        gs, ps = _status(g, "modes", mode, "absent"), _status(p, "modes", mode, "absent")
        counts = report.evidenced[mode]
        counts.tp += gs == ps == "evidenced"
        counts.fp += ps == "evidenced" != gs
        counts.fn += gs == "evidenced" != ps
        report.status_total += 1
        report.status_right += gs == ps
        report.confusion.setdefault(gs, {}).setdefault(ps, 0)
        report.confusion[gs][ps] += 1
        hints = ((p.get("modes") or {}).get(mode) or {}).get("hints") or []
        report.hints_read += len(hints)
        report.missed_with_hint += bool(hints) and gs == "evidenced" != ps
        if gs != ps:
            report.errors.append(f"{g['submission']} {mode}: 标注 {gs}，结果 {ps}")


def _fields(report: Report, g: dict[str, Any], p: dict[str, Any]) -> None:
    gf, pf = g.get("fields") or {}, p.get("fields") or {}
    for name in FIELD_NAMES:
        if name not in gf:
            continue
        report.field_total[name] += 1
        if _same(name, gf[name], pf.get(name)):
            report.field_right[name] += 1
        else:
            report.errors.append(f"{g['submission']} 字段 {name}: 标注 {gf[name]!r}，结果 {pf.get(name)!r}")


def _same(name: str, gold: Any, pred: Any) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if name == "service_ratio":
        return abs(float(gold) - float(pred)) <= RATIO_TOLERANCE
    if name.endswith("_wan"):
        return abs(float(gold) - float(pred)) <= MONEY_TOLERANCE * max(abs(float(gold)), 1.0)
    if isinstance(gold, str):
        return gold.replace(" ", "") == str(pred).replace(" ", "")
    return bool(gold == pred)


def _conditions(report: Report, g: dict[str, Any], p: dict[str, Any]) -> None:
    for cid in g.get("criteria") or {}:
        gs, ps = _status(g, "criteria", cid, "missing"), _status(p, "criteria", cid, "missing")
        report.condition_total += 1
        report.condition_right += gs == ps
        if gs != ps:
            report.errors.append(f"{g['submission']} {cid}: 标注 {gs}，结果 {ps}")


def _problems(report: Report, g: dict[str, Any], p: dict[str, Any]) -> None:
    found = {(x.get("file"), x.get("kind")) for x in p.get("problems") or []}
    for problem in g.get("problems") or []:
        report.problems_total += 1
        hit = (problem.get("file"), problem.get("kind")) in found
        report.problems_found += hit
        if not hit:
            report.errors.append(f"{g['submission']} 问题未报告: {problem.get('file')} {problem.get('kind')}")


def _pct(right: int, total: int) -> str:
    return f"{right / total:.3f} ({right}/{total})" if total else "-"


def format_report(report: Report) -> str:
    lines = [f"评估 {report.submissions} 份申报材料" + (f"（结果中缺少：{', '.join(report.missing)}）" if report.missing else ""),
             "", f"{'模式':<6}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}"]
    for mode in (*MODE_IDS, "ALL"):
        c = report.overall if mode == "ALL" else report.evidenced[mode]
        lines.append(f"{mode:<6}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.tp:>5}{c.fp:>5}{c.fn:>5}")
    lines += ["", f"evidenced F1（全部模式）     {report.overall.f1:.3f}",
              f"五类状态准确率               {_pct(report.status_right, report.status_total)}",
              f"字段准确率                   {_pct(sum(report.field_right.values()), sum(report.field_total.values()))}"]
    for name in FIELD_NAMES:
        lines.append(f"  {name:<26} {_pct(report.field_right[name], report.field_total[name])}")
    lines += [f"申报类别准确率               {_pct(report.track_right, report.submissions)}",
              f"申报模式/类型完全一致        {_pct(report.declared_right, report.submissions)}",
              f"条件准确率                   {_pct(report.condition_right, report.condition_total)}",
              f"问题发现率                   {_pct(report.problems_found, report.problems_total)}",
              f"漏判中有模型线索             {_pct(report.missed_with_hint, report.overall.fn)}，线索共 {report.hints_read} 句",
              "", "状态混淆（行=标注，列=结果）", " " * 11 + "".join(f"{s[:9]:>10}" for s in MODE_STATUSES)]
    for gs in MODE_STATUSES:
        row = report.confusion.get(gs, {})
        lines.append(f"{gs[:10]:<11}" + "".join(f"{row.get(ps, 0):>10}" for ps in MODE_STATUSES))
    if report.errors:
        lines += ["", f"不一致之处（{len(report.errors)}）："] + [f"  {e}" for e in report.errors[:80]]
    return "\n".join(lines)


def write_report(report: Report, path: Path) -> None:
    data = asdict(report)
    data["evidenced_f1"] = report.overall.f1
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
