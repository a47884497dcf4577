"""Run the extractors over the real-world corpus (../shared/realworld/files) and check the invariants.

Every file must end as text or as a problem, within the per-file limit, with no
(cid:N) placeholders or mojibake passed on as text. Prints counts per real type,
per outcome and per problem kind, and the files that break an invariant.

    .venv/bin/python bench/realworld.py [--timeout 30] [--workers 2] [--every 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.archive import is_skipped  # noqa: E402
from extractors.isolate import read_file_isolated  # noqa: E402
from extractors.model import Limits  # noqa: E402
from extractors.textclean import CID_RE, garbage_ratio  # noqa: E402

CORPUS = ROOT.parent / "shared" / "realworld" / "files"


@dataclass(frozen=True)
class Outcome:
    file: str
    kind: str
    pages: int
    chars: int
    problems: tuple[str, ...]
    seconds: float
    leaked: str  # why text that is not text got through, or ""


def check(path: Path, timeout: float) -> Outcome:
    rel = path.relative_to(CORPUS).as_posix()
    started = time.perf_counter()
    doc = read_file_isolated(path, rel, Limits(timeout_s=timeout))
    seconds = time.perf_counter() - started
    leaked = ""
    for block in doc.blocks:
        if CID_RE.search(block.text):
            leaked = f"(cid:N) on page {block.page}"
            break
        if len(block.text) >= 20 and garbage_ratio(block.text) >= 0.3:
            leaked = f"garbage on page {block.page}: {block.text[:40]!r}"
            break
    chars = sum(len(b.text) for b in doc.blocks)
    return Outcome(rel, doc.kind, doc.pages, chars, tuple(p.kind for p in doc.problems), seconds, leaked)


def corpus_files(every: int = 1) -> list[Path]:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".tsv" and not is_skipped(p.name))
    return files[::every]


def violations(outcomes: list[Outcome], timeout: float) -> list[str]:
    bad = []
    for o in outcomes:
        if o.chars == 0 and not o.problems:
            bad.append(f"{o.file}: no text and no problem")
        if o.leaked:
            bad.append(f"{o.file}: {o.leaked}")
        if o.seconds > timeout + 10:
            bad.append(f"{o.file}: took {o.seconds:.0f}s")
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=int, default=1, help="take every Nth file (1 = all)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found: {CORPUS}")
        return 1
    files = corpus_files(args.every)
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        outcomes = list(pool.map(check, files, [args.timeout] * len(files), chunksize=4))
    wall = time.perf_counter() - started
    kinds = Counter(o.kind for o in outcomes)
    status = Counter("text" if o.chars else "problem only" for o in outcomes)
    problems = Counter(k for o in outcomes for k in set(o.problems))
    pages = sum(o.pages for o in outcomes)
    print(f"files {len(outcomes)}, pages {pages}, wall {wall:.0f}s with {args.workers} workers, per-file limit {args.timeout:.0f}s")
    print("real type     " + "  ".join(f"{k}={n}" for k, n in kinds.most_common()))
    print("outcome       " + "  ".join(f"{k}={n}" for k, n in status.most_common()))
    print("problem kinds " + "  ".join(f"{k}={n}" for k, n in problems.most_common()))
    slowest = sorted(outcomes, key=lambda o: -o.seconds)[:5]
    print("slowest       " + "  ".join(f"{o.file} {o.seconds:.1f}s" for o in slowest))
    bad = violations(outcomes, args.timeout)
    print(f"invariant violations: {len(bad)}")
    for line in bad:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
