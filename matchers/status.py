"""Decide the status of one term hit from its sentence: boilerplate, negated, planned, evidenced or mentioned."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sentences import clause_span

CHECKBOX_CHARS = set("☑☐□■√✓✔☒▣◻◼○◯●")
EMPTY_BOXES = set("☐□◻○◯")
PAREN_BOXES_RE = re.compile(r"[^\s（(]{2,}\s*[（(]\s*[√✓✔]?\s*[)）].{0,20}[^\s（(]{2,}\s*[（(]\s*[√✓✔]?\s*[)）]")
FIGURE_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|万|亿|元|家|个|台|套|项|次|吨|人|年|天|小时|千瓦|kW|MW|平方米|㎡|倍|件)")
# Plain 建成 is no past marker: 预计2025年建成 is a plan.
PAST_MARKERS = ("已", "已经", "累计", "截至", "目前已")
# A mode name alone, even beside figures, is not practice: it needs a second term or a practice term.
BASE_SCORE = {"practice": 0.45, "abbr": 0.4, "name": 0.15, "weak": 0.3}
EVIDENCED_AT = 0.6
# Too common to reach beyond their own clause (在没有增加人员的情况下，通过VMI…).
WEAK_NEGATIONS = {"没有", "没", "无", "未", "不", "非"}
NGRAM = 4


@dataclass(frozen=True, slots=True)
class Cue:
    label: str  # negated | planned | concrete
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What is known about a sentence before looking at any one hit."""

    text: str
    cues: tuple[Cue, ...]
    boilerplate: str  # "" or why the sentence is boilerplate
    in_plan_section: bool = False
    boundaries: frozenset[int] = frozenset()  # character offsets where jieba tokens start or end


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str
    score: float
    reason: str


def policy_ngrams(policy_text: str) -> frozenset[str]:
    compact = re.sub(r"\s+", "", policy_text)
    return frozenset(compact[i : i + NGRAM] for i in range(len(compact) - NGRAM + 1))


def policy_overlap(sentence: str, ngrams: frozenset[str]) -> float:
    """Share of a sentence's 4-character pieces that also occur in the policy text."""
    compact = re.sub(r"\s+", "", sentence)
    pieces = [compact[i : i + NGRAM] for i in range(len(compact) - NGRAM + 1)]
    if len(pieces) < 6:
        return 0.0
    return sum(p in ngrams for p in pieces) / len(pieces)


def boilerplate_reason(sentence: str, mode_names_found: int, overlap: float, thresholds: dict[str, float]) -> str:
    """Why a sentence only names modes (policy quote, enumeration, checkbox), or ''."""
    if any(ch in CHECKBOX_CHARS for ch in sentence) or PAREN_BOXES_RE.search(sentence):
        return "勾选框/表单列举"
    if mode_names_found >= thresholds.get("enumeration_min", 3):
        return f"列举{mode_names_found}种模式名称"
    if overlap >= thresholds.get("boilerplate_overlap", 0.55):
        return f"与政策原文重合{overlap:.0%}"
    return ""


def judge(ctx: SentenceContext, start: int, end: int, tag: str, same_mode_terms: int) -> Verdict:
    """The status of the hit at [start, end) of the sentence."""
    if ctx.boilerplate:
        return Verdict("mentioned", 0.1, ctx.boilerplate)
    c_start, c_end = clause_span(ctx.text, start, end)
    clause = ctx.text[c_start:c_end]
    in_clause = [c for c in ctx.cues if c.start >= c_start and c.end <= c_end]
    past = any(m in clause for m in PAST_MARKERS)
    negation = next((c for c in in_clause if c.label == "negated"), None) or _wide_negation(ctx, start, end, clause)
    if negation:
        return Verdict("negated", 0.2, f"否定词“{negation.text}”")
    sentence_past = any(m in ctx.text for m in PAST_MARKERS)
    # A bare 将 also means 把 (公司将供应商纳入VMI管理，已覆盖80家): a plan only when nothing says "already".
    plans = [c for c in ctx.cues if c.label == "planned" and not (c.text == "将" and sentence_past)]
    plan = next((c for c in plans if c_start <= c.start <= start), None)
    lead_plan = next((c for c in plans if c.start < 4), None)
    if not past and (plan or lead_plan or ctx.in_plan_section):
        cue = plan or lead_plan
        return Verdict("planned", 0.3, f"计划词“{cue.text}”" if cue else "位于计划/展望章节")
    return _concreteness(ctx, tag, same_mode_terms)


def _wide_negation(ctx: SentenceContext, start: int, end: int, clause: str) -> Cue | None:
    """'检验检测方面，平台暂不提供服务' / '工业设计方面，公司暂未涉及': a negation that ends its clause
    with no object of its own speaks of the sentence's topic, unless the hit's clause says it is done."""
    if any(m in clause for m in PAST_MARKERS):
        return None
    for cue in ctx.cues:
        if cue.label != "negated" or cue.text in WEAK_NEGATIONS:
            continue
        c_start, c_end = clause_span(ctx.text, cue.start, cue.end)
        if c_start <= start < c_end:
            continue
        tail = ctx.text[cue.end : c_end].rstrip("。；;！!")
        if len(tail) <= 4:
            return cue
    return None


def _concreteness(ctx: SentenceContext, tag: str, same_mode_terms: int) -> Verdict:
    score = BASE_SCORE.get(tag, 0.25)
    reasons = [{"practice": "实践术语", "abbr": "缩写术语", "name": "模式名称", "weak": "一般术语"}.get(tag, tag)]
    if FIGURE_RE.search(ctx.text):
        score += 0.2
        reasons.append("含数据")
    # 已 is found by character too: jieba glues it to its verb (已获, 已为).
    concrete = [c.text for c in ctx.cues if c.label == "concrete"] or [m for m in PAST_MARKERS if m in ctx.text][:1]
    if concrete:
        score += 0.2
        reasons.append(f"实践词“{concrete[0]}”")
    if same_mode_terms > 1:
        score += 0.15
        reasons.append(f"同句{same_mode_terms}个相关术语")
    score = min(score, 1.0)
    status = "evidenced" if score >= EVIDENCED_AT else "mentioned"
    return Verdict(status, score, "，".join(reasons))
