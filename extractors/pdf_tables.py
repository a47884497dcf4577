"""Ruled tables read from PDFium's path objects and text boxes: no second parse of the page.

Word and WPS export table borders as thin filled rectangles, one per border segment.
Their bounds give the grid; each cell's text comes from PDFium's bounded-text call.
pdfplumber remains the fallback for pages whose drawing this does not understand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import Table

THICK = 3.0  # a border is at most this thick (pt)
SNAP = 2.5  # coordinates closer than this are the same grid line
MAX_SEGMENTS = 3000  # beyond this the page is a drawing, not a form
MAX_CELLS = 3000  # a grid of 257×257 lines is a glyph chart, and costs minutes cell by cell


@dataclass(frozen=True, slots=True)
class Char:
    left: float
    bottom: float
    right: float
    top: float
    text: str


def cell_text(chars: Sequence[Char], box: tuple[float, ...]) -> str:
    """Characters whose centre lies in the box, in reading order (lines top-down, then left to right).

    Content-stream order is not reading order: checkbox glyphs from a symbol font are
    often drawn after the text they belong to.
    """
    left, bottom, right, top = box
    inside = [c for c in chars if left <= (c.left + c.right) / 2 <= right and bottom <= (c.bottom + c.top) / 2 <= top]
    if not inside:
        return ""
    # Tallest glyphs first: a line's extent comes from a full-height character, and small
    # glyphs (, . - ·) join the line whose extent holds their centre.
    lines: list[tuple[float, float, list[Char]]] = []
    for c in sorted(inside, key=lambda c: -(c.top - c.bottom)):
        mid = (c.bottom + c.top) / 2
        line = next((ln for ln in lines if ln[0] <= mid <= ln[1]), None)
        if line:
            line[2].append(c)
        else:
            lines.append((c.bottom, c.top, [c]))
    ordered = [ln[2] for ln in sorted(lines, key=lambda ln: -(ln[0] + ln[1]))]
    return "".join(_line_text(sorted(line, key=lambda c: c.left)) for line in ordered).strip()


def _line_text(line: list[Char]) -> str:
    out = []
    for prev, c in zip([None, *line[:-1]], line, strict=True):
        # A visible gap between Latin characters or digits is a space; Chinese needs none.
        if prev is not None and c.left - prev.right > (c.top - c.bottom) * 0.3 and (prev.text.isascii() or c.text.isascii()):
            out.append(" ")
        out.append(c.text)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Seg:
    horizontal: bool
    pos: float  # y of a horizontal, x of a vertical segment
    start: float
    end: float


Bounds = tuple[float, float, float, float]  # left, bottom, right, top
TextIn = Callable[[float, float, float, float], str]  # the text inside a box


def bounds_to_segments(bounds: Sequence[Bounds], page_width: float, page_height: float) -> list[Seg]:
    segs: list[Seg] = []
    for left, bottom, right, top in bounds:
        width, height = right - left, top - bottom
        if height <= THICK and width > 2 * THICK:
            segs.append(Seg(True, (bottom + top) / 2, left, right))
        elif width <= THICK and height > 2 * THICK:
            segs.append(Seg(False, (left + right) / 2, bottom, top))
        elif width > 2 * THICK and height > 2 * THICK and width < 0.9 * page_width and height < 0.9 * page_height:
            # A stroked rectangle: its four edges.
            segs += [Seg(True, bottom, left, right), Seg(True, top, left, right),
                     Seg(False, left, bottom, top), Seg(False, right, bottom, top)]
    return segs


def group_segments(segs: Sequence[Seg]) -> list[list[Seg]]:
    """Segments that touch each other, transitively: one group per table."""
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontals = [i for i, s in enumerate(segs) if s.horizontal]
    verticals = [i for i, s in enumerate(segs) if not s.horizontal]
    for h in horizontals:
        for v in verticals:
            if _touch(segs[h], segs[v]):
                parent[find(h)] = find(v)
    groups: dict[int, list[Seg]] = {}
    for i, seg in enumerate(segs):
        groups.setdefault(find(i), []).append(seg)
    return [g for g in groups.values() if sum(s.horizontal for s in g) >= 2 and sum(not s.horizontal for s in g) >= 2]


def _touch(h: Seg, v: Seg) -> bool:
    return h.start - SNAP <= v.pos <= h.end + SNAP and v.start - SNAP <= h.pos <= v.end + SNAP


def _cluster(values: Sequence[float]) -> list[float]:
    merged: list[float] = []
    for value in sorted(values):
        if merged and value - merged[-1] <= SNAP:
            continue
        merged.append(value)
    return merged


def _covered(segs: Sequence[Seg], horizontal: bool, pos: float, a: float, b: float) -> bool:
    """Is there a border line at `pos` across the middle of [a, b]?"""
    mid = (a + b) / 2
    return any(s.horizontal == horizontal and abs(s.pos - pos) <= SNAP and s.start - SNAP <= mid <= s.end + SNAP
               for s in segs)


def grid_cells(group: Sequence[Seg]) -> tuple[list[float], list[float], list[list[tuple[int, int]]]]:
    """Grid lines (xs left→right, ys top→bottom) and, per grid cell, the top-left cell of its merged region."""
    xs = _cluster([s.pos for s in group if not s.horizontal])
    ys = _cluster([s.pos for s in group if s.horizontal])[::-1]
    owner = [[(i, j) for j in range(len(xs) - 1)] for i in range(len(ys) - 1)]
    for i in range(len(ys) - 1):
        for j in range(len(xs) - 1):
            if j > 0 and not _covered(group, False, xs[j], ys[i + 1], ys[i]):
                owner[i][j] = owner[i][j - 1]
            elif i > 0 and not _covered(group, True, ys[i], xs[j], xs[j + 1]):
                owner[i][j] = owner[i - 1][j]
    return xs, ys, owner


def read_table(group: Sequence[Seg], text_in: TextIn) -> Table:
    """Rows of cell texts; a merged cell's text appears once, in its top-left position."""
    xs, ys, owner = grid_cells(group)
    regions: dict[tuple[int, int], list[float]] = {}
    for i in range(len(ys) - 1):
        for j in range(len(xs) - 1):
            box = regions.setdefault(owner[i][j], [xs[j], ys[i + 1], xs[j + 1], ys[i]])
            box[0], box[1] = min(box[0], xs[j]), min(box[1], ys[i + 1])
            box[2], box[3] = max(box[2], xs[j + 1]), max(box[3], ys[i])
    rows = []
    for i in range(len(ys) - 1):
        row = tuple(text_in(*regions[(i, j)]) if owner[i][j] == (i, j) else "" for j in range(len(xs) - 1))
        if any(row):
            rows.append(row)
    return tuple(rows)




def page_tables(bounds: Sequence[Bounds], page_width: float, page_height: float, text_in: TextIn) -> list[Table] | None:
    """Tables of one page; None when the drawing is not a grid this reader understands."""
    segs = bounds_to_segments(bounds, page_width, page_height)
    if len(segs) > MAX_SEGMENTS:
        return []  # a drawing or a font chart: no application table has thousands of borders
    groups = group_segments(segs)
    if any(_cells(group) > MAX_CELLS for group in groups):
        return []  # a glyph chart; pdfplumber would take minutes on it too
    tables = [read_table(group, text_in) for group in groups]
    tables = [t for t in tables if len(t) >= 2 and max(len(r) for r in t) >= 2]
    if tables or len(segs) < 8 or not _could_be_grid(segs):
        return tables
    return None


def _could_be_grid(segs: Sequence[Seg]) -> bool:
    """Two rows by two columns need three borders each way: with fewer (a rule under a heading,
    an open three-line table) pdfplumber cannot find a table either, and it costs 0.2 s a page."""
    vertical = sum(1 for s in segs if not s.horizontal)
    return vertical >= 3 and len(segs) - vertical >= 3


def join_continued(pages: Sequence[tuple[int, Sequence[Table]]]) -> list[tuple[int, Table]]:
    """Join a page's last table with the next page's first when their columns agree (a table split by a page break).

    A header row repeated at the top of the continuation is dropped.
    """
    joined: list[tuple[int, Table]] = []
    last_page = None  # the page the last table (or its continuation) ended on
    for page, tables in pages:
        for i, table in enumerate(tables):
            if i == 0 and joined and last_page == page - 1 and _columns(joined[-1][1]) == _columns(table):
                start, head = joined[-1]
                rest = table[1:] if table and head and table[0] == head[0] else table
                joined[-1] = (start, head + rest)
            else:
                joined.append((page, table))
            last_page = page
    return joined


def _columns(table: Table) -> int:
    return max((len(r) for r in table), default=0)


def _cells(group: Sequence[Seg]) -> int:
    xs = _cluster([s.pos for s in group if not s.horizontal])
    ys = _cluster([s.pos for s in group if s.horizontal])
    return max(len(xs) - 1, 0) * max(len(ys) - 1, 0)
