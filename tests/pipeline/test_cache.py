"""The content cache: warm re-runs, partial changes, a changed catalog, broken cache files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from extractors.model import Block, Document, Problem
from pipeline.cache import CACHE_NAME, open_cache
from pipeline.codec import decode, encode
from pipeline.discover import find_submissions
from pipeline.run import AuditOptions, run_batch

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("01-dalian-hengtong-enterprise", "03-haicheng-xinmei-enterprise", "05-yingkou-xinhe-enterprise.zip")


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    root = tmp_path / "input"
    root.mkdir()
    for name in PACKAGES:
        source = ROOT / "samples" / "packages" / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    return root


def _run(batch: Path, cache_file: Path, lexicon: Path | None = None):
    cache = open_cache(cache_file)
    try:
        subs, _ = find_submissions(batch)
        results = run_batch(subs, AuditOptions(workers=2, lexicon=lexicon), cache=cache)
        return [r.to_json() for r in results], cache.stats, cache.problems
    finally:
        cache.close()


def test_warm_run_reads_nothing_and_gives_the_same_results(batch: Path, tmp_path: Path) -> None:
    cold, stats, _ = _run(batch, tmp_path / CACHE_NAME)
    assert stats.results_stored == 3 and stats.results_hit == 0
    warm, stats, _ = _run(batch, tmp_path / CACHE_NAME)
    assert warm == cold
    assert stats.results_hit == 3 and stats.documents_hit == 0 and stats.documents_stored == 0


def test_one_changed_file_is_the_only_one_read_again(batch: Path, tmp_path: Path) -> None:
    cold, first, _ = _run(batch, tmp_path / CACHE_NAME)
    files = sorted((batch / PACKAGES[0]).rglob("*.docx"))
    assert files, "package 01 holds a .docx"
    extra = batch / PACKAGES[0] / "补充说明.txt"
    extra.write_text("公司已建成远程运维中心，为客户提供7×24小时在线监测服务。", encoding="utf-8")
    _, stats, _ = _run(batch, tmp_path / CACHE_NAME)
    assert stats.results_hit == 2  # the two untouched packages
    assert stats.documents_stored == 1  # only the new file was read
    assert stats.documents_hit == len([f for f in (batch / PACKAGES[0]).rglob("*") if f.is_file()]) - 1


def test_changed_catalog_rematches_without_rereading(batch: Path, tmp_path: Path) -> None:
    _run(batch, tmp_path / CACHE_NAME)
    lexicon = tmp_path / "lexicon"
    shutil.copytree(ROOT / "lexicon", lexicon)
    with (lexicon / "terms" / "M04.txt").open("a", encoding="utf-8") as fh:
        fh.write("共享喷涂中心 10 practice\n")
    _, stats, _ = _run(batch, tmp_path / CACHE_NAME, lexicon)
    assert stats.results_hit == 0 and stats.results_stored == 3
    assert stats.documents_stored == 0 and stats.documents_hit > 0


def test_a_file_that_is_not_a_cache_is_reported_and_rebuilt(batch: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / CACHE_NAME
    cache_file.write_bytes(b"this is not an SQLite database" * 100)
    results, stats, problems = _run(batch, cache_file)
    assert len(results) == 3 and stats.results_stored == 3
    assert [p.kind for p in problems] == ["cache-rebuilt"]
    assert "已弃用并重建" in problems[0].message
    assert list(tmp_path.glob(f"{CACHE_NAME}.损坏-*")), "the broken file is kept aside, not deleted"


def test_an_entry_that_fails_its_checksum_is_read_again(batch: Path, tmp_path: Path) -> None:
    cold, _, _ = _run(batch, tmp_path / CACHE_NAME)
    with sqlite3.connect(tmp_path / CACHE_NAME) as conn:
        conn.execute("UPDATE results SET payload = substr(payload, 1, length(payload) - 3) || x'000102'")
    warm, stats, _ = _run(batch, tmp_path / CACHE_NAME)
    assert warm == cold
    assert stats.bad_entries == 3 and stats.results_hit == 0 and stats.results_stored == 3


def test_codec_round_trip_and_refuses_foreign_types() -> None:
    doc = Document("a/申报书.pdf", "pdf", (Block(0, 1, "文字", (("a", "b"),), "table", 5),),
                   (Problem("a/申报书.pdf", "scanned", "说明", "info"),), 3, "ab" * 32)
    assert decode(encode(doc)) == doc
    with pytest.raises(TypeError):
        encode(Path("x"))  # a dataclass or plain data only; loading never builds arbitrary objects


def test_entries_no_run_used_for_long_are_pruned(batch: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / CACHE_NAME
    _run(batch, cache_file)
    long_ago = 0.0
    with sqlite3.connect(cache_file) as conn:
        conn.execute("UPDATE documents SET used = ?", (long_ago,))
        conn.execute("UPDATE results SET used = ?", (long_ago,))
        total = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    # A warm run uses every result, and with a folder package's result its Documents: those stay.
    # A zip's members are not looked at when its result is cached, so its Documents go.
    _, stats, _ = _run(batch, cache_file)
    assert stats.results_hit == 3
    folder_files = [f for name in PACKAGES[:2] for f in (batch / name).rglob("*") if f.is_file()]
    with sqlite3.connect(cache_file) as conn:
        assert conn.execute("SELECT count(*) FROM results WHERE used > 0").fetchone()[0] == 3
        kept = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert kept == len(folder_files) < total
