"""The evidence view: every evidence row located on its page image, for `smaudit audit --report DIR`.

A reviewer confirms a finding against the original page. For each quoted sentence this finds its
character boxes (PDFium for PDF text, the extractor's OCR line boxes for scans), renders the page
once at a modest resolution, and hands both to the HTML writer. Word files and sheets are laid out
by LibreOffice as PDF, in a child process that starts before the audit reads anything.

Everything costly is kept in the report folder for the next run: page images and laid-out PDFs
under the file's sha256, and where each quote was found (`.cache/placements.json`).
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

import pypdfium2 as pdfium

from extractors.convert import soffice
from extractors.locate import PdfPages
from extractors.model import DEFAULT_LIMITS, Limits, Problem
from matchers.model import Evidence

from ..model import AuditResult, Submission
from ..writers.report_html import EvidenceView, write_html
from .place import Placement, Placements, place_in_image, place_in_pdf
from .render import image_name, prune, render_pages, save_scaled
from .sources import NOT_FOUND, Source, Trees, find_sources, lay_out_batch

log = logging.getLogger(__name__)
CACHE = ".cache"
IMAGES = "img"
LAID_OUT_NOTE = "此文件经 LibreOffice 排版为页面显示，页码可能与原文件不同"


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


def start_layout(input_dir: Path, submissions: Sequence[Submission], folder: Path,
                 limits: Limits = DEFAULT_LIMITS) -> BaseProcess | None:
    """Lay out every Word file and sheet of the batch as PDF in a child process, while the audit reads.

    LibreOffice takes seconds to start and lay out; beside the audit it costs the report little.
    A process, not a thread: the audit forks its workers, and forking a process that runs a
    thread is unsafe. write_report waits for it and lays out whatever is still missing.
    """
    _make_folders(folder)
    if soffice() is None:
        return None
    process = multiprocessing.get_context("fork").Process(
        target=lay_out_batch, args=(input_dir, list(submissions), folder / CACHE, limits), daemon=True)
    process.start()
    return process


def write_report(results: Sequence[AuditResult], input_dir: Path, folder: Path, limits: Limits = DEFAULT_LIMITS,
                 layout: BaseProcess | None = None) -> ReportSummary:
    """Write the HTML evidence view of `results` into `folder`; what cannot be shown is said on the page.

    layout: the process start_layout began; its PDFs are used once it has finished.
    """
    t0 = time.perf_counter()
    _make_folders(folder)
    if layout is not None:
        layout.join()
    problems: dict[str, list[Problem]] = {}
    with ExitStack() as stack:
        run = _Run(folder, Trees(input_dir, stack), Placements(folder / CACHE / "placements.json"))
        sources = find_sources(results, run.trees, folder / CACHE, limits, problems)
        try:
            views = {r.submission: [run.view(e, sources[(r.submission, e.file)]) for e in _unique_evidence(r)]
                     for r in results}
        finally:
            run.close()
        # Inside the stack: the PDFs of a .zip package exist only while it stays unpacked.
        render_pages({name: page for name, page in run.to_render.items() if not (folder / IMAGES / name).exists()},
                     folder / IMAGES)
    run.placements.save()
    prune(folder / IMAGES, run.shown)
    write_html(results, views, folder)
    shown = [v for vs in views.values() for v in vs]
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and CACHE not in p.parts)
    return ReportSummary(folder, len(results), len(shown), sum(1 for v in shown if v.located is not None),
                         len(run.shown), size, round(time.perf_counter() - t0, 2),
                         {name: tuple(found) for name, found in problems.items()})


def _make_folders(folder: Path) -> None:
    (folder / CACHE).mkdir(parents=True, exist_ok=True)
    (folder / IMAGES).mkdir(exist_ok=True)


def _unique_evidence(r: AuditResult) -> list[Evidence]:
    seen: dict[tuple[str, int | None, str], Evidence] = {}
    for finding in (*r.modes.values(), *r.criteria.values()):
        for e in (*finding.evidence, *finding.hints):
            seen.setdefault((e.file, e.page, e.text), e)
    return list(seen.values())


class _Run:
    """One report run: the files opened, the images to render or keep, the placements recorded."""

    def __init__(self, folder: Path, trees: Trees, placements: Placements) -> None:
        self.folder = folder
        self.trees = trees
        self.placements = placements
        self.opened: dict[Path, PdfPages] = {}
        self.to_render: dict[str, tuple[Path, int]] = {}  # image name → PDF page, when not on disk yet
        self.shown: set[str] = set()

    def view(self, e: Evidence, src: Source) -> EvidenceView:
        if src.how == "none":
            return EvidenceView(e, note=src.note)
        key = Placements.key(src, e)
        placement = self.placements.get(key)
        try:
            if placement is None or not self._image_ready(src, placement.located.page):
                placement = self._place(e, src)
                if placement is None:
                    return EvidenceView(e, note=NOT_FOUND)
                placement = self.placements.put(key, placement)
        except (pdfium.PdfiumError, OSError, ValueError) as exc:
            log.warning("evidence view of %s failed: %s", e.file, exc)
            return EvidenceView(e, note=f"页面无法显示（{type(exc).__name__}），请核对原文件")
        found = placement.located
        name = image_name(src.info.sha256, found.page)
        self.shown.add(name)
        notes = [] if found.boxes else ["未能在页面上定位引文，请在整页中查找"]
        if src.how == "laid":
            notes.append(LAID_OUT_NOTE)
        return EvidenceView(e, image=f"{IMAGES}/{name}", located=found if found.boxes else None,
                            aspect=placement.aspect, shown_page=found.page, note="；".join(notes))

    def _image_ready(self, src: Source, page: int) -> bool:
        name = image_name(src.info.sha256, page)
        return name in self.to_render or (self.folder / IMAGES / name).exists()

    def _place(self, e: Evidence, src: Source) -> Placement | None:
        if src.how == "image":
            return self._place_in_image(e, src)
        pdf = src.pdf(self.trees)
        if pdf is None:
            return None
        if pdf not in self.opened:
            self.opened[pdf] = PdfPages(str(pdf))
        placement = place_in_pdf(e, src, self.opened[pdf])
        name = image_name(src.info.sha256, placement.located.page)
        if not (self.folder / IMAGES / name).exists():
            self.to_render[name] = (pdf, placement.located.page)
        return placement

    def _place_in_image(self, e: Evidence, src: Source) -> Placement | None:
        from PIL import Image, ImageOps

        path = self.trees.path(src.submission, src.info.file)
        if path is None:
            return None
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")  # as the extractor OCR'd it
        name = image_name(src.info.sha256, 1)
        if not (self.folder / IMAGES / name).exists():
            save_scaled(image, self.folder / IMAGES / name)
        return place_in_image(e, src, image)

    def close(self) -> None:
        for pages in self.opened.values():
            pages.close()


__all__ = ["ReportSummary", "start_layout", "write_report"]
