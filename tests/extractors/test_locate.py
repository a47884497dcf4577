"""Quotes located on their page: checked against pdfplumber's character boxes and against OCR of the box."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pdf_fixtures import PARAGRAPH_1, PARAGRAPH_2, TABLE, WORD_EXPORT

from extractors import ocr
from extractors.locate import (
    Box,
    CharBox,
    PdfPages,
    line_boxes,
    locate,
    locate_in_pdf,
    ocr_line_chars,
    search_key,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def _chars(text: str, y: float = 0.1) -> list[CharBox]:
    """One line of characters, each 0.01 wide, from the left edge."""
    return [CharBox(ch, Box(i * 0.01, y, (i + 1) * 0.01, y + 0.02)) for i, ch in enumerate(text)]


def test_search_key_ignores_space_quotes_width_and_case() -> None:
    key, at = search_key("公司 “恒通智运”\nＡＢｃ，ok")
    assert key == "公司恒通智运abc,ok"
    assert [("公司 “恒通智运”\nＡＢｃ，ok")[i] for i in at][:2] == ["公", "司"]


def test_exact_quote_covers_only_its_characters() -> None:
    chars = _chars("前文。公司建成远程运维中心。后文")
    found = locate(chars, "公司建成远程运维中心。", 1)
    assert found.found == 1.0
    assert len(found.boxes) == 1
    assert [round(v, 6) for v in (found.boxes[0].x0, found.boxes[0].y0, found.boxes[0].x1, found.boxes[0].y1)] == \
        [0.03, 0.1, 0.14, 0.12]


def test_quote_over_two_lines_gets_a_box_per_line() -> None:
    chars = _chars("甲乙丙丁", 0.1) + _chars("戊己庚", 0.2)
    found = locate(chars, "丙丁戊己", 3)
    assert [round(b.y0, 2) for b in found.boxes] == [0.1, 0.2]
    assert found.boxes[0].x0 == pytest.approx(0.02) and found.boxes[1].x1 == pytest.approx(0.02)


def test_fuzzy_match_reports_how_much_was_found() -> None:
    # a checkbox glyph and a changed character, as a laid-out Word form gives them
    chars = _chars("申报模式：供应链管理服务，共享制造服务。")
    found = locate(chars, "申报模式：☑供应链管理服务，共亨制造服务。", 1)
    assert 0.8 < found.found < 1.0
    assert found.boxes and found.boxes[0].x0 == pytest.approx(0.0)


def test_absent_quote_is_not_located() -> None:
    assert locate(_chars("完全无关的文字内容"), "远程运维", 1).boxes == ()
    assert locate([], "远程运维", 1).found == 0.0


def test_line_boxes_split_when_the_text_moves_back() -> None:
    chars = _chars("一二三") + [CharBox("四", Box(0.0, 0.1, 0.01, 0.12))]  # same height, back at the margin
    assert len(line_boxes(chars)) == 2


def test_ocr_line_chars_share_the_line_box() -> None:
    chars = ocr_line_chars([("远程 运维", (100, 50, 500, 90))], 1000, 1000)
    assert [c.char for c in chars] == list("远程运维")
    assert chars[0].box == Box(0.1, 0.05, 0.2, 0.09)
    assert chars[-1].box.x1 == pytest.approx(0.5)


def _plumber_boxes(path: Path, page_no: int, quote: str) -> list[Box]:
    """The quote's characters as pdfplumber (not PDFium) places them, as page fractions."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_no - 1]
        chars = [c for c in page.chars if c["text"].strip()]
        key, at = search_key("".join(c["text"] for c in chars))
        q, _ = search_key(quote)
        start = key.index(q)
        picked = [chars[at[i]] for i in range(start, start + len(q))]
        return [Box(c["x0"] / page.width, c["top"] / page.height, c["x1"] / page.width, c["bottom"] / page.height)
                for c in picked]


@pytest.mark.parametrize(("quote", "page"), [(PARAGRAPH_1, 1), (PARAGRAPH_2, 2), ("\t".join(TABLE[1]), 1)])
def test_pdf_quote_boxes_cover_pdfplumber_characters(quote: str, page: int) -> None:
    pages = PdfPages(str(WORD_EXPORT))
    try:
        found = locate_in_pdf(pages, quote, page, anywhere=False)
    finally:
        pages.close()
    assert found.page == page and found.found == 1.0
    expected = _plumber_boxes(WORD_EXPORT, page, quote)
    for char in expected:
        assert any(char.overlaps(b) for b in found.boxes), char
    # and nothing far from the quote: every highlight touches a quoted character
    for b in found.boxes:
        assert any(b.overlaps(c) for c in expected)


def test_wrapped_paragraph_is_highlighted_line_by_line() -> None:
    pages = PdfPages(str(WORD_EXPORT))
    try:
        found = locate_in_pdf(pages, PARAGRAPH_1, 1, anywhere=False)
    finally:
        pages.close()
    assert len(found.boxes) == 3  # the paragraph wraps over three lines


def test_word_file_quote_found_on_another_page_when_anywhere() -> None:
    pages = PdfPages(str(WORD_EXPORT))
    try:
        assert locate_in_pdf(pages, PARAGRAPH_2, 1, anywhere=True).page == 2
    finally:
        pages.close()


@pytest.mark.skipif(not ocr.available(), reason="OCR engine not installed")
def test_rotated_page_box_lands_on_the_quote_as_rendered(tmp_path: Path) -> None:
    """A page with /Rotate 90: the box, cut out of the rendered page and read by OCR, holds the quote."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(WORD_EXPORT).pages:
        writer.add_page(page.rotate(90))
    rotated = tmp_path / "rotated.pdf"
    with rotated.open("wb") as fh:
        writer.write(fh)
    quote = "公司在主机厂旁设立寄售仓库"
    pages = PdfPages(str(rotated))
    try:
        found = locate_in_pdf(pages, quote, 2, anywhere=False)
        image = pages.pdf[1].render(scale=150 / 72, rev_byteorder=True).to_pil()
    finally:
        pages.close()
    assert found.found == 1.0 and len(found.boxes) == 1
    b = found.boxes[0]
    assert b.y1 - b.y0 > b.x1 - b.x0  # the line now runs down the page
    crop = image.crop((int(b.x0 * image.width) - 4, int(b.y0 * image.height) - 4,
                       int(b.x1 * image.width) + 4, int(b.y1 * image.height) + 4)).rotate(90, expand=True)
    text = "".join(t for t, _ in ocr.ocr_image(crop))
    assert len(set(text) & set(quote)) >= len(set(quote)) * 0.7, text


@pytest.mark.skipif(not ocr.available(), reason="OCR engine not installed")
def test_ocr_line_boxes_land_on_the_scanned_text() -> None:
    """The extractor's own OCR line boxes: re-read at another resolution, the box holds the same words."""
    lines, width, height = ocr.ocr_pdf_page_lines(DATA / "scanned-sealed-page.pdf", 0)
    chars = ocr_line_chars([(line.text, line.box) for line in lines], width, height)
    quote = lines[len(lines) // 2].text
    found = locate(chars, quote, 1)
    assert found.found == 1.0
    pdf = pdfium.PdfDocument(str(DATA / "scanned-sealed-page.pdf"))
    try:
        image = pdf[0].render(scale=200 / 72, rev_byteorder=True).to_pil()
    finally:
        pdf.close()
    b = found.boxes[0]
    crop = image.crop((int(b.x0 * image.width) - 6, int(b.y0 * image.height) - 6,
                       int(b.x1 * image.width) + 6, int(b.y1 * image.height) + 6))
    buffer = io.BytesIO()
    crop.save(buffer, "PNG")
    text = "".join(t for t, _ in ocr.ocr_image(crop))
    assert len(set(text) & set(quote)) >= len(set(quote)) * 0.7, (text, quote)
