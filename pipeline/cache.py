"""The content cache: what was read from a file, and what was found in a package, kept in SQLite.

A re-run reads only what changed. Keys are content, not names:
- a file's Document is keyed by its sha256, its extension and the extractors' code and libraries;
- a package's result is keyed by its files' (name, sha256), the catalog digest and the code of every stage.
Any change of code, library or lexicon gives new keys, so a stale entry is never used.

One SQLite file in WAL mode, written only by the parent process, one commit per entry: a run
killed at any moment (Ctrl-C, SIGKILL) leaves every committed entry usable. A file that is
not a sound cache, or an entry whose checksum fails, is reported and rebuilt, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import os
import sqlite3
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from extractors.model import Document, Limits, Problem
from extractors.problems import problem
from extractors.registry import sha256_of

from .codec import CodecError, decode, encode
from .model import AuditResult

log = logging.getLogger(__name__)

CACHE_NAME = "smaudit-cache.sqlite"
# Entries no run has used for this long are dropped when a run closes the cache: last year's batch
# can go, while a package re-audited every few weeks stays warm.
PRUNE_AFTER_DAYS = 120
SCHEMA = "smaudit-cache/1"
# A Document with one of these problems says more about this run (a slow disk, a bug) than about the file.
TRANSIENT_KINDS = frozenset({"timeout", "internal-error"})
# Libraries whose version changes what is read from a file.
EXTRACT_LIBRARIES = ("pypdfium2", "pdfplumber", "python-docx", "openpyxl", "rapidocr", "onnxruntime")
MATCH_LIBRARIES = ("rjieba", "jieba", "spacy", "pyahocorasick")
_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT)",
    "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, payload BLOB, checksum TEXT, used REAL)",
    "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, payload BLOB, checksum TEXT, used REAL)",
)


def _source_digest(*packages: str) -> str:
    """Digest of the .py files of these packages (beside this one): any code change gives new keys."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _library_versions(names: tuple[str, ...]) -> str:
    versions = []
    for name in names:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return ",".join(versions)


@functools.cache
def extract_version() -> str:
    """What a Document depends on besides the file's bytes: the extractors' code and libraries."""
    return _digest(_source_digest("extractors"), _library_versions(EXTRACT_LIBRARIES))


@functools.cache
def match_version() -> str:
    """What a package's result depends on besides its Documents and the catalog."""
    return _digest(extract_version(), _source_digest("matchers", "pipeline"), _library_versions(MATCH_LIBRARIES))


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def limits_key(limits: Limits) -> str:
    # The timeout is left out: a file that timed out is never cached, and one that did not read the same.
    return f"{limits.max_file_bytes}/{limits.max_pages}/{limits.max_zip_members}/{limits.max_zip_total_bytes}/" \
           f"{limits.max_zip_ratio}"


def document_key(sha256: str, suffix: str, limits: Limits) -> str:
    # The extension matters: a PDF named .doc is read the same but also earns a wrong-extension warning.
    return _digest("doc", sha256, suffix.lower(), limits_key(limits), extract_version())


def result_key(files: list[tuple[str, str]], problems: list[Problem], catalog_digest: str, limits: Limits) -> str:
    """A package's key from its files (name, sha256) and the problems met listing them."""
    listed = sorted((p.kind, p.file) for p in problems)
    return _digest("result", sorted(files), listed, catalog_digest, limits_key(limits), match_version())


def cacheable(doc: Document) -> bool:
    return not any(p.kind in TRANSIENT_KINDS for p in doc.problems)


@dataclass
class CacheStats:
    documents_hit: int = 0
    documents_stored: int = 0
    results_hit: int = 0
    results_stored: int = 0
    bad_entries: int = 0


@dataclass
class Cache:
    """An open cache file; `problems` says what was wrong with it when it had to be rebuilt."""

    path: Path
    conn: sqlite3.Connection
    problems: list[Problem] = field(default_factory=list)
    stats: CacheStats = field(default_factory=CacheStats)
    disabled: bool = False  # set when the file failed under us mid-run
    used: list[tuple[str, str]] = field(default_factory=list)  # (table, key) hit this run, stamped at close

    # -- file hashes: (size, mtime) unchanged means the bytes are unchanged, as git assumes --------
    def file_sha256(self, path: Path) -> str:
        st = path.stat()
        key = str(path.resolve())
        try:
            row = None if self.disabled else \
                self.conn.execute("SELECT size, mtime_ns, sha256 FROM files WHERE path = ?", (key,)).fetchone()
        except sqlite3.Error:
            row = None
        if row and row[0] == st.st_size and row[1] == st.st_mtime_ns:
            return row[2]
        sha = sha256_of(path)
        self._write("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (key, st.st_size, st.st_mtime_ns, sha))
        return sha

    # -- documents -----------------------------------------------------------------------------
    def get_document(self, key: str, rel: str) -> Document | None:
        doc = self._get("documents", key)
        if not isinstance(doc, Document):
            return None
        self.stats.documents_hit += 1
        self.used.append(("documents", key))
        # The same bytes may sit under another name in another package.
        return replace(doc, path=rel, problems=tuple(replace(p, file=rel) for p in doc.problems))

    def put_document(self, key: str, doc: Document) -> None:
        if cacheable(doc):
            self._put("documents", key, doc)
            self.stats.documents_stored += 1

    # -- package results -----------------------------------------------------------------------
    def get_result(self, key: str, submission: str) -> AuditResult | None:
        result = self._get("results", key)
        if not isinstance(result, AuditResult):
            return None
        self.stats.results_hit += 1
        self.used.append(("results", key))
        return replace(result, submission=submission)

    def put_result(self, key: str, result: AuditResult) -> None:
        self._put("results", key, result)
        self.stats.results_stored += 1

    # -- storage -------------------------------------------------------------------------------
    def _get(self, table: str, key: str) -> Any:
        if self.disabled:
            return None
        try:
            row = self.conn.execute(f"SELECT payload, checksum FROM {table} WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            payload, checksum = row
            if not isinstance(payload, bytes) or _checksum(payload) != checksum:
                raise CodecError("checksum")
            return decode(payload)
        except (CodecError, TypeError, sqlite3.Error):
            self.stats.bad_entries += 1
            log.warning("cache entry %s in %s failed its check; it is read again", key[:12], table)
            self._write(f"DELETE FROM {table} WHERE key = ?", (key,))
            return None

    def _put(self, table: str, key: str, value: Any) -> None:
        payload = encode(value)
        self._write(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?)", (key, payload, _checksum(payload), time.time()))

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        if self.disabled:
            return
        try:
            with self.conn:  # one transaction per entry: a killed run keeps all it committed
                self.conn.execute(sql, params)
        except sqlite3.Error as exc:  # disk full, a file broken under us: the audit goes on without the cache
            log.warning("cache %s: %s; not used for the rest of this run", self.path, exc)
            self.disabled = True
            self.problems.append(problem("cache-failed", self.path.name, detail=str(exc)[:120]))

    def close(self, prune_after_days: float = PRUNE_AFTER_DAYS) -> None:
        """Stamp what this run used (one transaction, not a write per hit), drop what no run used for long."""
        now = time.time()
        if not self.disabled:
            try:
                with self.conn:
                    for table in ("documents", "results"):
                        keys = [(now, k) for t, k in self.used if t == table]
                        self.conn.executemany(f"UPDATE {table} SET used = ? WHERE key = ?", keys)
                        self.conn.execute(f"DELETE FROM {table} WHERE used < ?", (now - prune_after_days * 86400,))
            except sqlite3.Error as exc:
                log.warning("cache %s: %s while closing; entries stay as they were", self.path, exc)
        self.conn.close()


def _checksum(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:16]


def open_cache(path: Path) -> Cache:
    """Open or create the cache; a file that fails its checks is moved aside and a new one made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return Cache(path, _connect(path))
    except sqlite3.DatabaseError as exc:
        aside = path.with_name(f"{path.name}.损坏-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{path}{suffix}")
            if old.exists():
                os.replace(old, Path(f"{aside}{suffix}"))
        log.warning("cache %s is not usable (%s); moved to %s and rebuilt", path, exc, aside)
        detail = f"{exc}；原文件已改名为 {aside.name}"
        return Cache(path, _connect(path), [problem("cache-rebuilt", path.name, detail=detail)])


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        status = conn.execute("PRAGMA quick_check").fetchone()[0]
        if status != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {status}")
        for sql in _TABLES:
            conn.execute(sql)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            with conn:
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
        elif row[0] != SCHEMA:
            raise sqlite3.DatabaseError(f"schema {row[0]!r}, expected {SCHEMA!r}")
        return conn
    except sqlite3.DatabaseError:
        conn.close()
        raise
