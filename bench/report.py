"""What the evidence view (--report) adds to an audit's wall time, and how big it is.

For each input folder, runs the audit cold (--no-cache) without and with --report, each
several times in turn, then re-runs with the content cache and the report folder kept (as a
review office re-runs after a correction), and prints one table: median wall time of each, the
overheads, evidence rows, how many were located on their page, page images and report size.

    .venv/bin/python bench/report.py [--runs 3] [folders…]

Default folders: samples/packages and samples/eval/packages.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMAUDIT = [sys.executable, "-m", "pipeline.cli"]
SUMMARY = re.compile(r"证据页面：(\d+) 条证据，(\d+) 条已在页面上定位，(\d+) 张页面图像，([\d.]+) MB")


def run(folder: Path, out: Path, report: bool, keep: bool = False, cache: bool = False) -> tuple[float, str]:
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / "audit.xlsx").unlink(missing_ok=True)
    cmd = [*SMAUDIT, "audit", str(folder), "-o", str(out / "audit.xlsx"), "-q"] + ([] if cache else ["--no-cache"])
    if report:
        cmd += ["--report", str(out / "report")]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, done.stdout


def bench(folder: Path, runs: int) -> list[str]:
    plain: list[float] = []
    with_report: list[float] = []
    summary = ""
    with tempfile.TemporaryDirectory(prefix="smaudit-bench-report-") as tmp:
        out = Path(tmp)
        for _ in range(runs):  # interleaved, so a noisy moment hits both
            plain.append(run(folder, out, report=False)[0])
            seconds, stdout = run(folder, out, report=True)
            with_report.append(seconds)
            summary = stdout
        run(folder, out, report=True, keep=True, cache=True)  # fills the content cache
        warm_plain = statistics.median(run(folder, out, report=False, keep=True, cache=True)[0] for _ in range(runs))
        warm = statistics.median(run(folder, out, report=True, keep=True, cache=True)[0] for _ in range(runs))
    found = SUMMARY.search(summary)
    rows, located, images, mb = found.groups() if found else ("?", "?", "?", "?")
    a, b = statistics.median(plain), statistics.median(with_report)
    return [f"{folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}", f"{a:.2f}", f"{b:.2f}",
            f"{(b - a) / a:+.0%}", f"{warm_plain:.2f}", f"{warm:.2f}", f"{(warm - warm_plain) / warm_plain:+.0%}",
            rows, located, images, mb]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folders = [f.resolve() for f in args.folders] or [ROOT / "samples/packages", ROOT / "samples/eval/packages"]
    header = ["input", "cold audit s", "cold audit+report s", "overhead", "re-run audit s", "re-run audit+report s",
              "overhead", "evidence rows",
              "located", "page images", "report MB"]
    lines = [bench(folder, args.runs) for folder in folders]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for line in lines:
        print("| " + " | ".join(line) + " |")
    print(f"\nmedian of {args.runs} runs each, {os.cpu_count()} cores. cold: --no-cache, report folder removed. "
          "re-run: content cache and report folder kept (page images, laid-out Word files and placements reused).")


if __name__ == "__main__":
    main()
