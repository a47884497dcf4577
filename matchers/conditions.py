"""Conditions of each track (ENT-*, PRJ-*, PLT-*): met / weak / missing with quoted evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .catalog import Catalog, Criterion
from .model import Evidence, Fields, Finding
from .scan import Sentence
from .status import FIGURE_RE, fact_figure, judge

# A sentence that touches this many conditions of its track at once (公司重视服务投入，客户稳定，服务专业高效)
# is a general statement: it proves a condition only with a reported figure or the condition's own evidence.
GENERAL_SPREAD = 3


def condition_findings(track: str | None, sentences: Sequence[Sentence], mode_evidence: Sequence[Evidence],
                       fields: Fields, declared: Sequence[str], platform_type: str | None,
                       catalog: Catalog) -> dict[str, Finding]:
    findings: dict[str, Finding] = {}
    siblings = frozenset(c.id for c in catalog.criteria_for(track))
    sentences = [_marked_general(s, siblings) for s in sentences]
    for criterion in catalog.criteria_for(track):
        if criterion.kind == "ratio":
            findings[criterion.id] = _ratio(criterion, fields, sentences, catalog)
        elif criterion.kind == "platform_type":
            findings[criterion.id] = _platform_type(criterion, platform_type, sentences, catalog)
        elif criterion.kind == "project_content":
            findings[criterion.id] = _project_content(criterion, sentences, mode_evidence, declared, catalog)
        elif criterion.kind == "service_practice":
            findings[criterion.id] = _service_practice(criterion, sentences, mode_evidence, catalog)
        else:
            findings[criterion.id] = _by_cues(criterion, sentences, catalog, need_figure=criterion.kind == "performance")
    return findings


def _marked_general(sentence: Sentence, siblings: frozenset[str]) -> Sentence:
    """The sentence, marked general when it cues GENERAL_SPREAD or more conditions of the track (see cue_evidence)."""
    spread = {cid for cid, _ in sentence.cue_hits if cid in siblings}
    return replace(sentence, general=True) if len(spread) >= GENERAL_SPREAD else sentence


def cue_evidence(criterion: Criterion, sentences: Sequence[Sentence], need_figure: bool = False) -> list[Evidence]:
    """Sentences with the criterion's cues, judged like mode hits; strong ones carry figures or practice words.

    A general sentence (one touching three or more conditions) is strong only with a figure that reports a
    result or the condition's own evidence pattern; a practice word (实现, 建立了) is not enough there, so one
    broad sentence does not satisfy three conditions.
    """
    evidence = []
    for sentence in sentences:
        cues = [cue for cid, cue in sentence.cue_hits if cid == criterion.id]
        if not cues or sentence.ctx.boilerplate:
            continue  # a form row or a policy quotation says nothing about the applicant
        text = sentence.ctx.text
        start = text.lower().find(cues[0])
        verdict = judge(sentence.ctx, start, start + len(cues[0]), "practice", len(cues))
        if verdict.status == "negated" or (verdict.status == "planned" and not criterion.allow_planned):
            continue
        own = criterion.evidence is not None and bool(criterion.evidence.search(text))
        strong = (verdict.status in ("evidenced", "planned")
                  and (not need_figure or bool(FIGURE_RE.search(text)))
                  and (criterion.evidence is None or own)
                  and (not sentence.general or own or fact_figure(text)))
        evidence.append(Evidence(criterion.id, "met" if strong else "weak", verdict.score if strong else verdict.score / 2,
                                 sentence.file, sentence.page, sentence.ctx.text, tuple(cues), verdict.reason, sentence.source,
                                 sentence.printed_page))
    return evidence


def _by_cues(criterion: Criterion, sentences: Sequence[Sentence], catalog: Catalog, need_figure: bool = False) -> Finding:
    return _grade(criterion, cue_evidence(criterion, sentences, need_figure), catalog)


def _grade(criterion: Criterion, evidence: list[Evidence], catalog: Catalog) -> Finding:
    limit = int(catalog.thresholds.get("evidence_per_target", 5))
    evidence = sorted({e.text: e for e in evidence}.values(), key=lambda e: (e.status != "met", -e.score))
    strong = sum(e.status == "met" for e in evidence)
    if strong >= criterion.min_met:
        status, reason = "met", f"{strong}条具体证据"
    elif evidence:
        status, reason = "weak", f"仅{strong}条具体证据（需{criterion.min_met}条），另有{len(evidence) - strong}条一般性表述"
    else:
        status, reason = "missing", "未找到相关内容"
    score = min(1.0, strong / max(criterion.min_met, 1)) if evidence else 0.0
    return Finding(criterion.id, status, round(score, 3), tuple(evidence[:limit]), reason)


def _service_practice(criterion: Criterion, sentences: Sequence[Sentence], mode_evidence: Sequence[Evidence],
                      catalog: Catalog) -> Finding:
    """Service investment and model innovation: stated in cue words, or shown by modes practised with figures.

    Case narratives rarely say 服务投入 or 模式创新; a company that runs a service mode with customers and
    figures (thresholds.service_practice_modes, default 1) has invested in service and changed its model.
    """
    finding = _grade(criterion, cue_evidence(criterion, sentences), catalog)
    practised = {e.target for e in mode_evidence if e.status == "evidenced"}
    if finding.status == "met" or len(practised) < int(catalog.thresholds.get("service_practice_modes", 1)):
        return finding
    best = sorted((e for e in mode_evidence if e.status == "evidenced"), key=lambda e: -e.score)
    quotes = tuple({e.target: e for e in best}.values())[:3]
    reason = f"已开展{len(practised)}种服务模式（{'、'.join(sorted(practised))}），体现服务投入与模式创新"
    return Finding(criterion.id, "met", 0.8, quotes, reason)


def _ratio(criterion: Criterion, fields: Fields, sentences: Sequence[Sentence], catalog: Catalog) -> Finding:
    threshold = catalog.thresholds.get("service_ratio_met", 0.30)
    quotes = tuple(e for e in cue_evidence(criterion, sentences) if FIGURE_RE.search(e.text))[:3]
    if fields.service_ratio is None:
        status = "weak" if quotes else "missing"
        return Finding(criterion.id, status, 0.0, quotes, "未能计算服务收入占比" + ("，但有相关表述" if quotes else ""))
    ratio = fields.service_ratio
    status = "met" if ratio >= threshold else "weak"
    reason = f"{fields.year or ''}年服务收入占比{ratio:.1%}（阈值{threshold:.0%}）"
    return Finding(criterion.id, status, round(min(1.0, ratio / threshold), 3), quotes, reason)


def _platform_type(criterion: Criterion, platform_type: str | None, sentences: Sequence[Sentence],
                   catalog: Catalog) -> Finding:
    if platform_type == criterion.id:
        quotes = tuple(e for e in cue_evidence(criterion, sentences))[:3]
        return Finding(criterion.id, "met", 1.0, quotes, "申报的平台类型")
    return Finding(criterion.id, "missing", 0.0, (), "非申报的平台类型")


def _project_content(criterion: Criterion, sentences: Sequence[Sentence], mode_evidence: Sequence[Evidence],
                     declared: Sequence[str], catalog: Catalog) -> Finding:
    """Construction content counts only in sentences about the declared project type."""
    typed = {(e.file, e.text) for e in mode_evidence if e.target in declared and e.status in ("evidenced", "planned")}
    evidence = [e for e in cue_evidence(criterion, sentences) if (e.file, e.text) in typed]
    if not typed:
        return Finding(criterion.id, "missing", 0.0, (), "未找到申报项目类型的建设内容")
    finding = _grade(criterion, evidence, catalog)
    if finding.status == "missing":
        return Finding(criterion.id, "weak", 0.2, (), "有申报类型的相关表述，但未见具体建设内容")
    return finding
