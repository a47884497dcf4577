"""PDF: page text from PDFium (fast, decodes GBK-encoded CJK fonts), tables from pdfplumber.

pdfplumber parses every character in Python (~10 pages/s); PDFium reads text at
hundreds of pages/s. pdfplumber is kept for what it does best, ruled tables, and
is run only on pages that draw enough path objects to hold a table.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .furniture import repeated_lines, split_furniture
from .model import DEFAULT_LIMITS, Block, Document, Limits, Problem, Table, table_to_text
from .ocr_pages import ocr_pages
from .pdf_tables import Char, cell_text, join_continued, page_tables
from .problems import problem
from .textclean import is_garbage, lines_to_paragraphs, normalize

log = logging.getLogger(__name__)
MIN_PATHS_FOR_TABLE = 4
MIN_TEXT_CHARS = 20
# pdfplumber is pure Python: a font-specimen page of 90k characters takes minutes.
# Application tables are small, so dense pages are read as text only.
MAX_TABLE_PAGE_CHARS = 12000


def extract(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read one PDF into blocks (paragraphs and tables, 1-based pages)."""
    pdf, problems = _open(path, rel)
    if pdf is None:
        return Document(rel, "pdf", problems=tuple(problems))
    try:
        return _read(pdf, path, rel, limits, problems)
    finally:
        pdf.close()


def _open(path: Path, rel: str) -> tuple[pdfium.PdfDocument | None, list[Problem]]:
    try:
        return pdfium.PdfDocument(str(path)), []
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            # Many "protected" PDFs open with the empty user password.
            try:
                return pdfium.PdfDocument(str(path), password=""), []
            except pdfium.PdfiumError:
                return None, [problem("encrypted", rel)]
        return None, [problem("corrupt", rel, detail=_short(exc))]


@dataclass(frozen=True, slots=True)
class _Page:
    number: int
    text: str
    paths: int
    images: int
    tables: tuple[Table, ...]
    needs_plumber: bool


def _read(pdf: pdfium.PdfDocument, path: Path, rel: str, limits: Limits, problems: list[Problem]) -> Document:
    n_pages = len(pdf)
    pages, broken = _read_pages(pdf, min(n_pages, limits.max_pages))
    garbled = [p.number for p in pages if is_garbage(p.text)]
    good = [p for p in pages if p.number not in garbled]
    scanned = [p.number for p in good if len(p.text.strip()) < MIN_TEXT_CHARS and p.images]
    furniture = repeated_lines([p.text for p in good])
    blocks: list[Block] = []
    partly_garbled: list[int] = []
    for page in good:
        body, removed, printed = split_furniture(page.text, furniture)
        paragraphs = lines_to_paragraphs(body)
        # A page can be mostly fine with a run of unmapped glyphs (a font chart, a broken symbol font).
        clean = [p for p in paragraphs if len(p) < 20 or not is_garbage(p)]
        if len(clean) < len(paragraphs):
            partly_garbled.append(page.number)
        blocks.extend(Block(len(blocks), page.number, para, printed_page=printed) for para in clean)
        if removed:
            blocks.append(Block(len(blocks), page.number, "\n".join(removed), source="furniture", printed_page=printed))
    for page_no, table in join_continued([(p.number, p.tables) for p in good]):
        blocks.append(Block(len(blocks), page_no, table_to_text(table), table, "table"))
    blocks.extend(_tables(path, rel, [p.number for p in good if p.needs_plumber], len(blocks), problems))
    unread = sorted(set(scanned) | set(garbled))
    ocr_blocks, ocr_lines = ocr_pages(path, unread, len(blocks)) if unread else ([], [])
    # OCR of a glyph chart or a damaged scan reads as mojibake: the same filter as for a text layer.
    ocr_blocks = [b for b in ocr_blocks if len(b.text) < 20 or not is_garbage(b.text)]
    blocks.extend(ocr_blocks)
    blocks.sort(key=lambda b: (b.page or 0, b.index))
    ocr_done = {b.page for b in ocr_blocks}
    problems.extend(_page_problems(rel, n_pages, limits, broken, garbled + partly_garbled, scanned, ocr_done))
    if not any(b.source != "furniture" for b in blocks) and not unread:
        problems.append(problem("no-text", rel))
    kept = {b.page for b in ocr_blocks}
    return Document(rel, "pdf", tuple(blocks), tuple(problems), pages=n_pages,
                    ocr_lines=tuple(line for line in ocr_lines if line[0] in kept))


def _read_pages(pdf: pdfium.PdfDocument, count: int) -> tuple[list[_Page], list[int]]:
    pages, broken = [], []
    for index in range(count):
        try:
            pages.append(_Page(index + 1, *_page_text(pdf, index)))
        except pdfium.PdfiumError:
            broken.append(index + 1)
    return pages, broken


def _page_problems(rel: str, n_pages: int, limits: Limits, broken: list[int], garbled: list[int],
                   scanned: list[int], ocr_done: set[int | None]) -> list[Problem]:
    problems = []
    if n_pages > limits.max_pages:
        problems.append(problem("too-large", rel, detail=f"{n_pages}页，仅读取前{limits.max_pages}页"))
    if broken:
        problems.append(problem("corrupt", rel, detail=f"第{_pages(broken)}页无法解析"))
    garbled_left = sorted({p for p in garbled if p not in ocr_done})
    if garbled_left:
        problems.append(problem("garbled", rel, pages=_pages(garbled_left)))
    scanned_left = [p for p in scanned if p not in ocr_done]
    if scanned_left:
        problems.append(problem("scanned", rel, pages=_pages(scanned_left)))
    ocr = sorted(p for p in ocr_done if p is not None)
    if ocr:
        problems.append(problem("ocr", rel, pages=_pages(ocr)))
    return problems


def _page_text(pdf: pdfium.PdfDocument, index: int) -> tuple[str, int, int, tuple[Table, ...], bool]:
    """Text, path and image counts, tables read from PDFium, and whether pdfplumber should look."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text = normalize(textpage.get_text_range())
            bounds, n_images = _drawing(page)
            tables: tuple[Table, ...] = ()
            fallback = False
            if len(bounds) >= MIN_PATHS_FOR_TABLE and len(text) <= MAX_TABLE_PAGE_CHARS:
                width, height = page.get_size()
                chars = functools.cache(lambda: _chars(textpage))  # only pages that really hold a grid pay for it
                found = page_tables(bounds, width, height, lambda *box: cell_text(chars(), box))
                fallback = found is None
                tables = tuple(found or ())
        finally:
            textpage.close()
        return text, len(bounds), n_images, tables, fallback
    finally:
        page.close()


def _drawing(page: pdfium.PdfPage) -> tuple[list[tuple[float, float, float, float]], int]:
    """Bounds of the path objects and the number of images, one Form XObject level deep.

    Raw PDFium calls: a text page holds hundreds of text objects, and wrapping each in a
    Python helper object (page.get_objects) took a quarter of the PDF reading time.
    """
    bounds: list[tuple[float, float, float, float]] = []
    n_images = 0
    box = [ctypes.c_float() for _ in range(4)]
    raw = page.raw
    top = [pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))]
    forms = [obj for obj in top if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM]
    nested = [pdfium_c.FPDFFormObj_GetObject(f, j) for f in forms for j in range(pdfium_c.FPDFFormObj_CountObjects(f))]
    for obj in (*top, *nested):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH and pdfium_c.FPDFPageObj_GetBounds(obj, *box):
            bounds.append(tuple(b.value for b in box))  # type: ignore[arg-type]
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            n_images += 1
    return bounds, n_images


def char_reader(textpage: pdfium.PdfTextPage) -> tuple[int, Callable[[int], str]]:
    """The page's character count and the text of each character index."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    # One call for the text when it maps one-to-one onto character indices (the usual case).
    return count, text.__getitem__ if len(text) == count else (lambda i: textpage.get_text_range(i, 1))


def _chars(textpage: pdfium.PdfTextPage) -> list[Char]:
    count, char_at = char_reader(textpage)
    chars = []
    for i in range(count):
        ch = char_at(i)
        if ch.strip():
            chars.append(Char(*textpage.get_charbox(i), ch))
    return chars


def _tables(path: Path, rel: str, pages: list[int], start: int, problems: list[Problem]) -> list[Block]:
    if not pages:
        return []
    blocks: list[Block] = []
    try:
        with pdfplumber.open(path) as pdf:
            for page_no in pages:
                for rows in pdf.pages[page_no - 1].extract_tables():
                    table = _clean_table(rows)
                    if len(table) >= 2:
                        blocks.append(Block(start + len(blocks), page_no, table_to_text(table), table, "table"))
    except Exception as exc:  # pdfplumber raises many types on damaged content streams
        log.debug("pdfplumber tables failed on %s: %s", rel, exc)
        problems.append(problem("corrupt", rel, detail=f"表格读取失败：{_short(exc)}"))
    return blocks


def _clean_table(rows: list[list[str | None]]) -> Table:
    cleaned = []
    for row in rows:
        cells = tuple(normalize(c or "").replace("\n", "") for c in row)
        if any(cells):
            cleaned.append(cells)
    return tuple(cleaned)


def _pages(pages: list[int]) -> str:
    shown = "、".join(str(p) for p in pages[:10])
    return shown + (f"等共{len(pages)}" if len(pages) > 10 else "")


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:120]}"
