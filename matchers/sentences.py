"""Split block text into sentences and clauses, keeping character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator

SENTENCE_RE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|\n|$)")
CLAUSE_BREAK = set("，,；;：:")
MAX_SENTENCE = 400


def iter_sentences(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, sentence) for every non-empty sentence of a text."""
    for match in SENTENCE_RE.finditer(text):
        sentence = match.group().strip()
        if not sentence:
            continue
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        # Very long "sentences" are run-on lists; cut them so quotes stay readable.
        for i in range(0, len(sentence), MAX_SENTENCE):
            yield start + i, sentence[i : i + MAX_SENTENCE]


def clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between commas/semicolons) around [start, end) of a sentence."""
    left = start
    while left > 0 and sentence[left - 1] not in CLAUSE_BREAK:
        left -= 1
    right = end
    while right < len(sentence) and sentence[right] not in CLAUSE_BREAK:
        right += 1
    return left, right
