"""Can a small learned model decide `evidenced` better than the rules? Side by side, on held-out text.

The model is a logistic regression over what the matcher already reports for each (passage, mode): the
rules' status, best score, number of quoted sentences, and which reasons fired (服务对象, 含数据, 实践词,
模式名称, 计划词 …), plus the mode. It is trained on samples/real DEV (odd ra/rb/rc ids and rd/re) alone, and
again on DEV with samples/cases and samples/packages, then scored at several thresholds on what it never
saw: samples/real TEST (even ra/rb/rc ids), the later real sets samples/real-rf, real-rg, real-rh, real-ri, real-rj, real-rk and
real-rl (labelled blind; rg, rh, ri, rk and rj's odd ids have since been read for rules, rf and rl never), and the synthetic
hold-out samples/eval. The rules' own scores are printed beside it (since 2026-12-06 the audit it reads includes the
sentence model of matchers/learned.py; delete `sentence_model` from lexicon/criteria.yaml to compare with the rules alone).

Needs scikit-learn, which the product does not: pip install -e '.[research]'

    .venv/bin/python bench/model_vs_rules.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
MODES = [f"M{i:02d}" for i in range(1, 11)]
STATUSES = ["evidenced", "planned", "negated", "mentioned", "absent"]
# Words of the rules' reason texts (matchers/status.py): which evidence each quote was judged on.
REASONS = ["服务对象", "含数据", "实践词", "同句", "模式名称", "实践术语", "缩写术语", "一般术语", "计划词", "能力",
           "仅为名称", "功能", "勾选", "否定", "接受方", "标题"]
SETS = {"real": "samples/real", "real-rf": "samples/real-rf", "real-rg": "samples/real-rg", "real-rh": "samples/real-rh", "real-ri": "samples/real-ri", "real-rj": "samples/real-rj", "real-rk": "samples/real-rk",
        "real-rl": "samples/real-rl",
        "eval": "samples/eval", "cases": "samples/cases", "packages": "samples"}
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)

Row = tuple[str, list[float], bool, bool]  # submission, features, gold evidenced, rules evidenced


def audit(name: str, folder: Path, out: Path) -> Path:
    jsonl = out / f"{name}.jsonl"
    packages = ROOT / SETS[name] / "packages"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "audit", str(packages), "-o", str(out / f"{name}.xlsx"),
                    "--json", str(jsonl), "--no-cache", "-q"], check=True, cwd=ROOT, capture_output=True)
    return jsonl


def rows(name: str, jsonl: Path) -> list[Row]:
    gold_path = ROOT / SETS[name] / "gold.jsonl"
    gold = {json.loads(line)["submission"]: json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()}
    pred = {json.loads(line)["submission"]: json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()}
    out = []
    for sub, labels in gold.items():
        for mode in MODES:
            finding = pred[sub]["modes"][mode]
            quotes = finding.get("evidence") or []
            features = [float(finding["status"] == s) for s in STATUSES]
            features += [max((q["score"] for q in quotes), default=0.0), len(quotes) / 5]
            features += [sum(word in (q.get("reason") or "") for q in quotes) / 5 for word in REASONS]
            features += [float(mode == m) for m in MODES]
            out.append((sub, features, labels["modes"][mode]["status"] == "evidenced", finding["status"] == "evidenced"))
    return out


def is_dev(submission: str) -> bool:
    match = re.match(r"r([a-e])(\d+)", submission)
    return bool(match) and (match.group(1) in "de" or int(match.group(2)) % 2 == 1)


def prf(gold: list[bool], pred: list[bool]) -> str:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"{precision:.3f} {recall:.3f} {f1:.3f}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = {name: rows(name, audit(name, ROOT, Path(tmp))) for name in SETS}
    real = data["real"]
    held_out = {"TEST": [r for r in real if not is_dev(r[0])], "real-rf": data["real-rf"], "real-rg": data["real-rg"],
                "real-rh": data["real-rh"], "real-ri": data["real-ri"], "real-rj": data["real-rj"], "real-rk": data["real-rk"],
                "real-rl": data["real-rl"], "eval": data["eval"]}
    trainings = {"DEV": [r for r in real if is_dev(r[0])]}
    trainings["DEV+cases+packages"] = trainings["DEV"] + data["cases"] + data["packages"]
    print("evidenced P R F1 on sets the model never saw\n")
    header = f"{'model':<28}{'thr':>5}  " + "  ".join(f"{name:<17}" for name in held_out)
    print(header)
    print("-" * len(header))
    print(f"{'rules (smaudit)':<28}{'':>5}  " + "  ".join(
        f"{prf([r[2] for r in rs], [r[3] for r in rs]):<17}" for rs in held_out.values()))
    for label, train in trainings.items():
        model = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
        model.fit(np.array([r[1] for r in train]), [r[2] for r in train])
        for threshold in THRESHOLDS:
            cells = []
            for rs in held_out.values():
                chosen = model.predict_proba(np.array([r[1] for r in rs]))[:, 1] >= threshold
                cells.append(f"{prf([r[2] for r in rs], list(chosen)):<17}")
            print(f"{'logreg on ' + label:<28}{threshold:>5.1f}  " + "  ".join(cells))


if __name__ == "__main__":
    main()
