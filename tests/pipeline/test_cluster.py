"""The Dask path runs the same jobs and gives the same JSONL as the local pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main

distributed = pytest.importorskip("distributed")  # installed by `make test` (the [cluster] extra)
ROOT = Path(__file__).resolve().parents[2]


def test_dask_local_cluster_gives_the_same_jsonl_as_the_local_pool(tmp_path: Path) -> None:
    samples = str(ROOT / "samples" / "packages")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        code = main(["audit", samples, "-o", str(tmp_path / "d.xlsx"), "--json", str(tmp_path / "dask.jsonl"),
                     "--no-cache", "--scheduler", cluster.scheduler_address, "-q"])
    assert code == 0
    assert main(["audit", samples, "-o", str(tmp_path / "l.xlsx"), "--json", str(tmp_path / "local.jsonl"),
                 "--no-cache", "-q"]) == 0
    dask_lines = sorted((tmp_path / "dask.jsonl").read_text(encoding="utf-8").splitlines())
    local_lines = sorted((tmp_path / "local.jsonl").read_text(encoding="utf-8").splitlines())
    assert len(local_lines) == 11
    assert dask_lines == local_lines


def test_dask_run_fills_the_same_cache(tmp_path: Path) -> None:
    batch = str(ROOT / "samples" / "packages")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        assert main(["audit", batch, "-o", str(tmp_path / "a.xlsx"), "--json", str(tmp_path / "a.jsonl"),
                     "--scheduler", cluster.scheduler_address, "-q"]) == 0
    # A later local run finds every package in the cache the cluster run filled.
    assert main(["audit", batch, "-o", str(tmp_path / "a.xlsx"), "--json", str(tmp_path / "b.jsonl"), "-q"]) == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
