from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from extractors import ocr

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SCAN_PNG = DATA / "scanned-sealed-page.png"
SCAN_PDF = DATA / "scanned-sealed-page.pdf"
# bench/ocr.py measured the engine at CER 1.0 % on this page (4 punctuation-width slips:
# ":" for "：", "[" for "〔"); the threshold leaves room for other CPUs and onnxruntime builds.
MAX_CER = 0.05
KEY_PHRASES = ("审计报告", "大连恒通重工装备有限公司全体股东", "服务收入21,400万元", "营业收入86,520万元",
               "152,318", "辽宁正信会计师事务所有限公司", "二〇二四年三月二十日")

needs_engine = pytest.mark.skipif(not ocr.available(), reason="OCR engine not installed (pip install rapidocr onnxruntime)")


@functools.cache
def _bench():
    """bench/ocr.py, which holds the page's ground truth and the CER measure."""
    spec = importlib.util.spec_from_file_location("bench_ocr", ROOT / "bench" / "ocr.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def _box(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def test_group_lines_reading_order() -> None:
    # two lines, the first split in two boxes given right box first; the page tilts a little
    boxes = [_box(420, 108, 900, 140), _box(100, 300, 600, 332), _box(100, 100, 400, 132), _box(100, 200, 300, 232)]
    texts = ["远程运维服务", "第三行", "管理、", "第二行"]
    lines = ocr._group_lines(boxes, texts, [0.9, 0.8, 1.0, 0.7])
    assert [line.text for line in lines] == ["管理、远程运维服务", "第二行", "第三行"]
    assert lines[0].box == (100, 100, 900, 140)
    assert lines[0].confidence == pytest.approx((3 * 1.0 + 6 * 0.9) / 9, abs=1e-4)  # length-weighted confidence


def test_group_lines_wide_gap_is_a_space() -> None:
    # table cells on one row: label, then figures far to the right
    boxes = [_box(100, 100, 220, 130), _box(500, 102, 600, 131), _box(800, 101, 900, 130)]
    lines = ocr._group_lines(boxes, ["营业收入", "78,940", "86,520"], [1.0, 1.0, 1.0])
    assert [(line.text, line.confidence) for line in lines] == [("营业收入 78,940 86,520", 1.0)]


def test_group_lines_skips_empty_text() -> None:
    assert ocr._group_lines([_box(0, 0, 10, 10)], [" "], [0.3]) == []


def test_seal_text_is_red_ink_without_black_strokes() -> None:
    page = np.full((100, 300, 3), 235, dtype=np.uint8)
    page[20:40, 10:90] = (225, 110, 105)  # seal ink on paper: mostly red, no black
    page[20:40, 110:190] = (30, 30, 30)  # black text
    page[20:40, 210:290] = (225, 110, 105)  # black text under the seal: red around dark-red strokes
    page[25:35, 215:285:3] = (133, 19, 22)
    assert ocr._is_seal_text(page, _box(10, 20, 90, 40))
    assert not ocr._is_seal_text(page, _box(110, 20, 190, 40))
    assert not ocr._is_seal_text(page, _box(210, 20, 290, 40))


def test_engine_name_names_the_engine() -> None:
    assert "rapidocr" in ocr.engine_name()


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="onnxruntime not installed")
def test_model_paths_from_the_wheel(tmp_path, monkeypatch) -> None:
    # another rapidocr release ships other model files: its one det/rec/cls model is used
    monkeypatch.setattr(ocr, "_models_dir", lambda: tmp_path)
    ocr._model_paths.cache_clear()
    try:
        for name in ("ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"):
            (tmp_path / name).write_bytes(b"")
        assert ocr._model_paths() is None  # no classifier model: not available, never a download
        ocr._model_paths.cache_clear()
        (tmp_path / "ch_ppocr_mobile_v2.0_cls_infer.onnx").write_bytes(b"")
        (tmp_path / ocr.MODEL_FILES["Rec"]).write_bytes(b"")  # the preferred name wins over the glob
        paths = ocr._model_paths()
        assert paths is not None
        assert {k: p.name for k, p in paths.items()} == {
            "Det": "ch_PP-OCRv4_det_infer.onnx", "Cls": "ch_ppocr_mobile_v2.0_cls_infer.onnx",
            "Rec": ocr.MODEL_FILES["Rec"]}
    finally:
        ocr._model_paths.cache_clear()


@pytest.fixture(scope="module")
def png_lines() -> list[tuple[str, float]]:
    from PIL import Image

    return ocr.ocr_image(Image.open(SCAN_PNG))


@needs_engine
def test_ocr_image_reads_the_sealed_scan(png_lines) -> None:
    text = "\n".join(t for t, _ in png_lines)
    flat = "".join(text.split())
    for phrase in KEY_PHRASES:
        assert phrase in flat, phrase
    assert all(0.0 <= conf <= 1.0 for _, conf in png_lines)
    assert _bench().cer(_bench().GROUND_TRUTH, text) < MAX_CER


@needs_engine
def test_ocr_image_lines_in_reading_order(png_lines) -> None:
    texts = [t for t, _ in png_lines]
    assert texts[0] == "审计报告"
    assert texts[-1] == "二〇二四年三月二十日"
    order = [next(i for i, t in enumerate(texts) if key in t) for key in ("全体股东", "我们审计了", "经审计", "中国注册会计师")]
    assert order == sorted(order)
    # the seal's arc text and "审计业务专用章" are dropped, not spliced into the body lines
    assert not any("专用章" in t for t in texts)


@needs_engine
def test_ocr_pdf_page_reads_the_image_only_pdf() -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SCAN_PDF))
    assert pdf[0].get_textpage().get_text_range().strip() == ""  # a scan: no text layer
    pdf.close()
    lines = ocr.ocr_pdf_page(SCAN_PDF, 0)
    text = "\n".join(t for t, _ in lines)
    assert "大连恒通重工装备有限公司" in text
    assert "服务收入21,400万元" in "".join(text.split())
    assert _bench().cer(_bench().GROUND_TRUTH, text) < MAX_CER


@needs_engine
def test_ocr_image_blank_page_is_empty() -> None:
    from PIL import Image

    assert ocr.ocr_image(Image.new("L", (600, 800), 255)) == []
