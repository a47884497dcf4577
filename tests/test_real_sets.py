"""The real-prose sets are data others extend by hand: every label must be readable and point at a passage."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from matchers.catalog import MODE_IDS
from matchers.model import MODE_STATUSES
from pipeline.writers.jsonl import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
REAL_SETS = sorted(p.parent for p in ROOT.glob("samples/real*/gold.jsonl"))


def _check_modes(record: dict) -> None:
    assert sorted(record["modes"]) == sorted(MODE_IDS), record["submission"]
    assert all(v["status"] in MODE_STATUSES for v in record["modes"].values()), record["submission"]


@pytest.mark.parametrize("folder", REAL_SETS, ids=lambda p: p.name)
def test_every_label_has_its_passage(folder: Path) -> None:
    gold = read_jsonl(folder / "gold.jsonl")
    names = [r["submission"] for r in gold]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(p.name for p in (folder / "packages").iterdir())
    for record in gold:
        _check_modes(record)
        assert (folder / "packages" / record["submission"] / "passage.txt").stat().st_size > 0


@pytest.mark.parametrize("folder", [f for f in REAL_SETS if f.name != "real"], ids=lambda p: p.name)
def test_a_later_set_repeats_no_source(folder: Path) -> None:
    # samples/real came first and holds 9 pairs of passages cut from one page (two firms, or two labellers); every
    # later set was gathered against an exclusion list of all earlier sources, so a repeat there is a mistake.
    own = [r["source"] for r in read_jsonl(folder / "gold.jsonl")]
    others = {r["source"] for f in REAL_SETS if f != folder for r in read_jsonl(f / "gold.jsonl")}
    assert len(own) == len(set(own)) and not set(own) & others


@pytest.mark.parametrize("folder", [f for f in REAL_SETS if (f / "second-labeller.jsonl").exists()], ids=lambda p: p.name)
def test_second_labels_cover_passages_of_the_set(folder: Path) -> None:
    gold = {r["submission"] for r in read_jsonl(folder / "gold.jsonl")}
    second = read_jsonl(folder / "second-labeller.jsonl")
    assert second and {r["submission"] for r in second} <= gold
    for record in second:
        _check_modes(record)


def _held_out(submission: str) -> bool:
    """Passages no rule or model may learn from: samples/real TEST (even ra/rb/rc ids), real-rf, real-rj even ids,
    and the blind sets real-rl, real-rm, real-rn, real-ro and real-rr."""
    kind, number = submission[1], int(submission[2:5])
    return kind in "flmnor" or (kind in "abcj" and number % 2 == 0)


def test_no_training_sentence_comes_from_held_out_text() -> None:
    # samples/train was gathered against the same exclusion lists; this catches mirrors of a held-out page. Overlap is
    # counted against one passage at a time: boilerplate (……有限公司成立于199…) is shared with many, a mirror with one.
    held = ["".join((f / "packages" / r["submission"] / "passage.txt").read_text(encoding="utf-8").split())
            for f in REAL_SETS for r in read_jsonl(f / "gold.jsonl") if _held_out(r["submission"])]
    where: dict[str, set[int]] = {}
    for k, t in enumerate(held):
        for i in range(len(t) - 7):
            where.setdefault(t[i : i + 8], set()).add(k)
    for path in sorted((ROOT / "samples" / "train").glob("*.jsonl")):
        for excerpt in read_jsonl(path):
            assert not _held_out(Path(excerpt["source"]).name) if excerpt["source"].startswith("samples/") else True
            for sentence in excerpt["sentences"]:
                text = "".join(sentence["text"].split())
                own = [text[i : i + 8] for i in range(len(text) - 7)]
                per_passage = Counter(k for g in own for k in where.get(g, ()))
                shared = max(per_passage.values(), default=0)
                # A name line (广东拓斯达科技股份有限公司) may share 科技股份有限公司 with a passage; a mirror shares runs.
                assert shared < 5 or shared / len(own) < 0.3, (path.name, text)
