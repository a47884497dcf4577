"""The evidence view: every evidence row located on its page image, for `smaudit audit --report DIR`.

A reviewer confirms a finding against the original page. For each quoted sentence this finds
its character boxes (PDFium for PDF text, OCR line boxes for scans), renders the page once at a
modest resolution, and hands both to the HTML writer. OCR'd pages use the line boxes the
extractor kept. Word files are laid out by LibreOffice as
PDF first, all in one soffice run. Page images and converted PDFs are kept in the report folder
under the file's sha256, so a re-run renders only what changed.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from extractors.archive import unpack
from extractors.convert import LAYOUT_KINDS, convert_many, soffice
from extractors.locate import CharBox, Located, PdfPages, locate, locate_in_pdf, ocr_line_chars
from extractors.model import DEFAULT_LIMITS, Limits, Problem
from extractors.ocr_pages import MIN_CONFIDENCE
from extractors.problems import problem
from extractors.registry import sha256_of
from extractors.sniff import sniff
from matchers.model import Evidence

from .discover import list_files
from .model import AuditResult, FileInfo, Submission
from .writers.report_html import EvidenceView, write_html

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image

log = logging.getLogger(__name__)
DPI = 96  # readable body text, ~60–120 KB a page as JPEG
JPEG_QUALITY = 60
OCR_DPI = 150  # the resolution the extractor OCRs at, so lines come out the same
LAID_OUT = LAYOUT_KINDS  # Word files and spreadsheets: shown as LibreOffice prints them
RENDERS_PER_WORKER = 24  # below this a second process costs more than it saves
CACHE = ".cache"
IMAGES = "img"


@dataclass(frozen=True, slots=True)
class ReportSummary:
    folder: Path
    submissions: int
    evidence: int
    located: int
    images: int
    bytes: int
    seconds: float
    problems: dict[str, tuple[Problem, ...]]  # by submission


@dataclass(frozen=True, slots=True)
class _Source:
    """A file of a submission as the report can open it: a PDF (original or laid out), an image, or nothing."""

    info: FileInfo
    pdf: Path | None = None
    image: Path | None = None
    laid_out: bool = False  # a Word file through LibreOffice: its pages differ from the extractor's
    note: str = ""


def start_layout(input_dir: Path, submissions: Sequence[Submission], folder: Path,
                 limits: Limits = DEFAULT_LIMITS) -> multiprocessing.process.BaseProcess | None:
    """Lay out every Word file of the batch as PDF in a child process, while the audit reads the files.

    LibreOffice takes seconds to start and lay out; run beside the audit it costs the report
    next to nothing. A process, not a thread: the audit forks its workers, and forking a process
    that runs a thread is unsafe. write_report waits for it and lays out whatever is still missing.
    """
    _make_folders(folder)
    if soffice() is None:
        return None
    process = multiprocessing.get_context("fork").Process(
        target=_lay_out_batch, args=(input_dir, list(submissions), folder / CACHE, limits), daemon=True)
    process.start()
    return process


def _lay_out_batch(input_dir: Path, submissions: list[Submission], cache: Path, limits: Limits) -> None:
    jobs: dict[Path, tuple[Path, str, tuple[str, str]]] = {}
    with ExitStack() as stack:
        for sub in submissions:
            tree = stack.enter_context(_files_of(input_dir, sub.name))
            if tree is None:
                continue
            for path in list_files(tree)[0]:
                kind = sniff(path)
                if kind in LAID_OUT and not (laid := cache / f"{sha256_of(path)}.pdf").exists():
                    jobs[path] = (laid, kind, (sub.name, path.relative_to(tree).as_posix()))
        _lay_out(jobs, cache, limits, {})


def _make_folders(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CACHE).mkdir(exist_ok=True)
    (folder / IMAGES).mkdir(exist_ok=True)


def write_report(results: Sequence[AuditResult], input_dir: Path, folder: Path, limits: Limits = DEFAULT_LIMITS,
                 layout: multiprocessing.process.BaseProcess | None = None) -> ReportSummary:
    """Write the HTML evidence view of `results` into `folder`; what cannot be shown is said on the page.

    layout: the process start_layout began; its PDFs are used once it has finished.
    """
    t0 = time.perf_counter()
    _make_folders(folder)
    if layout is not None:
        layout.join()
    problems: dict[str, list[Problem]] = {}
    views: dict[str, list[EvidenceView]] = {}
    used: dict[str, tuple[Path, int] | None] = {}  # page image name → the PDF page it shows (None: saved already)
    with ExitStack() as stack:
        trees = {r.submission: stack.enter_context(_files_of(input_dir, r.submission)) for r in results}
        sources = _sources(results, trees, folder / CACHE, limits, problems)
        opened: dict[Path, PdfPages] = {}
        try:
            for r in results:
                views[r.submission] = [_view(e, sources.get((r.submission, e.file)), folder, used, opened)
                                       for e in _unique_evidence(r)]
        finally:
            for pages in opened.values():
                pages.close()
        # Inside the stack: the PDFs of a .zip package exist only while it stays unpacked.
        _render_pages({name: page for name, page in used.items() if page and not (folder / IMAGES / name).exists()},
                      folder / IMAGES)
    _prune(folder, set(used))
    write_html(results, views, folder)
    shown = [v for vs in views.values() for v in vs]
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and CACHE not in p.parts)
    return ReportSummary(folder, len(results), len(shown), sum(1 for v in shown if v.located and v.located.boxes),
                         sum(1 for p in (folder / IMAGES).iterdir()), size, round(time.perf_counter() - t0, 2),
                         {name: tuple(found) for name, found in problems.items()})


def _unique_evidence(r: AuditResult) -> list[Evidence]:
    seen: dict[tuple[str, int | None, str], Evidence] = {}
    for finding in (*r.modes.values(), *r.criteria.values()):
        for e in finding.evidence:
            seen.setdefault(evidence_key(e), e)
    return list(seen.values())


def evidence_key(e: Evidence) -> tuple[str, int | None, str]:
    return (e.file, e.page, e.text)


@contextmanager
def _files_of(input_dir: Path, submission: str) -> Iterator[Path | None]:
    """The folder holding the submission's files by their rel paths; a .zip is unpacked for the while."""
    source = input_dir if input_dir.name == submission else input_dir / submission
    if source.is_dir():
        yield source
    elif source.is_file() and source.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="smaudit-report-") as tmp:
            unpack(source, Path(tmp), source.name)
            yield Path(tmp)
    else:
        yield None


def _sources(results: Sequence[AuditResult], trees: dict[str, Path | None], cache: Path, limits: Limits,
             problems: dict[str, list[Problem]]) -> dict[tuple[str, str], _Source]:
    """What each evidence file can be shown from; Word files are laid out by one LibreOffice run for the batch."""
    wanted = {(r.submission, e.file) for r in results for f in (*r.modes.values(), *r.criteria.values())
              for e in f.evidence}
    infos = {(r.submission, f.file): f for r in results for f in r.files}
    sources: dict[tuple[str, str], _Source] = {}
    to_lay_out: dict[Path, tuple[Path, str, tuple[str, str]]] = {}  # original → (cached pdf, kind, key)
    for key in sorted(wanted):
        info = infos.get(key)
        tree = trees.get(key[0])
        path = tree / key[1] if tree is not None else None
        if info is None or path is None or not path.is_file():
            sources[key] = _Source(info or FileInfo(key[1], "unknown", 0, 0, 0, ""), note="原文件未找到，无法显示页面")
            continue
        if info.kind == "pdf":
            sources[key] = _Source(info, pdf=path)
        elif info.kind == "image":
            sources[key] = _Source(info, image=path)
        elif info.kind in LAID_OUT:
            laid = cache / f"{info.sha256 or _name_key(key)}.pdf"
            sources[key] = _Source(info, pdf=laid, laid_out=True)
            if not laid.exists():
                to_lay_out[path] = (laid, info.kind, key)
        else:
            sources[key] = _Source(info, note="该类文件没有页面图像，请核对原文")
    _lay_out(to_lay_out, cache, limits, problems)
    for key, src in sources.items():
        if src.laid_out and src.pdf is not None and not src.pdf.exists():
            sources[key] = _Source(src.info, note="LibreOffice 未能排版此文件，无法显示页面")
    return sources


def _name_key(key: tuple[str, str]) -> str:
    return hashlib.sha256("/".join(key).encode()).hexdigest()


def _lay_out(jobs: dict[Path, tuple[Path, str, tuple[str, str]]], cache: Path, limits: Limits,
             problems: dict[str, list[Problem]]) -> None:
    if not jobs:
        return
    work = Path(tempfile.mkdtemp(prefix="layout-", dir=cache))
    try:
        done = convert_many([(path, kind) for path, (_, kind, _) in jobs.items()], work, limits, to="pdf")
        for path, outcome in done.items():
            laid, _, (submission, rel) = jobs[path]
            if isinstance(outcome, Path):
                shutil.move(outcome, laid)
            else:
                problems.setdefault(submission, []).append(problem("report-layout", rel, detail=outcome.kind))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _view(e: Evidence, src: _Source | None, folder: Path, used: dict[str, tuple[Path, int] | None], opened: dict[Path, PdfPages]) -> EvidenceView:
    if src is None:
        return EvidenceView(e, note="原文件未找到，无法显示页面")
    try:
        if src.pdf is not None:
            if src.pdf not in opened:
                opened[src.pdf] = PdfPages(str(src.pdf))
            return _pdf_view(e, src, opened[src.pdf], folder, used)
        if src.image is not None:
            return _image_view(e, src, folder, used)
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        log.warning("evidence view of %s failed: %s", e.file, exc)
        return EvidenceView(e, note=f"页面无法显示（{type(exc).__name__}），请核对原文件")
    return EvidenceView(e, note=src.note)


def _pdf_view(e: Evidence, src: _Source, pages: PdfPages, folder: Path, used: dict[str, tuple[Path, int] | None]) -> EvidenceView:
    if e.source == "ocr" and e.page is not None and e.page <= len(pages):
        page_no = e.page
        found = locate(_ocr_chars(src.info, page_no, lambda: _render(pages.pdf, page_no, OCR_DPI)), e.text, page_no)
    else:
        found = locate_in_pdf(pages, e.text, e.page, anywhere=src.laid_out)
        if not found.boxes and not src.laid_out:  # a quote the extractor moved (furniture, a table read late)
            found = locate_in_pdf(pages, e.text, e.page, anywhere=True)
    page = found.page if found.boxes else (e.page if e.page and e.page <= len(pages) else 1)
    name = _image_name(src, page)
    used[name] = (src.pdf, page)  # type: ignore[assignment]
    width, height = pages.size(page)
    note = "" if found.boxes else "未能在页面上定位引文，请在整页中查找"
    if src.laid_out:
        note = (note + "；" if note else "") + "此文件经 LibreOffice 排版为页面显示，页码可能与原文件不同"
    return EvidenceView(e, image=f"{IMAGES}/{name}", located=found if found.boxes else None, aspect=height / width,
                        shown_page=page, note=note)


def _image_view(e: Evidence, src: _Source, folder: Path, used: dict[str, tuple[Path, int] | None]) -> EvidenceView:
    from PIL import Image, ImageOps

    assert src.image is not None
    with Image.open(src.image) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")  # as the extractor OCR'd it
    found = locate(_ocr_chars(src.info, 1, lambda: image), e.text, 1)
    name = _image_name(src, 1)
    if not (folder / IMAGES / name).exists():
        scale = min(1.0, 1100 / max(image.width, image.height))
        _save(image.resize((round(image.width * scale), round(image.height * scale))), folder / IMAGES / name)
    used[name] = None
    return EvidenceView(e, image=f"{IMAGES}/{name}", located=found if found.boxes else None,
                        aspect=image.height / image.width, shown_page=1,
                        note="" if found.boxes else "未能在图像上定位引文，请在整页中查找")


def _ocr_chars(info: FileInfo, page: int, image_of: Callable[[], Image.Image]) -> list[CharBox]:
    """Characters of one OCR'd page: from the line boxes the extractor kept, else by OCR'ing it again."""
    lines = [(text, (x0, y0, x1, y1)) for p, text, x0, y0, x1, y1 in info.ocr_lines if p == page]
    if lines:
        return ocr_line_chars(lines, 1.0, 1.0)
    from extractors import ocr

    if not ocr.available():
        return []
    image = image_of()
    again = [(line.text, line.box) for line in ocr.ocr_image_lines(image) if line.confidence >= MIN_CONFIDENCE]
    return ocr_line_chars(again, image.width, image.height)


def _image_name(src: _Source, page: int) -> str:
    return f"{(src.info.sha256 or 'nohash')[:20]}-p{page}.jpg"


def _render(pdf: pdfium.PdfDocument, page_no: int, dpi: int):  # type: ignore[no-untyped-def]
    page = pdf[page_no - 1]
    try:
        return page.render(scale=dpi / 72, rev_byteorder=True).to_pil()  # RGB as PIL wants it: no copy
    finally:
        page.close()


def _render_pages(pages: dict[str, tuple[Path, int]], folder: Path) -> None:
    """Render and save page images, on every core: the audit is over, and rendering is most of the report's work."""
    jobs = sorted(pages.items(), key=lambda item: item[1])
    workers = min(os.cpu_count() or 1, len(jobs) // RENDERS_PER_WORKER)
    if workers <= 1:
        failed = _render_some(jobs, folder)
    else:
        chunks = [jobs[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            failed = [f for part in pool.map(_render_some, chunks, [folder] * workers) for f in part]
    for name, reason in failed:
        log.warning("page image %s failed: %s", name, reason)


def _render_some(jobs: list[tuple[str, tuple[Path, int]]], folder: Path) -> list[tuple[str, str]]:
    """Render the jobs, opening each PDF once; the images that failed, with why (the page then shows none)."""
    failed = []
    for path, group in itertools.groupby(jobs, key=lambda job: job[1][0]):
        try:
            pdf = pdfium.PdfDocument(str(path))
        except (pdfium.PdfiumError, OSError) as exc:
            failed.extend((name, str(exc)) for name, _ in group)
            continue
        try:
            for name, (_, page) in group:
                try:
                    _save(_render(pdf, page, DPI), folder / name)
                except (pdfium.PdfiumError, OSError, ValueError) as exc:
                    failed.append((name, str(exc)))
        finally:
            pdf.close()
    return failed


def _save(image, path: Path) -> None:  # type: ignore[no-untyped-def]
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    image.save(tmp, "JPEG", quality=JPEG_QUALITY)  # optimize=True: 20% smaller, twice the time
    tmp.replace(path)


def _prune(folder: Path, used: dict[str, tuple[Path, int] | None]) -> None:
    """Page images no evidence of this run shows are removed, so the folder does not grow run after run."""
    for path in (folder / IMAGES).iterdir():
        if path.name not in used:
            path.unlink(missing_ok=True)


__all__ = ["CharBox", "Located", "ReportSummary", "write_report"]
