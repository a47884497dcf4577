"""OCR for PDF pages without usable text, when an OCR engine is installed."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Block, OcrBox
from .textclean import lines_to_paragraphs, normalize

if TYPE_CHECKING:  # pragma: no cover
    from .ocr import OcrLine

log = logging.getLogger(__name__)
MIN_CONFIDENCE = 0.5


def ocr_pages(path: Path, pages: list[int], start: int) -> tuple[list[Block], list[OcrBox]]:
    """One OCR block per line group of each page, and every kept line's box; nothing when no engine is available."""
    try:
        from . import ocr
    except ImportError:
        return [], []
    if not ocr.available():
        return [], []
    blocks: list[Block] = []
    boxes: list[OcrBox] = []
    for page_no in pages:
        try:
            lines, width, height = ocr.ocr_pdf_page_lines(path, page_no - 1)
        except Exception as exc:  # an engine failure on one page must not lose the file's other pages
            log.warning("OCR failed on %s page %d: %s", path.name, page_no, exc)
            continue
        blocks.extend(ocr_lines_to_blocks(lines, page_no, start + len(blocks)))
        boxes.extend(line_boxes(lines, page_no, width, height))
    return blocks, boxes


def line_boxes(lines: Sequence[OcrLine], page_no: int, width: float, height: float) -> list[OcrBox]:
    """The confident lines' boxes as page fractions: the same lines ocr_lines_to_blocks keeps."""
    return [(page_no, line.text, line.box[0] / width, line.box[1] / height, line.box[2] / width, line.box[3] / height)
            for line in lines if line.confidence >= MIN_CONFIDENCE]


def ocr_lines_to_blocks(lines: Sequence[OcrLine], page_no: int, start: int) -> list[Block]:
    """Confident OCR lines joined into paragraphs, marked as OCR so reviewers know to check them."""
    text = "\n".join(line.text for line in lines if line.confidence >= MIN_CONFIDENCE)
    return [Block(start + i, page_no, para, source="ocr") for i, para in enumerate(lines_to_paragraphs(normalize(text)))]
