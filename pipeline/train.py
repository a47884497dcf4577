"""Train the sentence model (matchers/learned.py) from labelled sentences of real text.

Training data are JSONL files, one excerpt per line: {"source": …, "sentences": [{"text": …, "modes": {"M06":
"evidenced", "M07": "mentioned"}}, …]}. A mode not listed is absent; "unlabelled" means the sentence sits in a
passage labelled for that mode but was not the one quoted, so it teaches nothing about it. Only `evidenced` is a
positive: a planned, denied or merely named practice is what the model must learn to leave alone.

Needs scikit-learn (pip install -e '.[train]'); audits only read the written JSON.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matchers.catalog import MODE_IDS
from matchers.learned import SentenceModel, features, save_model

MIN_DF = 2  # an n-gram seen in one sentence only is that sentence's, not a way of writing
SKIP = "unlabelled"


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    modes: dict[str, str]


def read_sentences(paths: Iterable[Path]) -> list[Labelled]:
    rows: list[Labelled] = []
    for path in paths:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                excerpt = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: 不是有效的 JSON：{exc}") from exc
            for s in excerpt.get("sentences") or []:
                text = str(s.get("text") or "").strip()
                if text:
                    rows.append(Labelled(text, {str(k): str(v) for k, v in (s.get("modes") or {}).items()}))
    return rows


def train(rows: Sequence[Labelled], c: float = 2.0, modes: Sequence[str] = MODE_IDS) -> SentenceModel:
    """One class-balanced logistic regression per mode over binary character n-grams, unit-normalised."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    grams = [features(r.text) for r in rows]
    df = Counter(g for gs in grams for g in gs)
    vocabulary = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= MIN_DF))}
    data, indices, indptr = [], [], [0]
    for gs in grams:
        cols = sorted(vocabulary[g] for g in gs if g in vocabulary)
        data.extend([1.0 / math.sqrt(len(gs))] * len(cols))
        indices.extend(cols)
        indptr.append(len(indices))
    x = csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))
    weights = np.zeros((len(vocabulary), len(modes)))
    bias = np.full(len(modes), -20.0)  # a mode with no positive example never fires
    for j, mode in enumerate(modes):
        keep = np.array([r.modes.get(mode) != SKIP for r in rows])
        y = np.array([r.modes.get(mode) == "evidenced" for r in rows])
        if y[keep].sum() < 2 or (~y[keep]).sum() < 2:
            continue
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
        model.fit(x[keep], y[keep])
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
    return SentenceModel(tuple(modes), vocabulary, weights, bias)


def counts(rows: Sequence[Labelled]) -> dict[str, int]:
    return {m: sum(r.modes.get(m) == "evidenced" for r in rows) for m in MODE_IDS}


def train_files(paths: Sequence[Path], out: Path, c: float = 2.0) -> dict[str, object]:
    rows = read_sentences(paths)
    if not rows:
        raise ValueError("训练数据中没有句子")
    model = train(rows, c)
    meta = {"sentences": len(rows), "evidenced": counts(rows), "C": c, "min_df": MIN_DF,
            "data": sorted(p.name for p in paths), "ngrams": len(model.vocabulary)}
    save_model(model, out, meta)
    return meta
