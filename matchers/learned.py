"""A small sentence model beside the rules: finds practice told in words no term list anticipates.

Real applicants describe a service without naming it (抢修辽宁某钢铁集团的故障设备并成功并网; 定期举办用户培训班).
The rules find named practices; this model, trained on labelled sentences of real published text
(samples/train, `smaudit train-model`), scores every prose sentence per mode. A mode the rules leave
absent or mentioned becomes evidenced when one sentence scores at the catalog's threshold and nothing in
that sentence says it is planned, denied, boilerplate or received from another company.

The model is plain data (lexicon/model/sentences.json: character n-grams and one weight per mode): it runs
with numpy on the CPU and nothing is fetched at run time. Deleting `sentence_model` from criteria.yaml
turns it off.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from extractors.model import Document

from .catalog import Catalog
from .model import Evidence, Finding
from .scan import Scanner, prose_sentences, sentence_context
from .status import PAST_MARKERS, PLAN_LABELS, WEAK_NEGATIONS, SentenceContext

NGRAM = (1, 3)
MIN_CHARS = 12  # headings and table labels are shorter; a practice needs a clause
PROMOTABLE = ("absent", "mentioned")
HINTS = 2  # leads per open mode: enough to point at the passage, few enough to read
DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class SentenceModel:
    modes: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray  # (n-grams, modes)
    bias: np.ndarray  # (modes,)


def features(text: str) -> set[str]:
    """Distinct character n-grams; every number is one symbol, so 年产3万台 and 年产12万台 look alike."""
    text = DIGITS_RE.sub("0", text.lower())
    return {text[i : i + n] for n in range(NGRAM[0], NGRAM[1] + 1) for i in range(len(text) - n + 1)}


def probabilities(model: SentenceModel, text: str) -> np.ndarray:
    """P(the sentence evidences the mode) for each of model.modes."""
    return probabilities_of(model, [text])[0]


def probabilities_of(model: SentenceModel, texts: Sequence[str]) -> np.ndarray:
    """probabilities() for many sentences in one array operation: (sentences, modes)."""
    vocabulary = model.vocabulary
    rows: list[int] = []
    starts: list[int] = []
    scale = np.zeros(len(texts))
    for k, text in enumerate(texts):
        grams = features(text)
        starts.append(len(rows))
        rows.extend(i for i in map(vocabulary.get, grams) if i is not None)
        # Training normalised each sentence's binary n-gram vector to unit length over all its n-grams.
        scale[k] = 1.0 / math.sqrt(len(grams)) if grams else 0.0
    sums = np.zeros((len(texts), len(model.modes)))
    if rows:
        filled = [k for k in range(len(texts)) if starts[k] < (starts[k + 1] if k + 1 < len(texts) else len(rows))]
        sums[filled] = np.add.reduceat(model.weights[rows], [starts[k] for k in filled], axis=0)
    logits = model.bias + sums * scale[:, None]
    return 1.0 / (1.0 + np.exp(-logits))


def save_model(model: SentenceModel, path: Path, meta: dict[str, object]) -> None:
    grams = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    data = {"meta": meta, "modes": list(model.modes), "bias": [round(float(b), 5) for b in model.bias],
            "ngrams": grams, "weights": [[round(float(w), 4) for w in row] for row in model.weights]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


@functools.cache
def load_model(path: Path) -> SentenceModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return SentenceModel(tuple(data["modes"]), {g: i for i, g in enumerate(data["ngrams"])},
                         np.asarray(data["weights"], dtype=np.float64), np.asarray(data["bias"], dtype=np.float64))


def blocked(ctx: SentenceContext) -> str:
    """Why the sentence cannot be evidence whatever it describes ("" when it can)."""
    if ctx.in_plan_section:
        return "位于计划/展望章节"
    if ctx.boilerplate:
        return ctx.boilerplate
    past = any(m in ctx.text for m in PAST_MARKERS)
    for cue in ctx.cues:
        if cue.label == "negated" and cue.text not in WEAK_NEGATIONS:
            return f"否定词“{cue.text}”"
        # A bare 将 is as often 把 as 'will': it plans only where nothing says "already".
        if cue.label in PLAN_LABELS and not past and cue.text != "将":
            return f"计划词“{cue.text}”"
    if ctx.received:
        return "本公司为服务接受方"
    return ""


def model_findings(findings: dict[str, Finding], documents: Sequence[Document], scanner: Scanner) -> dict[str, Finding]:
    """The rules' findings, with absent/mentioned modes promoted where a sentence scores at the threshold, and the
    sentences that score at the hint threshold attached to the modes left open as leads for the reviewer."""
    catalog: Catalog = scanner.catalog
    if catalog.sentence_model is None:
        return findings
    open_modes = [m for m, f in findings.items() if f.status in PROMOTABLE]
    if not open_modes:
        return findings
    model = load_model(catalog.sentence_model)
    limit = int(catalog.thresholds.get("evidence_per_target", 5))
    sure = catalog.model_threshold
    floor = min(sure, catalog.hint_threshold or sure)
    wanted = HINTS if catalog.hint_threshold is not None else 0
    found = _scored(model, prose_sentences(documents), open_modes, floor)
    out = dict(findings)
    for mode in open_modes:
        name = catalog.mode_names.get(mode, mode)
        quotes: list[Evidence] = []
        leads: list[Evidence] = []
        for p, top, doc, block, in_plan, text in sorted(found.get(mode, []), key=lambda x: -x[0]):
            if len(leads) >= wanted and (p < sure or len(quotes) >= limit):
                break  # best first: nothing further can be used
            if blocked(sentence_context(text, scanner, in_plan)):
                continue
            if p >= sure and top and len(quotes) < limit:
                quotes.append(Evidence(mode, "evidenced", round(p, 3), doc.path, block.page, text, (),
                                       f"模型判断：与已标注的{name}实践句相似（{p:.2f}）", block.source, block.printed_page))
            elif len(leads) < wanted:
                leads.append(Evidence(mode, findings[mode].status, round(p, 3), doc.path, block.page, text, (),
                                      f"模型线索：可能是{name}的实践（{p:.2f}），请复核", block.source, block.printed_page))
        if quotes:
            out[mode] = Finding(mode, "evidenced", quotes[0].score, tuple(quotes), quotes[0].reason)
        elif leads:
            out[mode] = replace(findings[mode], hints=tuple(leads))
    return out


def _scored(model: SentenceModel, sentences: Iterable[tuple[Document, object, bool, str]], modes: Sequence[str],
            floor: float) -> dict[str, list[tuple[float, bool, Document, object, bool, str]]]:
    """Per mode, every sentence scoring at floor, with whether the mode is the one the sentence is most like."""
    columns = [model.modes.index(m) for m in modes if m in model.modes]
    found: dict[str, list[tuple[float, bool, Document, object, bool, str]]] = {}
    kept = [s for s in sentences if len(s[3]) >= MIN_CHARS]
    for (doc, block, in_plan, text), probs in zip(kept, probabilities_of(model, [s[3] for s in kept]), strict=True):
        top = float(probs.max())
        for col in columns:
            if probs[col] >= floor:
                # A sentence evidences at most the mode it is most like: 对外提供设计服务 is design, not after-sales.
                found.setdefault(model.modes[col], []).append(
                    (float(probs[col]), bool(probs[col] == top), doc, block, in_plan, text))
    return found
