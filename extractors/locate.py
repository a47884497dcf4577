"""Where a quoted sentence lies on a page, as boxes a reviewer's evidence view can highlight.

Every position is a fraction of the rendered page (0..1 from the top-left corner), so one set of
boxes fits a page image of any size. PDF text comes with PDFium's own character boxes; OCR'd
pages carry one box per recognised line, spread over its characters.

Matching ignores whitespace and letter case: the matcher quotes paragraph text that was re-flowed
from the page's lines, so the quote and the page differ only in line breaks. When the page text
differs more (a table read cell by cell, a Word file laid out by LibreOffice) the longest common
runs are used, and `found` says how much of the quote they cover.
"""

from __future__ import annotations

import ctypes
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pdf import char_reader

# Fuzzy matching keeps runs of at least this many characters: shorter ones are coincidences.
MIN_RUN = 3
MAX_GAP = 2  # characters between two runs highlighted with them (a misread or missing glyph)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in page fractions: x to the right, y down from the top edge."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True, slots=True)
class CharBox:
    char: str
    box: Box


@dataclass(frozen=True, slots=True)
class Located:
    """The quote's place on one page: a box per line it spans, and the share of it that was found."""

    page: int  # 1-based
    boxes: tuple[Box, ...]
    found: float


# Left out of matching: PDF producers drop or re-map quotation marks (LibreOffice's “” often carry no text).
IGNORED = frozenset("“”‘’\"'「」『』")
# Full-width forms to ASCII and upper to lower case: one character for one, so indices still line up.
FOLD = {**{0xFF01 + i: 0x21 + i for i in range(94)}, **{ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}}
for _c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    FOLD[ord(_c) + 0xFEE0] = ord(_c.lower())  # Ａ → a, not A


def search_key(text: str) -> tuple[str, list[int]]:
    """Text without whitespace and quotation marks, width-folded and lower-cased, with each kept character's index."""
    at = [i for i, ch in enumerate(text) if not (ch.isspace() or ch in IGNORED)]
    return "".join(text[i] for i in at).translate(FOLD), at


@dataclass(frozen=True, slots=True)
class PageText:
    """A page's characters and their search key, computed once for every quote looked up on the page."""

    chars: tuple[CharBox, ...]
    key: str
    at: tuple[int, ...]  # key position → index in chars

    @classmethod
    def of(cls, chars: Sequence[CharBox]) -> PageText:
        key, at = search_key("".join(c.char for c in chars))
        return cls(tuple(chars), key, tuple(at))


def locate(page_text: PageText | Sequence[CharBox], quote: str, page: int) -> Located:
    """Boxes over the quote's characters on a page; found = 0 when none of it is there."""
    text = page_text if isinstance(page_text, PageText) else PageText.of(page_text)
    quote_key, _ = search_key(quote)
    if not quote_key or not text.key:
        return Located(page, (), 0.0)
    start = text.key.find(quote_key)
    if start >= 0:
        return Located(page, line_boxes([text.chars[text.at[i]] for i in range(start, start + len(quote_key))]), 1.0)
    positions, gaps, found = _fuzzy_positions(text.key, quote_key)
    picked: list[CharBox] = []
    for i in positions:
        char = text.chars[text.at[i]]
        # A gap character drawn elsewhere (a checkbox glyph placed after the line) is not the quote's.
        if i not in gaps or (picked and _continues(picked[-1].box, char.box, None)):
            picked.append(char)
    return Located(page, line_boxes(picked), found)


def shared_grams(page_key: str, quote_key: str, n: int = 3) -> int:
    """How many of the quote's n-character runs occur on the page: a cheap guess at where a fuzzy match lies."""
    return sum(1 for i in range(len(quote_key) - n + 1) if quote_key[i:i + n] in page_key)


def _fuzzy_positions(page_key: str, quote_key: str) -> tuple[list[int], set[int], float]:
    """Page positions of the quote's characters found in runs of MIN_RUN or more (and of the gaps filled
    between them), and the share of the quote found.

    get_matching_blocks is monotone in both strings; a quote is one passage, so the runs kept are the
    group lying within twice the quote's length that covers most of it. Short gaps between runs (a
    misread character, a dropped checkbox) are filled; other characters between runs, drawn out of
    reading order, are not highlighted.
    """
    matcher = difflib.SequenceMatcher(None, page_key, quote_key, autojunk=False)
    runs = [b for b in matcher.get_matching_blocks() if b.size >= MIN_RUN]
    best: list = []
    reach = len(quote_key) * 2
    for i, first in enumerate(runs):
        group = [run for run in runs[i:] if run.a + run.size - first.a <= reach]
        if sum(r.size for r in group) > sum(r.size for r in best):
            best = group
    positions: list[int] = []
    gaps: set[int] = set()
    for prev, run in zip([None, *best], best, strict=False):
        if prev is not None and run.a - (prev.a + prev.size) <= MAX_GAP and run.b - (prev.b + prev.size) <= MAX_GAP:
            gap = range(prev.a + prev.size, run.a)
            positions.extend(gap)
            gaps.update(gap)
        positions.extend(range(run.a, run.a + run.size))
    return positions, gaps, sum(r.size for r in best) / len(quote_key)


def line_boxes(chars: Sequence[CharBox]) -> tuple[Box, ...]:
    """One box per run of consecutive characters on one line; a line may run across or down a rotated page."""
    boxes: list[Box] = []
    run: Box | None = None
    direction: str | None = None  # "across" or "down", known from a run's second character
    for c in chars:
        b = c.box
        if run is not None:
            step = _continues(run, b, direction)
            if step is not None:
                run, direction = Box(min(run.x0, b.x0), min(run.y0, b.y0), max(run.x1, b.x1), max(run.y1, b.y1)), step
                continue
            boxes.append(run)
        run, direction = b, None
    if run is not None:
        boxes.append(run)
    return tuple(boxes)


def _continues(run: Box, b: Box, direction: str | None) -> str | None:
    """How b extends the run: "across" (next on the line), "down" (a line running down or up), or None."""
    width, height = b.x1 - b.x0, b.y1 - b.y0
    across = run.y0 <= (b.y0 + b.y1) / 2 <= run.y1 and run.x1 - 2 * width <= b.x0 <= run.x1 + 3 * width
    down = run.x0 <= (b.x0 + b.x1) / 2 <= run.x1 and (run.y1 - 2 * height <= b.y0 <= run.y1 + 3 * height
                                                      or run.y0 - 3 * height <= b.y1 <= run.y0 + 2 * height)
    if direction != "down" and across:
        return "across"
    if direction != "across" and down:
        return "down"
    return None


def pdf_page_chars(pdf: pdfium.PdfDocument, index: int) -> list[CharBox]:
    """Every visible character of a PDF page (0-based index) with its box, in PDFium's text order."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            count, char_at = char_reader(textpage)
            ax, bx, cx, ay, by, cy = _page_to_fraction(page)
            chars = []
            raw = textpage.raw
            rect = pdfium_c.FS_RECTF()
            for i in range(count):
                ch = char_at(i)
                if ch.strip() and pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(rect)):
                    x0, y0, x1, y1 = rect.left, rect.top, rect.right, rect.bottom
                    chars.append(CharBox(ch, _box((ax * x0 + bx * y0 + cx, ay * x0 + by * y0 + cy),
                                                  (ax * x1 + bx * y1 + cx, ay * x1 + by * y1 + cy))))
            return chars
        finally:
            textpage.close()
    finally:
        page.close()


def _page_to_fraction(page: pdfium.PdfPage) -> tuple[float, float, float, float, float, float]:
    """The affine map from PDF user space to page fractions as rendered (crop box and /Rotate applied).

    PDFium's own FPDF_PageToDevice at three points gives the map; applying it in Python avoids
    two foreign calls per character.
    """
    raw = page.raw
    dx, dy = ctypes.c_int(), ctypes.c_int()
    size = 1_000_000  # device pixels: the rounding to integers costs a millionth of the page

    def convert(x: float, y: float) -> tuple[float, float]:
        pdfium_c.FPDF_PageToDevice(raw, 0, 0, size, size, 0, x, y, ctypes.byref(dx), ctypes.byref(dy))
        return dx.value / size, dy.value / size

    o, ex, ey = convert(0, 0), convert(1000, 0), convert(0, 1000)
    ax, ay = (ex[0] - o[0]) / 1000, (ex[1] - o[1]) / 1000
    bx, by = (ey[0] - o[0]) / 1000, (ey[1] - o[1]) / 1000
    return ax, bx, o[0], ay, by, o[1]


def _box(a: tuple[float, float], b: tuple[float, float]) -> Box:
    return Box(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def ocr_line_chars(lines: Sequence[tuple[str, tuple[float, float, float, float]]], width: float,
                   height: float) -> list[CharBox]:
    """Characters of OCR lines (text, pixel box x0, y0, x1, y1), each given an equal slice of its line's box."""
    chars: list[CharBox] = []
    for text, (x0, y0, x1, y1) in lines:
        visible = [ch for ch in text if not ch.isspace()]
        step = (x1 - x0) / max(1, len(visible))
        for i, ch in enumerate(visible):
            left = x0 + i * step
            chars.append(CharBox(ch, Box(left / width, y0 / height, (left + step) / width, y1 / height)))
    return chars


class PdfPages:
    """An open PDF whose pages' characters are read once, however many quotes are looked up on them."""

    def __init__(self, path: str) -> None:
        self.pdf = pdfium.PdfDocument(path)
        self._text: dict[int, PageText] = {}

    def __len__(self) -> int:
        return len(self.pdf)

    def text(self, number: int) -> PageText:
        if number not in self._text:
            self._text[number] = PageText.of(pdf_page_chars(self.pdf, number - 1))
        return self._text[number]

    def size(self, number: int) -> tuple[float, float]:
        """Width and height of the page as rendered, in points."""
        page = self.pdf[number - 1]
        try:
            return page.get_size()
        finally:
            page.close()

    def close(self) -> None:
        self.pdf.close()


# Pages tried with the (slow) fuzzy match when the quote is nowhere word for word.
FUZZY_PAGES = 2


def locate_in_pdf(pages: PdfPages, quote: str, hint: int | None, anywhere: bool) -> Located:
    """The quote on its page `hint` (1-based); on every page when `anywhere` (a Word file laid out anew).

    Word for word first, page by page from the hint; failing that, a fuzzy match on the hint page
    and on the pages sharing the most three-character runs with the quote.
    """
    n = len(pages)
    order = [hint] if hint is not None and 1 <= hint <= n else []
    if anywhere or not order:
        order += [p for p in range(1, n + 1) if p != hint]
    quote_key, _ = search_key(quote)
    if not quote_key:
        return Located(hint or 1, (), 0.0)
    for number in order:
        if quote_key in pages.text(number).key:
            return locate(pages.text(number), quote, number)
    ranked = sorted(order, key=lambda p: (-shared_grams(pages.text(p).key, quote_key), order.index(p)))
    best = Located(hint or 1, (), 0.0)
    for number in dict.fromkeys([*order[:1], *ranked[:FUZZY_PAGES]]):
        found = locate(pages.text(number), quote, number)
        if found.found > best.found:
            best = found
    return best
