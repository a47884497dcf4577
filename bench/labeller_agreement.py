"""How far apart are two reviewers? The ceiling any matcher can reach against one of them.

Each real set may carry `second-labeller.jsonl`: the same passages labelled again by a second reviewer who saw
only the policy, the status words and the passage (not the first labels, not the tool; the conventions were the
same written ones). For every set that has one, this prints, on the passages both labelled:

- second reviewer against the first (the gold): evidenced P / R / F1 and five-status accuracy;
- smaudit against the first, and smaudit against the second;
- smaudit on the clear cases only: the (passage, mode) pairs where both reviewers agree on evidenced or not.

When two careful reviewers agree at F1 0.8, a tool scored against one of them cannot honestly be asked for much
more. Uses smaudit's own scoring (pipeline.eval), and audits the packages afresh.

    .venv/bin/python bench/labeller_agreement.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pipeline.eval import Counts, Report, evaluate  # noqa: E402
from pipeline.writers.jsonl import read_jsonl  # noqa: E402


def audited(packages: Path, out: Path) -> list[dict]:
    jsonl = out / f"{packages.parent.name}.jsonl"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "audit", str(packages), "-o", str(jsonl.with_suffix(".xlsx")),
                    "--json", str(jsonl), "--no-cache", "-q"], check=True, cwd=ROOT, capture_output=True)
    return read_jsonl(jsonl)


def cells(report: Report) -> str:
    total = report.overall
    status = report.status_right / report.status_total if report.status_total else 0.0
    return f"{total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f} {status:7.3f}  {total.tp:3d} {total.fp:3d} {total.fn:3d}"


def on_agreed(tool: list[dict], first: list[dict], second: list[dict]) -> str:
    """Evidenced P / R / F1 of smaudit where the two reviewers agree whether the mode is evidenced."""
    def evidenced(records: list[dict]) -> dict[tuple[str, str], bool]:
        return {(r["submission"], m): v.get("status") == "evidenced" for r in records for m, v in r["modes"].items()}
    a, b, t = evidenced(first), evidenced(second), evidenced(tool)
    keys = [k for k in a if k in b and a[k] == b[k]]
    total = Counts(tp=sum(a[k] and t.get(k, False) for k in keys), fp=sum(t.get(k, False) and not a[k] for k in keys),
                   fn=sum(a[k] and not t.get(k, False) for k in keys))
    return f"{total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f} {'':>7}  {total.tp:3d} {total.fp:3d} {total.fn:3d}"


def block(name: str, first: list[dict], second: list[dict], tool: list[dict]) -> None:
    rows = (("second vs first (gold)", second, first), ("smaudit vs first (gold)", tool, first),
            ("smaudit vs second", tool, second))
    for i, (label, hyp, ref) in enumerate(rows):
        print(f"{name if i == 0 else '':<10}{len(first) if i == 0 else '':>5}  {label:<26}{cells(evaluate(hyp, ref))}")
    print(f"{'':<15}  {'smaudit, agreed cases':<26}{on_agreed(tool, first, second)}")


def main() -> None:
    sets = sorted(p.parent for p in ROOT.glob("samples/real*/second-labeller.jsonl"))
    if not sets:
        sys.exit("no samples/real*/second-labeller.jsonl")
    print(f"{'set':<10}{'n':>5}  {'compared':<26}{'P':>6} {'R':>6} {'F1':>6} {'status':>7}   tp  fp  fn")
    pooled: dict[str, list[dict]] = {"first": [], "second": [], "tool": []}
    with tempfile.TemporaryDirectory() as tmp:
        for folder in sets:
            second = read_jsonl(folder / "second-labeller.jsonl")
            names = {r["submission"] for r in second}
            first = [r for r in read_jsonl(folder / "gold.jsonl") if r["submission"] in names]
            tool = [r for r in audited(folder / "packages", Path(tmp)) if r["submission"] in names]
            block(folder.name, first, second, tool)
            pooled["first"] += first
            pooled["second"] += second
            pooled["tool"] += tool
    block("pooled", pooled["first"], pooled["second"], pooled["tool"])


if __name__ == "__main__":
    main()
