"""Where each quote lies on its page, and a record of it so a re-run does not open the files again.

The record (`placements.json` in the report's cache folder) is keyed by the file's sha256, the
evidence (page, source, text) and the locating code, so an edited file or a changed locator
places the quote afresh. Only this run's entries are written back.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extractors import locate as locate_module
from extractors.locate import Box, CharBox, Located, PdfPages, locate, locate_in_pdf, ocr_line_chars
from extractors.ocr_pages import line_boxes
from matchers.model import Evidence

from ..model import FileInfo
from .render import render
from .sources import Source

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image

log = logging.getLogger(__name__)
OCR_DPI = 150  # the resolution the extractor OCRs at, so lines come out the same
_VERSION = hashlib.sha256(Path(locate_module.__file__).read_bytes()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Placement:
    """A quote's page (the one to show), its boxes there, the share found, and the page's height/width."""

    located: Located
    aspect: float


class Placements:
    """The JSON record of earlier placements; `get` and `put` mark what this run used."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._old: dict[str, dict] = {}
        self._now: dict[str, dict] = {}
        try:
            self._old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or damaged: placed again
            self._old = {}

    @staticmethod
    def key(src: Source, e: Evidence) -> str:
        data = json.dumps([_VERSION, src.info.sha256, src.how, e.page, e.source, e.text], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:32]

    def get(self, key: str) -> Placement | None:
        raw = self._now.get(key) or self._old.get(key)
        if not isinstance(raw, dict):
            return None
        try:
            boxes = tuple(Box(*map(float, b)) for b in raw["boxes"])
            placement = Placement(Located(int(raw["page"]), boxes, float(raw["found"])), float(raw["aspect"]))
        except (KeyError, TypeError, ValueError):
            return None
        self._now[key] = raw
        return placement

    def put(self, key: str, placement: Placement) -> Placement:
        """Record a placement; returned as it will read back, so a first run and a re-run show the same boxes."""
        found = placement.located
        self._now[key] = {"page": found.page, "found": round(found.found, 4), "aspect": round(placement.aspect, 5),
                          "boxes": [[round(v, 5) for v in (b.x0, b.y0, b.x1, b.y1)] for b in found.boxes]}
        again = self.get(key)
        assert again is not None
        return again

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._now, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)


def place_in_pdf(e: Evidence, src: Source, pages: PdfPages) -> Placement:
    """The quote on its PDF page: PDFium's characters, or the OCR line boxes of a scanned page."""
    if e.source == "ocr" and e.page is not None and e.page <= len(pages):
        page_no = e.page
        chars = ocr_chars(src.info, page_no, lambda: render(pages.pdf, page_no, OCR_DPI))
        found = locate(chars, e.text, page_no)
    else:
        found = locate_in_pdf(pages, e.text, e.page, anywhere=src.how == "laid")
        if not found.boxes and src.how != "laid":  # a quote the extractor moved (furniture, a table read late)
            found = locate_in_pdf(pages, e.text, e.page, anywhere=True)
    if not found.boxes:
        found = Located(e.page if e.page and e.page <= len(pages) else 1, (), 0.0)
    width, height = pages.size(found.page)
    return Placement(found, height / width)


def place_in_image(e: Evidence, src: Source, image: Image.Image) -> Placement:
    found = locate(ocr_chars(src.info, 1, lambda: image), e.text, 1)
    return Placement(found if found.boxes else Located(1, (), 0.0), image.height / image.width)


def ocr_chars(info: FileInfo, page: int, image_of: Callable[[], Image.Image]) -> list[CharBox]:
    """Characters of one OCR'd page: from the line boxes the extractor kept, else by OCR'ing it again."""
    boxes = [line for line in info.ocr_lines if line[0] == page]
    if not boxes:
        from extractors import ocr

        if not ocr.available():
            return []
        image = image_of()
        boxes = line_boxes(ocr.ocr_image_lines(image), page, image.width, image.height)
    return ocr_line_chars([(text, (x0, y0, x1, y1)) for _, text, x0, y0, x1, y1 in boxes], 1.0, 1.0)
