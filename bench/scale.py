"""A provincial batch, cold and warm: smaudit end to end against pdftotext and raw PDFium text.

Builds (once, cached) a batch of ≥300 submissions / ≥30,000 pages of varied text
(bench/scale_corpus.py), then in the same run measures and prints one table:

- pdftotext and raw pypdfium2 text over the same PDFs, with as many processes as smaudit gets;
- `smaudit audit` cold (empty cache), workbook and JSONL included, with the peak RSS of its
  whole process tree (parent and forked children, sampled from /proc);
- a warm re-run (nothing changed), a re-run after one file changed, and one with an edited catalog.

    .venv/bin/python bench/scale.py [--submissions 300] [--pages 30000] [--workers 2] [--dest DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from scale_corpus import build_corpus  # noqa: E402

SMAUDIT = [sys.executable, "-m", "pipeline.cli"]


@dataclass
class Timed:
    seconds: float
    peak_rss_mb: float = 0.0
    log: str = ""


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (shared pages counted in each)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_measured(cmd: Sequence[str], cwd: Path = ROOT) -> Timed:
    """Run a command, sampling its process tree's RSS every 50 ms."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out[-3000:]}")
    return Timed(seconds, peak / 1024, out)


def _pdftotext(path: str) -> None:
    subprocess.run(["pdftotext", "-q", path, "-"], stdout=subprocess.DEVNULL, check=False)


def _pdfium_text(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for page in pdf:
            page.get_textpage().get_text_bounded()
        return len(pdf)
    finally:
        pdf.close()


def time_parallel(fn: Callable[[str], object], paths: list[str], workers: int, threads: bool) -> float:
    pool_cls = ThreadPoolExecutor if threads else ProcessPoolExecutor
    started = time.perf_counter()
    with pool_cls(max_workers=workers) as pool:
        # Biggest first, as smaudit schedules, so neither side loses time to a late straggler.
        list(pool.map(fn, sorted(paths, key=lambda p: -os.path.getsize(p)), chunksize=1))
    return time.perf_counter() - started


def audit(corpus: Path, out: Path, cache: Path, workers: int, *extra: str) -> Timed:
    return run_measured([*SMAUDIT, "audit", str(corpus), "-o", str(out / "audit.xlsx"), "--json",
                         str(out / "audit.jsonl"), "--cache", str(cache), "--workers", str(workers), *extra])


def pages_read(jsonl: Path) -> tuple[int, int]:
    pages = files = 0
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        for f in json.loads(line)["files"]:
            pages += f["pages"]
            files += 1
    return pages, files


def change_one_file(corpus: Path) -> Path:
    """Give one small PDF different bytes (another submission's copy of a page would do the same)."""
    import pypdfium2 as pdfium

    target = min(corpus.rglob("*.pdf"), key=lambda p: p.stat().st_size)
    pdf = pdfium.PdfDocument(str(target))
    pdf.del_page(len(pdf) - 1) if len(pdf) > 1 else None
    tmp = target.with_suffix(".tmp")
    pdf.save(str(tmp))
    pdf.close()
    os.replace(tmp, target)
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--submissions", type=int, default=300)
    ap.add_argument("--pages", type=int, default=30000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dest", type=Path, default=HERE / ".scale")
    args = ap.parse_args()

    info = build_corpus(args.dest / "corpus", submissions=args.submissions, pages=args.pages)
    corpus = args.dest / "corpus"
    pdfs = [str(p) for p in info.pdf_files]
    # A scratch copy, so that changing a file for the warm runs never touches the cached corpus.
    with tempfile.TemporaryDirectory(prefix="smaudit-scale-") as scratch_dir:
        scratch = Path(scratch_dir)
        batch = scratch / "batch"
        shutil.copytree(corpus, batch, ignore=shutil.ignore_patterns(".corpus.json", ".work-*", ".building"))
        pdf_pages = sum(_pdfium_pages(p) for p in pdfs)
        print(f"corpus: {info.submissions} submissions, {info.files} files, {len(pdfs)} PDFs with {pdf_pages} pages,"
              f" {info.bytes / 1e6:.0f} MB", flush=True)

        t_pdftotext = time_parallel(_pdftotext, pdfs, args.workers, threads=True)
        t_pdfium = time_parallel(_pdfium_text, pdfs, args.workers, threads=False)
        out, cache = scratch / "out", scratch / "cache"
        cold = audit(batch, out, cache, args.workers)
        pages, files = pages_read(out / "audit.jsonl")
        warm = audit(batch, out, cache, args.workers)
        changed = change_one_file(batch)
        one = audit(batch, out, cache, args.workers)
        lexicon = scratch / "lexicon"
        shutil.copytree(ROOT / "lexicon", lexicon)
        with (lexicon / "terms" / "M04.txt").open("a", encoding="utf-8") as fh:
            fh.write("共享喷涂中心 10 practice\n")
        relex = audit(batch, out, cache, args.workers, "--lexicon", str(lexicon))

    rows = [
        ("pdftotext (poppler), text only", t_pdftotext, pdf_pages, None),
        ("pypdfium2 raw text", t_pdfium, pdf_pages, None),
        ("smaudit audit, cold (all files, workbook + JSONL)", cold.seconds, pdf_pages, cold.peak_rss_mb),
        ("smaudit audit, warm (nothing changed)", warm.seconds, pdf_pages, warm.peak_rss_mb),
        (f"smaudit audit, one file changed ({changed.name})", one.seconds, pdf_pages, one.peak_rss_mb),
        ("smaudit audit, catalog edited (re-match, no re-read)", relex.seconds, pdf_pages, relex.peak_rss_mb),
    ]
    print(f"\n{args.workers} processes each; pages/s counts the {pdf_pages} PDF pages (smaudit also reads "
          f"{pages - pdf_pages} Word pages, {files} files in all)\n")
    print("| run | seconds | pages/s | peak RSS (process tree) |")
    print("|---|---|---|---|")
    for name, seconds, n, rss in rows:
        print(f"| {name} | {seconds:.1f} | {n / seconds:.0f} | {f'{rss:.0f} MB' if rss else '—'} |")
    print(f"\nsmaudit cold vs pdftotext: {t_pdftotext / cold.seconds:.2f}×; vs raw pypdfium2: "
          f"{t_pdfium / cold.seconds:.2f}×; warm/cold speed-up: {cold.seconds / warm.seconds:.1f}×")
    for name, run in (("one file changed", one), ("catalog edited", relex)):
        line = next((x for x in run.log.splitlines() if x.startswith("缓存")), "")
        print(f"{name}: {line}")


def _pdfium_pages(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


if __name__ == "__main__":
    main()
