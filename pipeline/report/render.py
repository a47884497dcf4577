"""Page images for the evidence view: PDFium renders, saved as JPEG under the file's sha256 and page."""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image

log = logging.getLogger(__name__)
DPI = 96  # body text stays readable; a page is 30–120 KB as JPEG
JPEG_QUALITY = 60
RENDERS_PER_WORKER = 24  # below this a second process costs more than it saves
MAX_IMAGE_SIDE = 1100  # image files (photos, scans) are scaled down to this


def image_name(sha256: str, page: int) -> str:
    return f"{(sha256 or 'nohash')[:20]}-p{page}.jpg"


def render(pdf: pdfium.PdfDocument, page_no: int, dpi: int) -> Image.Image:
    page = pdf[page_no - 1]
    try:
        return page.render(scale=dpi / 72, rev_byteorder=True).to_pil()  # RGB as PIL wants it: no copy
    finally:
        page.close()


def render_pages(pages: dict[str, tuple[Path, int]], folder: Path) -> None:
    """Render and save page images (name → PDF page) on every core: the audit is over by now."""
    jobs = sorted(pages.items(), key=lambda item: (str(item[1][0]), item[1][1]))
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
                    save(render(pdf, page, DPI), folder / name)
                except (pdfium.PdfiumError, OSError, ValueError) as exc:
                    failed.append((name, str(exc)))
        finally:
            pdf.close()
    return failed


def save_scaled(image: Image.Image, path: Path) -> None:
    scale = min(1.0, MAX_IMAGE_SIDE / max(image.width, image.height))
    save(image.resize((round(image.width * scale), round(image.height * scale))), path)


def save(image: Image.Image, path: Path) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    image.save(tmp, "JPEG", quality=JPEG_QUALITY)  # optimize=True: 20% smaller, twice the time
    tmp.replace(path)


def prune(folder: Path, keep: set[str]) -> None:
    """Page images no evidence of this run shows are removed, so the folder does not grow run after run."""
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink(missing_ok=True)
