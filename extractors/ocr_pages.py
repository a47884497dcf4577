"""OCR for PDF pages without usable text, when an OCR engine is installed."""

from __future__ import annotations

import logging
from pathlib import Path

from .model import Block
from .textclean import lines_to_paragraphs, normalize

log = logging.getLogger(__name__)
MIN_CONFIDENCE = 0.5


def ocr_pages(path: Path, pages: list[int], start: int) -> list[Block]:
    """One OCR block per line group of each page; [] when no engine is available."""
    try:
        from . import ocr
    except ImportError:
        return []
    if not ocr.available():
        return []
    blocks: list[Block] = []
    for page_no in pages:
        try:
            lines = ocr.ocr_pdf_page(path, page_no - 1)
        except Exception as exc:  # an engine failure on one page must not lose the file's other pages
            log.warning("OCR failed on %s page %d: %s", path.name, page_no, exc)
            continue
        blocks.extend(ocr_lines_to_blocks(lines, page_no, start + len(blocks)))
    return blocks


def ocr_lines_to_blocks(lines: list[tuple[str, float]], page_no: int, start: int) -> list[Block]:
    """Confident OCR lines joined into paragraphs, marked as OCR so reviewers know to check them."""
    text = "\n".join(t for t, conf in lines if conf >= MIN_CONFIDENCE)
    return [Block(start + i, page_no, para, source="ocr") for i, para in enumerate(lines_to_paragraphs(normalize(text)))]
