"""Walk a submission's documents sentence by sentence and analyse only the sentences that hold a hit.

Segmenting every sentence with jieba+spaCy would cost ~0.4 MB/s; the automata find
the few sentences worth segmenting first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick
from spacy.attrs import IDX

from extractors.model import Block, Document

from .catalog import Catalog
from .nlp import load_nlp
from .sentences import iter_sentences
from .status import (
    PAST_MARKERS,
    Cue,
    SentenceContext,
    boilerplate_reason,
    delivery_spans,
    fact_figure,
    pattern_spans,
    policy_ngrams,
    policy_overlap,
    word_spans,
)
from .terms import Hit, build_automaton, find_hits

HEADING_RE = re.compile(r"^(?:第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+(?:\.\d+)*[、.．\s])")
FACTS_PER_HEADING = 2  # body sentences with facts read under a heading that names a practice
# '（一）建设三维协同设计平台' names what a project builds (its content), not a service it delivers.
BUILD_HEADING_RE = re.compile(HEADING_RE.pattern + r"\s*(?:建设|搭建|建立|打造|开发|引进|购置|升级|改造|新建|扩建)")
PLAN_HEADING_WORDS = ("下一步", "计划", "规划", "打算", "展望", "未来", "发展目标", "工作设想", "拟")


@dataclass(frozen=True, slots=True)
class Sentence:
    file: str
    page: int | None
    source: str
    ctx: SentenceContext
    hits: tuple[Hit, ...]  # mode term hits
    cue_hits: tuple[tuple[str, str], ...]  # (criterion id, cue) found in the sentence
    printed_page: int | None = None
    quote: str = ""  # what to quote when ctx.text holds more than the page's sentence (a heading put before it)
    heading: str = ""  # the heading whose practice this sentence's facts support
    general: bool = False  # cues three or more conditions of the track at once (set by matchers.conditions)


@dataclass(frozen=True, slots=True)
class Scanner:
    catalog: Catalog
    terms: ahocorasick.Automaton
    criteria_cues: ahocorasick.Automaton
    enumeration: ahocorasick.Automaton
    ngrams: frozenset[str]
    cue_patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (criterion id, regular-expression cue)


def make_scanner(catalog: Catalog) -> Scanner:
    return Scanner(catalog, build_automaton(catalog), _cue_automaton(catalog), _word_automaton(catalog.cues["enumeration"]),
                   policy_ngrams(catalog.policy_text),
                   tuple((c.id, p) for c in catalog.criteria.values() for p in c.cue_patterns))


def scan(documents: Sequence[Document], scanner: Scanner) -> list[Sentence]:
    """Every sentence of the package that holds a mode term or a condition cue, analysed."""
    nlp, matcher = load_nlp(scanner.catalog.root)
    found: list[Sentence] = []
    naming: dict[str, tuple[Hit, ...]] = {}  # heading → its term hits when it names a practice
    for doc in documents:
        section, under = None, 0  # the heading block whose body is being read, and its sentences read so far
        for block, in_plan, heading in _blocks_with_section(doc.blocks):
            if heading and heading not in naming:
                naming[heading] = () if BUILD_HEADING_RE.match(heading) else tuple(
                    find_hits(heading, scanner.terms, scanner.catalog.patterns))
            heading = heading if naming.get(heading) else ""
            if heading != section:
                section, under = heading, 0
            for _, text in iter_sentences(block.text):
                hits = find_hits(text, scanner.terms, scanner.catalog.patterns)
                cue_hits = _cue_hits(text, scanner.criteria_cues) + _pattern_cues(text, scanner.cue_patterns)
                if hits or cue_hits:
                    ctx = _context(text, nlp, matcher, scanner, in_plan)
                    found.append(Sentence(doc.path, block.page, block.source, ctx, tuple(hits), cue_hits, block.printed_page))
                if heading and under < FACTS_PER_HEADING and _reports_fact(text):
                    # '（一）提供整线交钥匙工程' / '2024年公司交付焊装线31条': the heading names the practice, the
                    # body gives the facts. The sentence is judged with its heading before it, quoted as it stands;
                    # only the heading's modes the sentence does not name itself are judged this way.
                    own = {t.mode for hit in hits for t in hit.terms}
                    lead = [h for h in naming[heading] if not own & {t.mode for t in h.terms}]
                    if lead:
                        under += 1
                        ctx = _context(f"{heading}：{text}", nlp, matcher, scanner, in_plan)
                        found.append(Sentence(doc.path, block.page, block.source, ctx, tuple(lead), (), block.printed_page,
                                              quote=text, heading=heading))
    return found


def prose_sentences(documents: Sequence[Document]) -> Iterator[tuple[Document, Block, bool, str]]:
    """Every sentence of running text (no tables, headings or running headers), with whether a plan heading governs it."""
    for doc in documents:
        for block, in_plan, _ in _blocks_with_section(doc.blocks):
            if block.is_table or _is_heading(block.text):
                continue
            for _, text in iter_sentences(block.text):
                yield doc, block, in_plan, text


def sentence_context(text: str, scanner: Scanner, in_plan: bool = False) -> SentenceContext:
    """The cues, boilerplate check and service constructions of one sentence, as scan() finds them."""
    nlp, matcher = load_nlp(scanner.catalog.root)
    return _context(text, nlp, matcher, scanner, in_plan)


def _reports_fact(text: str) -> bool:
    return fact_figure(text) or any(m in text for m in PAST_MARKERS)


def _blocks_with_section(blocks: Sequence[Block]) -> Iterator[tuple[Block, bool, str]]:
    """Each block with whether it sits under a plan/outlook heading (下一步计划, 发展规划 …), and the text of the
    heading above it when that heading names a practice in its own words (it has a term; see scan)."""
    in_plan = False
    heading = ""
    for block in blocks:
        if block.source == "furniture":
            continue  # running headers and footers would repeat one sentence on every page
        if not block.is_table and _is_heading(block.text):
            in_plan = any(w in block.text for w in PLAN_HEADING_WORDS)
            heading = block.text.strip()
            yield block, False, ""
            continue
        yield block, in_plan, "" if block.is_table else heading


def _is_heading(text: str) -> bool:
    text = text.strip()
    return len(text) <= 30 and "。" not in text and bool(HEADING_RE.match(text))


def _context(text: str, nlp, matcher, scanner: Scanner, in_plan: bool) -> SentenceContext:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    cues = tuple(
        Cue(nlp.vocab.strings[label], doc[s:e].start_char, doc[s:e].end_char, doc[s:e].text)
        for label, s, e in matcher(doc)
    )
    reason = boilerplate_reason(text, _count_names(text, scanner.enumeration), policy_overlap(text, scanner.ngrams), scanner.catalog.thresholds)
    # Token offsets in one array call: iterating Token objects cost a third of the analysis time.
    boundaries = frozenset(doc.to_array(IDX).tolist()) | {len(text)}
    delivery = delivery_spans(text, scanner.catalog.delivery, scanner.catalog.hedges)
    capability = word_spans(text, scanner.catalog.capability, boundaries)
    received = pattern_spans(text, scanner.catalog.received)
    naming = pattern_spans(text, scanner.catalog.naming)
    return SentenceContext(text, tuple(sorted(cues, key=lambda c: c.start)), reason, in_plan, boundaries, delivery, capability,
                           received, naming)


def _cue_automaton(catalog: Catalog) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    pairs: dict[str, list[str]] = {}
    for criterion in catalog.criteria.values():
        for cue in criterion.cues:
            pairs.setdefault(cue.lower(), []).append(criterion.id)
    for cue, ids in pairs.items():
        automaton.add_word(cue, (cue, tuple(ids)))
    automaton.make_automaton()
    return automaton


def _word_automaton(words: Sequence[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word.lower(), word)
    automaton.make_automaton()
    return automaton


def _cue_hits(text: str, automaton: ahocorasick.Automaton) -> tuple[tuple[str, str], ...]:
    seen: dict[tuple[str, str], None] = {}
    for _, (cue, ids) in automaton.iter(text.lower()):
        for cid in ids:
            seen[(cid, cue)] = None
    return tuple(seen)


def _pattern_cues(text: str, patterns: Sequence[tuple[str, re.Pattern[str]]]) -> tuple[tuple[str, str], ...]:
    """(criterion id, matched text) for the catalog's regular-expression cues; the match is lower-cased like
    the word cues, so cue_evidence finds it in the sentence the same way."""
    return tuple((cid, m.group().lower()) for cid, pattern in patterns if (m := pattern.search(text)))


def _count_names(text: str, automaton: ahocorasick.Automaton) -> int:
    """Distinct mode names in a sentence, longest match first (供应链管理 counts once, not also 供应链)."""
    spans = sorted(((end - len(w) + 1, end + 1, w) for end, w in automaton.iter(text.lower())), key=lambda s: (s[0], -s[1]))
    names: set[str] = set()
    last = -1
    for start, end, word in spans:
        if start >= last:
            names.add(word)
            last = end
    return len(names)
