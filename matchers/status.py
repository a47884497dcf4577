"""Decide the status of one term hit from its sentence: boilerplate, negated, planned, evidenced or mentioned."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .sentences import clause_span

CHECKBOX_CHARS = set("☑☐□■√✓✔☒▣◻◼○◯●")
EMPTY_BOXES = set("☐□◻○◯")
PAREN_BOXES_RE = re.compile(r"[^\s（(]{2,}\s*[（(]\s*[√✓✔]?\s*[)）].{0,20}[^\s（(]{2,}\s*[（(]\s*[√✓✔]?\s*[)）]")
FIGURE_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|万|亿|元|家|个|台|套|项|次|吨|人|年|天|小时|千瓦|kW|MW|平方米|㎡|倍|件|条|座|辆|份|笔|名|款)")
# Plain 建成 is no past marker: 预计2025年建成 is a plan.
PAST_MARKERS = ("已", "已经", "累计", "截至", "目前已")
# A mode name alone, even beside figures, is not practice: it needs a second term or a practice term.
BASE_SCORE = {"practice": 0.45, "abbr": 0.4, "name": 0.15, "weak": 0.3}
EVIDENCED_AT = 0.6
DELIVERY_IN_CLAUSE = 0.45
DELIVERY_IN_SENTENCE = 0.2
# Too common to reach beyond their own clause (在没有增加人员的情况下，通过VMI…).
WEAK_NEGATIONS = {"没有", "没", "无", "未", "不", "非"}
NGRAM = 4
LIST_MIN_ITEMS = 4
# 集成应用MES、PLM、WMS、SCADA、CRM、SCM等系统: an inventory of the company's own IT systems, not a service.
SYSTEM_LIST_RE = re.compile(r"(?:[A-Z]{2,6}\s*、\s*){3,}[A-Z]{2,6}")
# 将 means 'will' (not 把) when one of these follows it: 将对…进行, 将在, 将建成.
FUTURE_AFTER_JIANG = ("对", "在", "与", "向", "于", "为", "进一步", "继续", "加快", "全面", "逐步", "成为", "建成", "实现", "达到", "投入", "启动", "开展")
# 将 X 引入/纳入/转化为… is the 把 construction (率先将C2B的概念引入汽车行业): a verb with a directional or
# resultative complement after the object shows the 将 is 把, not 'will'.
BA_COMPLEMENT_RE = re.compile(
    r"[^，。；,;！!？?]{1,24}?(?:引入|纳入|融入|导入|植入|嵌入|注入|带入|接入|转化为|转变为|升级为|改造为|改造成|打造为|"
    r"打造成|变为|变成|上升为|提升为|确立为|列为|作为|用于|应用于|应用到|推向|推广到|推广至|交给|交由|提供给|集成到|集成于|整合到|延伸到|延伸至|"
    r"拓展到|拓展至|扩展到|投入|运用到|运用于|融合到|融合于)")
# Plan words that govern the predicate after them (预计…建成, 拟与…合作); nouns such as 规划 (方案规划) do not.
FORWARD_CUES = frozenset({"将", "将于", "将要", "即将", "拟", "拟于", "拟将", "计划于", "预计", "力争", "有望"})
# Plan words that make a whole sentence a proposal when nothing in it is done yet (公司拟与…合作，约定…，总金额5000万元):
# the figures after them describe the plan, not a result.
PROPOSAL_CUES = frozenset({"拟", "拟于", "拟将", "拟建", "拟投资", "计划于", "商定"})
# Cue labels that make a term a plan: plan words, and building under way (cues/underway.txt).
PLAN_LABELS = ("planned", "underway")
# A sentence that opens with its purpose (为扩大…，提升第三方物流配送能力，子公司拟投入1.89亿元建设…): the terms of the purpose
# clauses are the aim of the proposal that follows, not something done.
PURPOSE_OPENING_RE = re.compile(r"\s*为了?(?:扩大|提升|提高|满足|加快|推动|进一步|增强|完善|促进|优化|实现|加强|保障|适应)")
# 2019年 is a date, not a result; a figure after a forecast word (预计市场规模达1334亿元) is not the company's result.
YEAR_RE = re.compile(r"(?:19|20)\d{2}\s*年")
# A dated event (于2021年4月在深交所上市; 2016年起，公司调整业务模式): the date places the act in the past
# when it stands in the act's own clause or opens the sentence as a clause of its own.
DATED_RE = re.compile(r"(?<![到至截])((?:19|20)\d{2})\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?!以后|以前|之前|前后|左右|底前)")
LEADING_DATE_RE = re.compile(r"\s*(?:从|自|在|于)?\s*(?:(?:19|20)\d{2})\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?:起|以来|初|底|末|中|上半年|下半年)?\s*[，,]")
FORECAST_RE = re.compile(r"预计|预期|有望|力争|目标|将达|将超|将突破|将接近")


@dataclass(frozen=True, slots=True)
class Cue:
    label: str  # negated | planned | underway | concrete (lexicon/cues/<label>.txt)
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
    delivery: tuple[tuple[int, int], ...] = ()  # spans of service-delivery constructions (为客户提供…)
    capability: tuple[tuple[int, int], ...] = ()  # whole-token capability modals (可进行, 可实现)
    received: tuple[tuple[int, int], ...] = ()  # the company receives the service (为公司…提供)
    naming: tuple[tuple[int, int], ...] = ()  # titles, discussion topics, business segments, feature lists


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
    compact = "".join(sentence.split())
    count = len(compact) - NGRAM + 1
    if count < 6:
        return 0.0
    # map over the set's own __contains__: this runs on every hit sentence of every page
    return sum(map(ngrams.__contains__, (compact[i : i + NGRAM] for i in range(count)))) / count


def delivery_spans(text: str, patterns: Sequence[re.Pattern[str]], hedges: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Where the sentence says whom the company serves (为客户提供…, 为200家企业…); a hedge right before
    (可为客户提供, 致力于为客户提供) states a capability or an aim, not a delivery."""
    spans = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 4) : match.start()]
            if not any(before.endswith(h) for h in hedges):
                spans.append((match.start(), match.end()))
    return tuple(sorted(spans))


def pattern_spans(text: str, patterns: Sequence[re.Pattern[str]]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((m.start(), m.end()) for p in patterns for m in p.finditer(text)))


def fact_figure(text: str) -> bool:
    """A figure that reports a result: not a date (2019年) and not a forecast (预计…达1334亿元)."""
    for match in FIGURE_RE.finditer(text):
        if YEAR_RE.fullmatch(match.group()) and not text[max(0, match.start() - 1) : match.start()].isdigit():
            continue
        if not _forecast(text, match.start()):
            return True
    return False


def _dates_the_clause(text: str, match: re.Match[str], clause: tuple[int, int]) -> bool:
    if clause[0] <= match.start() < clause[1]:
        return True
    lead = LEADING_DATE_RE.match(text)
    return bool(lead) and match.end() <= lead.end()


def _dated_past(text: str, match: re.Match[str]) -> bool:
    return int(match.group(1)) <= date.today().year - 1 and not _forecast(text, match.start())


def _forecast(text: str, at: int) -> bool:
    """A forecast word earlier in the clause (预计2025年市场规模达1334亿元): what follows is not a result."""
    c_start, _ = clause_span(text, at, at)
    return bool(FORECAST_RE.search(text, c_start, at))


def word_spans(text: str, words: Sequence[str], boundaries: frozenset[int]) -> tuple[tuple[int, int], ...]:
    """Occurrences of words that stand as whole jieba tokens: 可 in 可进行, not in 可靠 or 可持续."""
    spans = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            if at in boundaries and at + len(word) in boundaries:
                spans.append((at, at + len(word)))
            at = text.find(word, at + 1)
    return tuple(sorted(spans))


def boilerplate_reason(sentence: str, mode_names_found: int, overlap: float, thresholds: dict[str, float]) -> str:
    """Why a sentence only names modes (policy quote, enumeration, checkbox), or ''."""
    if not CHECKBOX_CHARS.isdisjoint(sentence) or PAREN_BOXES_RE.search(sentence):
        return "勾选框/表单列举"
    if SYSTEM_LIST_RE.search(sentence):
        return "列举信息系统名称"
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
    plans = [c for c in ctx.cues if c.label in PLAN_LABELS and not (c.text == "将" and sentence_past)]
    plan = next((c for c in plans if c_start <= c.start <= start and not _ba(ctx.text, c)), None)
    lead_plan = next((c for c in plans if c.start < 4 and not _ba(ctx.text, c)), None)
    if plan is None and not sentence_past and not FIGURE_RE.search(clause):
        # '项目预计6月底前建设完成' / '将对…盾构机进行再制造，承接…再制造业务': a plan word after the term in its
        # clause, or earlier in a sentence that says nothing is done yet, still governs the term.
        plan = next((c for c in plans if _forward(ctx.text, c) and (c_start <= c.start < c_end or (
            c.start < start and not FIGURE_RE.search(ctx.text[c.start : start])))), None)
    if plan is None and not sentence_past:
        plan = _tail_plan(ctx, plans)
    if plan is None and not sentence_past:
        # '子公司拟与租赁公司合作，约定由其提供融资租赁服务，合作总金额5000万元': a proposal sentence.
        purpose_first = PURPOSE_OPENING_RE.match(ctx.text) is not None
        plan = next((c for c in plans if c.text in PROPOSAL_CUES and (c.start < start or purpose_first)), None)
    if plan is None and not sentence_past and not any(c.label == "concrete" for c in ctx.cues):
        # Building under way (日前开工建设, 举行奠基仪式, 主体封顶) speaks of the whole sentence, before or after the term.
        plan = next((c for c in plans if c.label == "underway"), None)
    if not past and (plan or lead_plan or ctx.in_plan_section):
        cue = plan or lead_plan
        return Verdict("planned", 0.3, f"计划词“{cue.text}”" if cue else "位于计划/展望章节")
    named = next((s for s in ctx.naming if s[0] <= start and end <= s[1]), None)
    if named:
        # '就降低危废处置成本等进行交流' / '关于向客户提供融资租赁回购担保的议案' / '涵盖云制造…3个业务板块'.
        return Verdict("mentioned", 0.2, f"仅为名称/议题“{ctx.text[named[0]:named[1]][:30]}”")
    received = next((s for s in ctx.received if s[0] < c_end and s[1] > c_start), None)
    if received:
        # '中兵节能环保为公司下属子公司提供节能服务': the company is the client; another party does the practice.
        return Verdict("mentioned", 0.2, f"本公司为服务接受方“{ctx.text[received[0]:received[1]]}”")
    hedge = next((h for h in ctx.capability if c_start <= h[0] < start), None)
    # '可为各行业企业提供废气治理': a modal before an offer to customers is how self-descriptions state the offer.
    if hedge and not past and not _serves(ctx, c_start, c_end) and not FIGURE_RE.search(clause):
        # '实验室可进行EMC电磁兼容测试': what the equipment can do, not a service delivered to anyone.
        return Verdict("mentioned", 0.3, f"能力/意愿表述“{ctx.text[hedge[0]:hedge[1]]}”")
    if _bare_list_item(ctx, clause[: start - c_start] + clause[end - c_start :], c_start, c_end, past):
        # '打造煤矿智能化应用：机群协同作业、远程控制、预测性维护、无人驾驶等': a product's feature list.
        return Verdict("mentioned", 0.3, "功能/业务罗列")
    return _concreteness(ctx, tag, same_mode_terms, (c_start, c_end), (start, end))


def _bare_list_item(ctx: SentenceContext, clause: str, c_start: int, c_end: int, past: bool) -> bool:
    """The term is one of ≥4 items of a 、-list whose clause has no figure, no 已 and no customer served.

    `clause` comes without the hit: a construction that holds the list itself (集设计、制造、安装…为一体) is no item."""
    if clause.count("、") < LIST_MIN_ITEMS - 1 or past or FIGURE_RE.search(clause):
        return False
    return not _serves(ctx, c_start, c_end)


def _serves(ctx: SentenceContext, c_start: int, c_end: int) -> bool:
    """A service-delivery construction (为客户提供…, 根据客户需求…) overlaps the clause."""
    return any(s[0] < c_end and s[1] > c_start for s in ctx.delivery)


def _tail_plan(ctx: SentenceContext, plans: list[Cue]) -> Cue | None:
    """'项目一期占地17.5万平方米，建设规模为…，预计今年10月建成投产': a plan word opening the last clause
    is the sentence's predicate when nothing outside that clause says anything is done."""
    tail_start, _ = clause_span(ctx.text, len(ctx.text.rstrip("。；;！!")) - 1, len(ctx.text))
    cue = next((c for c in plans if c.start >= tail_start and _forward(ctx.text, c)
                and not ctx.text[tail_start : c.start].strip()), None)
    if cue is None or any(c.label == "concrete" and c.start < tail_start for c in ctx.cues):
        return None
    return cue


def _ba(text: str, cue: Cue) -> bool:
    """A bare 将 that is 把: an object, then a verb with its complement (将C2B的概念引入汽车行业)."""
    return cue.text == "将" and not text.startswith(FUTURE_AFTER_JIANG, cue.end) and bool(
        BA_COMPLEMENT_RE.match(text, cue.end))


def _forward(text: str, cue: Cue) -> bool:
    """A plan word that governs what follows it. A bare 将 is often 把 (模式将电池升级为…, 通过将设备集成);
    it means 'will' when a preposition or a verb of becoming follows (将对…进行, 将在, 将建成)."""
    if cue.text != "将":
        return cue.text in FORWARD_CUES
    return text.startswith(FUTURE_AFTER_JIANG, cue.end) or not _ba(text, cue)


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


def _concreteness(ctx: SentenceContext, tag: str, same_mode_terms: int, clause: tuple[int, int] = (0, 0),
                  hit: tuple[int, int] = (0, 0)) -> Verdict:
    score = BASE_SCORE.get(tag, 0.25)
    reasons = [{"practice": "实践术语", "abbr": "缩写术语", "name": "模式名称", "weak": "一般术语"}.get(tag, tag)]
    # Real applicants rarely give figures; saying whom they serve (为客户提供定制化解决方案) is the fact.
    # In the term's own clause it makes even a mode name evidence; elsewhere in the sentence it supports.
    # A term inside the construction names the customer (为节能环保行业用户提供), not the service.
    spans = [s for s in ctx.delivery if not (s[0] < hit[0] and hit[1] < s[1])]
    in_clause = [s for s in spans if s[0] < clause[1] and s[1] > clause[0]]
    if spans:
        span = (in_clause or spans)[0]
        score += DELIVERY_IN_CLAUSE if in_clause else DELIVERY_IN_SENTENCE
        reasons.append(f"服务对象“{ctx.text[span[0]:span[1]]}”")
    if fact_figure(ctx.text):
        score += 0.2
        reasons.append("含数据")
    # 已 is found by character too: jieba glues it to its verb (已获, 已为).
    concrete = [c.text for c in ctx.cues if c.label == "concrete" and not _forecast(ctx.text, c.start)] or [
        m for m in PAST_MARKERS if m in ctx.text][:1]
    dated = [] if concrete else [m.group() for m in DATED_RE.finditer(ctx.text)
                                 if _dated_past(ctx.text, m) and _dates_the_clause(ctx.text, m, clause)][:1]
    if concrete or dated:
        score += 0.2
        reasons.append(f"实践词“{concrete[0]}”" if concrete else f"已发生（时间“{dated[0]}”）")
    if same_mode_terms > 1:
        score += 0.15
        reasons.append(f"同句{same_mode_terms}个相关术语")
    score = min(score, 1.0)
    status = "evidenced" if score >= EVIDENCED_AT else "mentioned"
    return Verdict(status, score, "，".join(reasons))
