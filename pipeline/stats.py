"""Mode prevalence tables from audit results (JSON dicts), with pandas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

import pandas as pd

from matchers.catalog import MODE_IDS
from matchers.model import MODE_STATUSES

from .labels import MODE_ZH, TRACK_ZH


def mode_frame(records: Iterable[dict[str, object]], batch: str = "") -> pd.DataFrame:
    """One row per submission × mode: batch, submission, track, city, mode, status."""
    rows = []
    for rec in records:
        fields = rec.get("fields") or {}
        modes = rec.get("modes") or {}
        for mode in MODE_IDS:
            status = (modes.get(mode) or {}).get("status", "absent")  # type: ignore[union-attr]
            rows.append({"batch": batch, "submission": rec["submission"], "track": rec.get("track") or "unknown",
                         "city": fields.get("city") or "未知", "mode": mode, "status": status})  # type: ignore[union-attr]
    return pd.DataFrame(rows, columns=["batch", "submission", "track", "city", "mode", "status"])


def prevalence(frame: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Counts and shares of each status per mode (optionally per track/city/batch)."""
    keys = [*by, "mode"]
    counts = frame.pivot_table(index=keys, columns="status", values="submission", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=list(MODE_STATUSES), fill_value=0)
    totals = frame.groupby(keys)["submission"].nunique()
    counts["submissions"] = totals
    counts["evidenced_share"] = (counts["evidenced"] / totals).round(4)
    counts = counts.reset_index()
    counts.insert(len(keys), "mode_name", counts["mode"].map(MODE_ZH))
    if "track" in counts:
        counts["track"] = counts["track"].map(lambda t: TRACK_ZH.get(t, t))
    return counts


def cooccurrence(frame: pd.DataFrame) -> pd.DataFrame:
    """How many submissions have each pair of modes evidenced together."""
    evidenced = frame[frame["status"] == "evidenced"].groupby(["batch", "submission"])["mode"].apply(sorted)
    matrix = pd.DataFrame(0, index=list(MODE_IDS), columns=list(MODE_IDS))
    for modes in evidenced:
        for mode in modes:
            matrix.loc[mode, mode] += 1
        for a, b in combinations(modes, 2):
            matrix.loc[a, b] += 1
            matrix.loc[b, a] += 1
    return matrix


def batches_frame(batches: Sequence[tuple[str, Iterable[dict[str, object]]]]) -> pd.DataFrame:
    """One long frame over several result files; the batch is the file's name (e.g. a year)."""
    frames = [mode_frame(records, batch) for batch, records in batches]
    return pd.concat(frames, ignore_index=True) if frames else mode_frame([])
