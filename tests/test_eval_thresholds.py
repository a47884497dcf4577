"""Accuracy on the held-out labelled set (samples/eval) must not fall below the bar of issue 4."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.eval import evaluate
from pipeline.writers.jsonl import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "samples" / "eval"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("eval") / "eval.jsonl"
    assert main(["audit", str(EVAL / "packages"), "-o", str(out.with_suffix(".xlsx")), "--json", str(out), "-q"]) == 0
    return evaluate(read_jsonl(out), read_jsonl(EVAL / "gold.jsonl"))


def test_eval_set_evidenced_f1(report) -> None:
    assert report.submissions == 20 and not report.missing
    assert report.overall.f1 >= 0.90


def test_eval_set_status_field_condition_accuracy(report) -> None:
    assert report.status_right / report.status_total >= 0.85
    assert sum(report.field_right.values()) / sum(report.field_total.values()) >= 0.95
    assert report.condition_right / report.condition_total >= 0.80
    assert report.problems_found == report.problems_total


def test_eval_set_negation_and_boilerplate_traps(report) -> None:
    # Every negated or merely mentioned mode in the gold must come out exactly so.
    for gold_status in ("negated", "mentioned"):
        row = report.confusion.get(gold_status, {})
        assert row.get(gold_status, 0) == sum(row.values()), (gold_status, row)


REAL = ROOT / "samples" / "real"


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("real") / "real.jsonl"
    assert main(["audit", str(REAL / "packages"), "-o", str(out.with_suffix(".xlsx")), "--json", str(out), "-q",
                 "--no-cache"]) == 0
    return evaluate(read_jsonl(out), read_jsonl(REAL / "gold.jsonl"))


def test_real_prose_does_not_fall_back(real_report) -> None:
    # Floors a little under the figures of issue 8's second round (P 0.845, F1 0.677 on 202 passages):
    # a change that buys synthetic accuracy with precision on real applicants' prose fails here.
    assert real_report.submissions == 202 and not real_report.missing
    assert real_report.overall.precision >= 0.80
    assert real_report.overall.f1 >= 0.65


# samples/real-rf … real-rk were labelled blind (real-rh was read later, for the M09 offering rule). First scores: real-rf
# P 0.824, F1 0.683 (24 labels); real-rg P 0.739, F1 0.586 (35 labels); real-rh P 0.667, F1 0.526 (46 labels); real-ri
# P 0.464, F1 0.456 (29 labels, 29 of 54 passages without one); real-rj P 0.750, F1 0.595 (67 labels); real-rk P 0.607,
# F1 0.493 (41 labels); real-rl P 0.852, F1 0.575 (53 labels). The floors are loose: one or two rows move F1 by ~0.05.
# Since 2026-12-06 real-rg, real-ri and real-rk are development sets too; real-rf and real-rl are still never read.
# real-rm (56 passages, 37 labels, tenth round) first scored P 0.636, F1 0.475 with the rules alone.
# real-rn (43 passages, 35 labels, eleventh round) first scored P 0.688, F1 0.431 with rules and sentence model (64884a1).
# real-ro (39 company self-descriptions held in public code repositories, 28 labels, twelfth round) first scored
# P 0.562, F1 0.409 with rules and sentence model (8114808); with 16 evidenced calls one row moves P by ~0.06.
# real-rp (40 self-descriptions, a development set whose sentences train the model) first scored P 0.600, F1 0.450;
# its floor guards the fit (now P 0.862, F1 0.926). real-rq (43 more, 15 labels) first scored P 0.429, F1 0.414; now 0.714 / 0.833.
# real-rr (33 blind self-descriptions, only 5 labels: mostly a false-evidenced check) first scored P 0.500, F1 0.444 (df3fe66).
BLIND_HOLD_OUTS = [("real-rf", 28, 0.70, 0.58), ("real-rg", 40, 0.65, 0.50), ("real-rh", 51, 0.58, 0.45),
                   ("real-ri", 54, 0.38, 0.38), ("real-rj", 76, 0.68, 0.53),
                   ("real-rk", 59, 0.50, 0.42), ("real-rl", 66, 0.75, 0.50), ("real-rm", 56, 0.50, 0.45),
                   ("real-rn", 43, 0.55, 0.35), ("real-ro", 39, 0.45, 0.33),
                   ("real-rp", 40, 0.70, 0.75), ("real-rq", 43, 0.55, 0.65), ("real-rr", 33, 0.30, 0.25)]


@pytest.mark.parametrize(("name", "count", "precision", "f1"), BLIND_HOLD_OUTS)
def test_blind_hold_out_does_not_fall_back(tmp_path: Path, name: str, count: int, precision: float, f1: float) -> None:
    held_out = ROOT / "samples" / name
    out = tmp_path / f"{name}.jsonl"
    assert main(["audit", str(held_out / "packages"), "-o", str(tmp_path / f"{name}.xlsx"), "--json", str(out), "-q",
                 "--no-cache"]) == 0
    report = evaluate(read_jsonl(out), read_jsonl(held_out / "gold.jsonl"))
    assert report.submissions == count and not report.missing
    assert report.overall.precision >= precision
    assert report.overall.f1 >= f1
