"""Orchestration: read every file of a submission, analyse it, in parallel across submissions."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from extractors.archive import unpack
from extractors.isolate import read_files_isolated
from extractors.model import Document, Limits, Problem
from extractors.problems import problem
from matchers.analyze import Analysis, analyze, scanner_for
from matchers.catalog import MODE_IDS
from matchers.model import Fields, Finding

from .discover import list_files
from .model import AuditResult, FileInfo, Submission

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AuditOptions:
    workers: int = 1
    lexicon: Path | None = None
    limits: Limits = field(default_factory=Limits)
    abort_on_error: bool = False
    # Files of one submission read at once, each in its own child: a 200-file package no
    # longer keeps one core busy while the other has finished its share.
    file_workers: int = 2


def read_submission(sub: Submission, limits: Limits, file_workers: int = 1) -> tuple[list[Document], list[Problem]]:
    """All documents of a submission (unpacking a .zip safely) and the problems met on the way."""
    if sub.path.is_dir():
        return _read_folder(sub.path, limits, file_workers)
    with tempfile.TemporaryDirectory(prefix="smaudit-zip-") as tmp:
        unpacked = unpack(sub.path, Path(tmp), sub.name, limits)
        documents, problems = _read_folder(Path(tmp), limits, file_workers)
        return documents, [*unpacked.problems, *problems]


def _read_folder(folder: Path, limits: Limits, file_workers: int) -> tuple[list[Document], list[Problem]]:
    files, problems = list_files(folder)
    items = [(path, path.relative_to(folder).as_posix()) for path in files]
    return read_files_isolated(items, limits, file_workers), problems


def audit_submission(sub: Submission, options: AuditOptions) -> AuditResult:
    """Audit one package; every failure inside becomes a problem on the result."""
    started = time.perf_counter()
    try:
        documents, problems = read_submission(sub, options.limits, options.file_workers)
        analysis = analyze(documents, options.lexicon)
    except Exception as exc:
        if options.abort_on_error:
            raise
        log.exception("submission %s failed", sub.name)
        return failed_result(sub.name, f"{type(exc).__name__}: {exc}", time.perf_counter() - started)
    all_problems = [*problems, *(p for d in documents for p in d.problems), *analysis.problems]
    if not any(d.blocks for d in documents):
        all_problems.append(problem("no-documents", ""))
    return _result(sub.name, analysis, documents, all_problems, time.perf_counter() - started)


def _result(name: str, analysis: Analysis, documents: Sequence[Document], problems: Sequence[Problem],
            seconds: float) -> AuditResult:
    files = tuple(
        FileInfo(d.path, d.kind, d.pages, len(d.blocks), sum(len(b.text) for b in d.blocks), d.sha256,
                 len({b.page for b in d.blocks if b.source == "ocr"}))
        for d in documents
    )
    return AuditResult(name, analysis.track, analysis.declared_modes, analysis.platform_type, analysis.fields,
                       analysis.modes, analysis.criteria, tuple(problems), files, round(seconds, 3))


def failed_result(name: str, detail: str, seconds: float = 0.0) -> AuditResult:
    """A result for a submission that could not be audited at all; it still appears in every output."""
    modes = {m: Finding(m, "absent", 0.0, (), "未能审核") for m in MODE_IDS}
    return AuditResult(name, None, (), None, Fields(), modes, {}, (problem("internal-error", "", detail=detail[:160]),),
                       (), seconds)


def _warm(lexicon: Path | None) -> None:
    scanner_for(lexicon)


def run_batch(subs: Sequence[Submission], options: AuditOptions,
              on_done: Callable[[AuditResult], None] | None = None) -> list[AuditResult]:
    """Audit every submission, in worker processes when options.workers > 1; results sorted by name."""
    results = []
    for result in _iter_results(subs, options):
        results.append(result)
        if on_done:
            on_done(result)
    return sorted(results, key=lambda r: r.submission)


def _iter_results(subs: Sequence[Submission], options: AuditOptions) -> Iterator[AuditResult]:
    if options.workers <= 1 or len(subs) <= 1:
        for sub in subs:
            yield audit_submission(sub, options)
        return
    with ProcessPoolExecutor(max_workers=options.workers, initializer=_warm, initargs=(options.lexicon,)) as pool:
        futures: dict[Future[AuditResult], Submission] = {pool.submit(audit_submission, s, options): s for s in subs}
        for future in as_completed(futures):
            sub = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # a worker died (killed, out of memory): the batch goes on
                if options.abort_on_error:
                    raise
                yield failed_result(sub.name, f"{type(exc).__name__}: {exc}")
