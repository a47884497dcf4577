"""From analysed sentences to one finding per service mode (M01–M10)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from extractors.model import Document

from .catalog import MODE_IDS, Catalog, PlanDocuments, Term
from .form import document_text, marks_follow_labels
from .model import MODE_RANK, Evidence, Finding
from .scan import Sentence
from .sentences import clause_span
from .status import CHECKBOX_CHARS, EMPTY_BOXES, EVIDENCED_AT, FIGURE_RE, PAST_MARKERS, judge
from .terms import Hit

MENTION_FLOOR = 0.4  # a plain practice or abbreviation hit; demoted sentences score 0.1–0.3
PRACTICE_TAGS = ("practice", "abbr")
AMBIGUITY_REACH = 20  # characters between an ambiguous abbreviation and the context word that settles it


def mode_evidence(sentences: Sequence[Sentence], catalog: Catalog) -> list[Evidence]:
    """One Evidence per (sentence, mode) with the strongest verdict among the sentence's hits."""
    evidence: list[Evidence] = []
    for sentence in sentences:
        per_mode: dict[str, list[tuple[Hit, Term]]] = defaultdict(list)
        for hit in sentence.hits:
            if not _is_word(hit, sentence) or _unticked(hit, sentence.ctx.text):
                continue
            term = resolve(hit, sentence.ctx.text, catalog)
            if term is not None:
                per_mode[term.mode].append((hit, term))
        for mode, pairs in per_mode.items():
            if all(term.tag == "weak" for _, term in pairs):
                continue  # 安装调试 alone says nothing about lifecycle services
            evidence.append(_best(mode, pairs, sentence))
    return evidence


def _is_word(hit: Hit, sentence: Sentence) -> bool:
    """A short Chinese term must start or end on a jieba token boundary: 保理 is not in 确保理顺."""
    if hit.text.isascii() or len(hit.text) > 2:
        return True
    bounds = sentence.ctx.boundaries
    return hit.start in bounds or hit.end in bounds


def _unticked(hit: Hit, text: str) -> bool:
    """A mode name next to an empty box (□共享制造) in a form was not chosen: it is no mention at all."""
    after_paren = re.match(r"\s*[（(]\s*([√✓✔]?)\s*[)）]", text[hit.end : hit.end + 6])
    if after_paren:  # '共享制造（ ）' is not chosen, '共享制造（√）' is
        return not after_paren.group(1)
    if marks_follow_labels(text):  # '共享制造□' style: the mark follows its label
        after = text[hit.end : hit.end + 2].strip()
        return bool(after) and after[0] in EMPTY_BOXES
    before = text[max(0, hit.start - 12) : hit.start]
    marks = [ch for ch in before if ch in CHECKBOX_CHARS]
    return bool(marks) and marks[-1] in EMPTY_BOXES


def resolve(hit: Hit, sentence: str, catalog: Catalog) -> Term | None:
    """The term a hit stands for; an ambiguous abbreviation is settled by the words around it."""
    if len(hit.terms) == 1:
        return hit.terms[0]
    rules = catalog.ambiguous.get(hit.text.upper(), ())
    scored = [(_distance(hit, sentence, rule.near), i, rule) for i, rule in enumerate(rules) if rule.near]
    # A context word decides only near the abbreviation: the company's 分布式能源 three clauses away says nothing
    # about the EPC in a list of its services.
    scored = [s for s in scored if s[0] is not None and s[0] <= AMBIGUITY_REACH]
    chosen = min(scored, key=lambda s: (s[0], s[1]))[2] if scored else next((r for r in rules if not r.near), None)
    if chosen is None:
        return hit.terms[0]
    return next((t for t in hit.terms if t.mode == chosen.mode), None)


def _distance(hit: Hit, sentence: str, words: tuple[str, ...]) -> int | None:
    """Characters between the hit and the nearest context word (the client's 能源集团 far away must not decide)."""
    best = None
    for word in words:
        start = sentence.find(word)
        while start >= 0:
            gap = hit.start - (start + len(word)) if start < hit.start else start - hit.end
            best = max(gap, 0) if best is None else min(best, max(gap, 0))
            start = sentence.find(word, start + 1)
    return best


def _best(mode: str, pairs: list[tuple[Hit, Term]], sentence: Sentence) -> Evidence:
    # A term inside a title, a topic of talk or a department name (联合采购中心的专家以《…》为主题) does not support another.
    named = sentence.ctx.naming
    distinct = len({term.text for hit, term in pairs if not any(s <= hit.start and hit.end <= e for s, e in named)}) or 1
    verdicts = [(judge(sentence.ctx, hit.start, hit.end, term.tag, distinct), hit) for hit, term in pairs]
    negated = next((v for v, _ in verdicts if v.status == "negated"), None)
    if negated and not any(_clause_is_concrete(sentence.ctx.text, hit) for v, hit in verdicts if v.status != "negated"):
        # '检测中心只服务内部质量控制，尚未对外开展检测服务': the sentence denies the mode; the
        # other term only names the thing being denied.
        verdict = negated
    else:
        verdict, _ = min(verdicts, key=lambda v: (MODE_RANK[v[0].status], -v[0].score))
    terms = tuple(dict.fromkeys(hit.text for hit, _ in pairs))
    reason = f"{verdict.reason}，标题“{sentence.heading}”下的实绩" if sentence.heading else verdict.reason
    return Evidence(mode, verdict.status, verdict.score, sentence.file, sentence.page, sentence.quote or sentence.ctx.text,
                    terms, reason, sentence.source, sentence.printed_page)


def _clause_is_concrete(text: str, hit: Hit) -> bool:
    start, end = clause_span(text, hit.start, hit.end)
    clause = text[start:end]
    return bool(FIGURE_RE.search(clause)) or any(m in clause for m in PAST_MARKERS)


def submission_evidence(sentences: Sequence[Sentence], documents: Sequence[Document], catalog: Catalog) -> list[Evidence]:
    """Mode evidence of one submission: every sentence judged, then offering-document sentences read as plans."""
    return plan_document_evidence(mode_evidence(sentences, catalog), document_text(documents), catalog)


def plan_document_evidence(evidence: Sequence[Evidence], text: str, catalog: Catalog) -> list[Evidence]:
    """In an offering document that never says the offering is done, offering-only `evidenced` sentences are plans.

    A prospectus writes 首次公开发行 and 已聘请保荐人 about the listing it applies for; its past tense and
    figures are the application's, not a completed offering's."""
    marks = {r.mode: (r, m.group(0)) for r in catalog.plan_documents
             if (m := r.document.search(text)) and not r.done.search(text)}
    return [_as_planned(e, marks[e.target][1]) if e.target in marks and _offering_only(e, marks[e.target][0]) else e
            for e in evidence]


def _offering_only(e: Evidence, rule: PlanDocuments) -> bool:
    return e.status == "evidenced" and bool(e.terms) and all(rule.terms.search(t) for t in e.terms)


def _as_planned(e: Evidence, mark: str) -> Evidence:
    return replace(e, status="planned", reason=f"{e.reason}；发行文件（“{mark}”），未写发行完成")


def mode_findings(evidence: Sequence[Evidence], catalog: Catalog) -> dict[str, Finding]:
    """Precedence evidenced > planned > negated > mentioned > absent, best-scored quotes first."""
    limit = int(catalog.thresholds.get("evidence_per_target", 5))
    findings: dict[str, Finding] = {}
    tags = {term.text.upper(): term.tag for term in catalog.terms}
    for mode in MODE_IDS:
        items = [e for e in evidence if e.target == mode]
        if not items:
            findings[mode] = Finding(mode, "absent", 0.0, (), "未找到相关内容")
            continue
        status = min((e.status for e in items), key=MODE_RANK.__getitem__)
        chosen = sorted((e for e in items if e.status == status), key=lambda e: -e.score)
        unique = list({e.text: e for e in chosen}.values())[:limit]
        recurring = _recurring_practice(unique if status == "mentioned" else [], tags, catalog)
        if recurring:
            findings[mode] = Finding(mode, "evidenced", EVIDENCED_AT, tuple(recurring[:limit]),
                                     f"同一做法在 {len(recurring)} 处叙述")
            continue
        findings[mode] = Finding(mode, status, unique[0].score, tuple(unique), unique[0].reason)
    return findings


def _recurring_practice(items: Sequence[Evidence], tags: dict[str, str], catalog: Catalog) -> list[Evidence]:
    """Plain sentences that name a practice, when there are enough of them to make it the subject of the text.

    Press stories and case write-ups tell a practice (C2B, 再制造, 共享工厂) over several sentences
    without one figure; a single passing mention stays `mentioned`. Demoted sentences (names,
    topics, hedges, boilerplate) score below MENTION_FLOOR and never count.
    """
    needed = int(catalog.thresholds.get("recurring_practice", 0))
    plain = [e for e in items if e.score >= MENTION_FLOOR and any(tags.get(t.upper(), "practice") in PRACTICE_TAGS for t in e.terms)]
    return plain if needed and len(plain) >= needed else []
