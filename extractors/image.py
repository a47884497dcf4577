"""Image files (.jpg/.png/.tif …): scanned certificates and sealed pages, read by OCR when it is installed."""

from __future__ import annotations

from pathlib import Path

from .model import DEFAULT_LIMITS, Block, Document, Limits
from .ocr_pages import line_boxes, ocr_lines_to_blocks
from .problems import problem

MAX_PIXELS = 60_000_000  # a 600 dpi A3 scan; larger images are decompression bombs


def extract(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """OCR text of the image as page 1, with an informational `scanned` problem; without OCR, a warning."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    from . import ocr

    if not ocr.available():
        return Document(rel, "image", problems=(problem("scanned", rel, pages="1"),), pages=1)
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS:
                return Document(rel, "image", problems=(problem("too-large", rel, detail=f"{image.width}×{image.height}像素"),))
            upright = ImageOps.exif_transpose(image).convert("RGB")  # boxes as the photo is shown
            width, height = upright.width, upright.height
            lines = ocr.ocr_image_lines(upright)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        return Document(rel, "image", problems=(problem("corrupt", rel, detail=type(exc).__name__),))
    blocks: list[Block] = ocr_lines_to_blocks(lines, 1, 0)
    kind = "ocr" if blocks else "scanned"
    return Document(rel, "image", tuple(blocks), (problem(kind, rel, pages="1"),), pages=1,
                    ocr_lines=tuple(line_boxes(lines, 1, width, height)))
