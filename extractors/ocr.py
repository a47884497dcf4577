"""Chinese OCR of scanned pages and images with RapidOCR (PP-OCRv6 small on onnxruntime).

The ONNX models ship inside the `rapidocr` wheel; they are loaded by explicit path, so
nothing is ever downloaded at run time (RapidOCR would otherwise fetch a missing model).
The engine loads once per process, lazily, and one call uses at most THREADS threads:
the tool runs two worker processes on a two-core machine.

Measured in bench/ocr.py on a 150 dpi sealed, tilted, noisy A4 scan: see the table there.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image


@dataclass(frozen=True, slots=True)
class OcrLine:
    text: str
    confidence: float
    box: tuple[float, float, float, float]  # pixels: left, top, right, bottom


THREADS = 2
# Line classifier (0°/180°) off: on upright document scans it flips whole lines by mistake
# and they come back empty or garbled (bench/ocr.py: no-cls rows); it also costs time.
USE_CLS = False
# The models the rapidocr 3.10 wheel ships (measured in bench/ocr.py). Another release that
# ships other files still works: then the one *det*/*rec*/*cls* .onnx file of the wheel is used.
MODEL_FILES = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
}
# Two boxes are on the same text line when their vertical centres differ by less than
# this share of the smaller box height (tolerates a scan tilted by a degree or two).
SAME_LINE = 0.5
# Drop text the detector finds in a red seal (arc text, "专用章", star fragments): it would
# otherwise be spliced into the body line beside it. A box is seal text when its ink is
# mostly red and it has almost no black strokes; black text under a seal keeps its strokes
# (dark in all three channels) and stays. Also drops red letterhead text ("…文件").
DROP_SEAL_TEXT = True
SEAL_BLACK_DENSITY = 0.03  # black pixels per box pixel below which a red box holds no black text
# A horizontal gap wider than this many line heights between two boxes on a line is
# written as a space (table cells, "label   value"); a smaller one joins them directly.
GAP_AS_SPACE = 1.0


def _models_dir() -> Path | None:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


@functools.cache
def _model_paths() -> dict[str, Path] | None:
    """Section → ONNX file inside the installed wheel; None when any is missing."""
    try:
        if importlib.util.find_spec("onnxruntime") is None:
            return None
        models = _models_dir()
    except (ImportError, ValueError):
        return None
    if models is None or not models.is_dir():
        return None
    paths = {}
    for section, filename in MODEL_FILES.items():
        path = models / filename
        if not path.is_file():
            found = sorted(models.glob(f"*{section.lower()}*.onnx"))
            if len(found) != 1:
                return None
            path = found[0]
        paths[section] = path
    return paths


def available() -> bool:
    """True when rapidocr, onnxruntime and the models shipped in the rapidocr wheel are installed."""
    return _model_paths() is not None


def engine_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    paths = _model_paths()
    if paths is None:
        return "rapidocr (not installed)"
    try:
        versions = f"rapidocr {version('rapidocr')}, onnxruntime {version('onnxruntime')}"
    except PackageNotFoundError:
        versions = "rapidocr"
    return f"{versions}: {paths['Det'].stem} + {paths['Rec'].stem}"


@functools.cache
def _engine():
    if not available():
        raise RuntimeError("OCR engine not installed: pip install rapidocr onnxruntime")
    threads = max(1, min(THREADS, os.cpu_count() or 1))
    import cv2
    from rapidocr import RapidOCR

    cv2.setNumThreads(threads)  # pre/post-processing threads, on top of onnxruntime's
    params = {
        "Global.log_level": "error",  # an empty page is normal here, not a warning on the console
        "Global.use_cls": USE_CLS,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    for section, path in (_model_paths() or {}).items():
        params[f"{section}.model_path"] = str(path)  # by path: RapidOCR never looks for a download
    return RapidOCR(params=params)


def _is_seal_text(rgb, box) -> bool:
    """True when the box holds red ink (a seal) and next to no black text strokes."""
    import numpy as np

    xs = [float(p[0]) for p in box]
    ys = [float(p[1]) for p in box]
    y0, y1 = max(0, int(min(ys))), min(rgb.shape[0], int(max(ys)) + 1)
    x0, x1 = max(0, int(min(xs))), min(rgb.shape[1], int(max(xs)) + 1)
    crop = rgb[y0:y1, x0:x1].astype(np.int16)
    if crop.size == 0:
        return False
    r, g, b = crop[..., 0], crop[..., 1], crop[..., 2]
    black = int((np.maximum(np.maximum(r, g), b) < 150).sum())  # also black under a translucent seal
    # red or, thin and blurred by JPEG, pink; darker than paper in green and blue
    red = int(((r - np.maximum(g, b) > 25) & (r >= 130) & (np.minimum(g, b) < 190)).sum())
    return red > black and black < SEAL_BLACK_DENSITY * r.size


def _group_lines(boxes, texts, scores) -> list[OcrLine]:
    """Boxes → text lines in reading order: top to bottom, then left to right within a line."""
    items = []
    for box, text, score in zip(boxes, texts, scores, strict=True):
        if not text.strip():
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        top, bottom = min(ys), max(ys)
        items.append({"x0": min(xs), "x1": max(xs), "cy": (top + bottom) / 2, "h": max(1.0, bottom - top),
                      "top": top, "bottom": bottom, "text": text, "score": float(score)})
    items.sort(key=lambda it: (it["cy"], it["x0"]))

    lines: list[list[dict]] = []
    for it in items:
        # the nearest line whose centre is close enough; only the last few lines can match
        best = None
        for line in lines[-3:]:
            cy = sum(b["cy"] for b in line) / len(line)
            h = min(it["h"], sorted(b["h"] for b in line)[len(line) // 2])
            dist = abs(it["cy"] - cy)
            if dist < SAME_LINE * h and (best is None or dist < best[0]):
                best = (dist, line)
        if best is None:
            lines.append([it])
        else:
            best[1].append(it)

    out = []
    for line in sorted(lines, key=lambda ln: sum(b["cy"] for b in ln) / len(ln)):
        line.sort(key=lambda b: b["x0"])
        height = sorted(b["h"] for b in line)[len(line) // 2]
        text = line[0]["text"]
        for prev, cur in zip(line, line[1:], strict=False):
            text += (" " if cur["x0"] - prev["x1"] > GAP_AS_SPACE * height else "") + cur["text"]
        n = sum(len(b["text"]) for b in line)
        conf = sum(b["score"] * len(b["text"]) for b in line) / max(1, n)
        box = (line[0]["x0"], min(b["top"] for b in line), line[-1]["x1"], max(b["bottom"] for b in line))
        out.append(OcrLine(text, round(max(0.0, min(1.0, conf)), 4), box))
    return out


def ocr_image(image: Image.Image) -> list[tuple[str, float]]:
    """Text lines of an image in reading order, each with a confidence in 0..1."""
    return [(line.text, line.confidence) for line in ocr_image_lines(image)]


def ocr_image_lines(image: Image.Image) -> list[OcrLine]:
    """Text lines of an image in reading order, with confidence and pixel box (for the evidence view)."""
    import numpy as np
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image)  # a phone photo of a licence: upright as shown
    rgb = np.asarray(image.convert("RGB"))  # also palette/gray/RGBA: RapidOCR misreads a palette image
    result = _engine()(np.ascontiguousarray(rgb[:, :, ::-1]))  # an ndarray is taken as BGR
    if result.boxes is None or result.txts is None or result.scores is None:
        return []
    boxes, texts, scores = result.boxes, result.txts, result.scores
    if DROP_SEAL_TEXT:
        keep = [i for i, box in enumerate(boxes) if not _is_seal_text(rgb, box)]
        boxes, texts, scores = [boxes[i] for i in keep], [texts[i] for i in keep], [scores[i] for i in keep]
    return _group_lines(boxes, texts, scores)


def ocr_pdf_page(path: Path, page_index: int, dpi: int = 150) -> list[tuple[str, float]]:
    """Render one PDF page (0-based) with pdfium at `dpi`, then OCR it."""
    lines, _, _ = ocr_pdf_page_lines(path, page_index, dpi)
    return [(line.text, line.confidence) for line in lines]


def ocr_pdf_page_lines(path: Path, page_index: int, dpi: int = 150) -> tuple[list[OcrLine], int, int]:
    """The OCR lines of one PDF page (0-based) with their pixel boxes, and the rendered width and height."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        try:
            image = page.render(scale=dpi / 72).to_pil()
        finally:
            page.close()
    finally:
        pdf.close()
    return ocr_image_lines(image), image.width, image.height
