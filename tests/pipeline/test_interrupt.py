"""Killing a run (Ctrl-C or SIGKILL) leaves the previous workbook and the cache usable."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _smaudit(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", *args]


def _documents_in(cache: Path) -> int:
    if not cache.exists():
        return 0
    try:
        conn = sqlite3.connect(cache, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_killed_run_keeps_workbook_and_cache(tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "out"
    small = tmp_path / "small"
    shutil.copytree(ROOT / "samples" / "packages" / "01-dalian-hengtong-enterprise", small / "01")
    first = subprocess.run(_smaudit("audit", str(small), "-o", str(out / "audit.xlsx"), "-q", "--no-cache"),
                           cwd=ROOT, capture_output=True, timeout=300)
    assert first.returncode == 0, first.stderr.decode()
    before = (out / "audit.xlsx").read_bytes()

    # Both sample sets, one worker: long enough (an OCR'd scan, a LibreOffice conversion) to be caught mid-run.
    batch = tmp_path / "batch"
    batch.mkdir()
    sets = (ROOT / "samples" / "packages", ROOT / "samples" / "eval" / "packages")
    packages = [p for folder in sets for p in sorted(folder.iterdir())]
    for package in packages:
        (batch / package.name).symlink_to(package)
    cache = tmp_path / "cache" / "smaudit-cache.sqlite"
    args = _smaudit("audit", str(batch), "-o", str(out / "audit.xlsx"),
                    "--json", str(out / "audit.jsonl"), "--cache", str(cache.parent), "--workers", "1", "-q")
    # A shell's background job starts with SIGINT ignored, and Python keeps that: give the run a normal Ctrl-C.
    run = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while _documents_in(cache) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert run.poll() is None, "the run ended before it could be interrupted"
    run.send_signal(sig)
    _, err = run.communicate(timeout=60)
    assert run.returncode == (130 if sig == signal.SIGINT else -signal.SIGKILL)
    if sig == signal.SIGINT:
        assert "已中断" in err.decode()
    assert (out / "audit.xlsx").read_bytes() == before, "the previous workbook is untouched"
    assert not (out / "audit.jsonl").exists()
    kept = _documents_in(cache)
    assert kept >= 3

    again = subprocess.run(args, cwd=ROOT, capture_output=True, timeout=600)
    assert again.returncode == 0, again.stderr.decode()
    with sqlite3.connect(cache) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM results").fetchone()[0] == len(packages)
    assert len((out / "audit.jsonl").read_text(encoding="utf-8").splitlines()) == len(packages)
