"""Find lexicon terms at character level with an Aho-Corasick automaton.

jieba with the user dictionary still splits long terms in running text, so token
matching would lose evidence; the automaton finds every occurrence in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from .catalog import Catalog, Term, TermPattern


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    text: str  # as written in the document
    terms: tuple[Term, ...]  # one per mode that lists this term (ambiguous terms have several)


def build_automaton(catalog: Catalog) -> ahocorasick.Automaton:
    by_key: dict[str, list[Term]] = defaultdict(list)
    for term in catalog.terms:
        by_key[term.text.lower()].append(term)
    automaton = ahocorasick.Automaton()
    for key, terms in by_key.items():
        automaton.add_word(key, (key, tuple(terms)))
    automaton.make_automaton()
    return automaton


def find_hits(text: str, automaton: ahocorasick.Automaton, patterns: Sequence[TermPattern] = ()) -> list[Hit]:
    """Leftmost-longest, non-overlapping term occurrences; Latin terms only at word boundaries.

    patterns: catalog regular expressions for term families, matched beside the automaton.
    """
    folded = text.lower()
    if len(folded) != len(text):  # a rare character whose lower case changes length
        folded = text
    candidates: list[_Candidate] = []
    for end_index, (key, terms) in automaton.iter(folded):
        start = end_index - len(key) + 1
        if key.isascii() and not _at_word_boundary(folded, start, end_index + 1):
            continue
        candidates.append(_Candidate(start, end_index + 1, terms, False))
    for pattern in patterns:
        for match in pattern.regex.finditer(text):
            term = Term(match.group(), pattern.mode, pattern.tag, None)
            candidates.append(_Candidate(match.start(), match.end(), (term,), True))
    candidates.sort(key=lambda c: (c.start, c.start - c.end))
    chosen: list[_Candidate] = []
    for candidate in candidates:
        if not any(_competes(candidate, kept) for kept in chosen):
            chosen.append(candidate)
    return [Hit(c.start, c.end, text[c.start : c.end], c.terms) for c in sorted(chosen, key=lambda c: c.start)]


class _Candidate(NamedTuple):
    start: int
    end: int
    terms: tuple[Term, ...]
    from_pattern: bool


def _competes(a: _Candidate, b: _Candidate) -> bool:
    """Overlapping words compete; a pattern (为客户……检测) competes only with hits of its own mode, so a
    construction for one mode never hides another mode's term inside it (为客户提供远程运维和检测)."""
    if a.start >= b.end or b.start >= a.end:
        return False
    if not (a.from_pattern or b.from_pattern):
        return True
    return bool({t.mode for t in a.terms} & {t.mode for t in b.terms})


def _at_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())
