"""Repeated headers, footers and page numbers of PDF pages: found, removed from the text, kept aside."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

EDGE_LINES = 2  # lines looked at on the top and bottom of each page
MIN_PAGES = 3
PAGE_NUMBER_RE = re.compile(r"^(?:[-—–－\s]*(\d{1,4})[-—–－\s]*|第\s*(\d{1,4})\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|(\d{1,4})\s*/\s*\d{1,4}|Page\s*(\d{1,4}))$", re.I)


def _key(line: str) -> str:
    # Headers that differ only by the page number ("第3页", "- 3 -") are the same header.
    return re.sub(r"\d+", "#", line.strip())


def _edges(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    n = min(EDGE_LINES, len(lines) // 3)  # a short page keeps its body: only its first and last line can be furniture
    return lines[:n] + lines[-n:] if n else []


def repeated_lines(page_texts: Sequence[str]) -> frozenset[str]:
    """Line shapes that sit at the top or bottom of at least half the pages (and of 3 or more)."""
    if len(page_texts) < MIN_PAGES:
        return frozenset()
    counts = Counter(k for text in page_texts for k in {_key(line) for line in _edges(text)})
    needed = max(MIN_PAGES, len(page_texts) // 2)
    return frozenset(k for k, n in counts.items() if n >= needed and len(k) <= 80)


def split_furniture(text: str, furniture: frozenset[str]) -> tuple[str, list[str], int | None]:
    """(body text, removed lines, printed page number) of one page."""
    lines = text.split("\n")
    edge = set(_edges(text))
    body, removed, printed = [], [], None
    for line in lines:
        stripped = line.strip()
        number = PAGE_NUMBER_RE.match(stripped) if stripped in edge else None
        if number:
            printed = int(next(g for g in number.groups() if g))
            removed.append(stripped)
        elif stripped and stripped in edge and _key(stripped) in furniture:
            removed.append(stripped)
        else:
            body.append(line)
    return "\n".join(body), removed, printed
