"""Orchestration: plan the batch, read each file once (the cache first), analyse each package.

Work is scheduled per file across the whole batch, largest file first, so one huge package
no longer sets the wall time; a package is analysed as soon as its last file is read, and
results are reassembled per package. Every read and every analysis runs in a forked child
(time limit, memory cap), or on a Dask cluster with the same jobs (pipeline/cluster.py).
"""

from __future__ import annotations

import gc
import logging
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.archive import unpack
from extractors.convert import Converted, convert_many, convert_timeout
from extractors.isolate import Failed, Job, failed_document, read_job, run_forked
from extractors.model import Document, Limits, Problem
from extractors.problems import problem
from extractors.registry import needs_conversion, sha256_of
from matchers.catalog import MODE_IDS, load_catalog
from matchers.model import Fields, Finding

from .cache import Cache, cacheable, document_key, result_key
from .discover import list_files
from .model import AuditResult, FileInfo, Submission

if TYPE_CHECKING:
    from matchers.analyze import Analysis

log = logging.getLogger(__name__)
# Matching a package is seconds; a generous limit still stops a runaway regex on a pathological text.
ANALYZE_TIMEOUT_S = 600.0
Executor = Callable[[Callable[[], Job | None], int], Iterator[tuple[Job, Any]]]


@dataclass(frozen=True, slots=True)
class AuditOptions:
    workers: int = 1
    lexicon: Path | None = None
    limits: Limits = field(default_factory=Limits)
    abort_on_error: bool = False
    scheduler: str | None = None  # a Dask scheduler address; None runs on this machine


class Progress:
    """What the batch reports as it goes (the CLI draws a bar or writes log lines)."""

    def planned(self, files: int, packages: int, cached_packages: int) -> None:
        pass

    def file_read(self, doc: Document) -> None:
        pass

    def package_done(self, result: AuditResult) -> None:
        pass


@dataclass
class Package:
    """One submission on its way through the batch."""

    index: int
    sub: Submission
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path on disk, name in the package)
    shas: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # met while listing or unpacking
    docs: dict[int, Document] = field(default_factory=dict)
    key: str | None = None  # its result's cache key
    started: float | None = None

    @property
    def complete(self) -> bool:
        return len(self.docs) == len(self.files)

    def documents(self) -> list[Document]:
        return [self.docs[i] for i in range(len(self.files))]


def run_batch(subs: Sequence[Submission], options: AuditOptions,
              on_done: Callable[[AuditResult], None] | None = None, progress: Progress | None = None,
              cache: Cache | None = None) -> list[AuditResult]:
    """Audit every submission; results sorted by name. Bad files and failed packages become problems."""
    progress = progress or Progress()
    results: list[AuditResult] = []

    def done(result: AuditResult) -> None:
        results.append(result)
        progress.package_done(result)
        if on_done:
            on_done(result)

    digest = load_catalog(options.lexicon).digest
    with tempfile.TemporaryDirectory(prefix="smaudit-batch-") as workdir:
        packages = []
        for index, sub in enumerate(subs):
            pkg, finished = _plan(index, sub, options.limits, cache, digest, Path(workdir))
            if finished is not None:  # from the cache, or a package that could not even be listed
                done(finished)
            elif pkg is not None:
                packages.append(pkg)
        from_cache = cache.stats.results_hit if cache is not None else 0
        progress.planned(sum(len(p.files) - len(p.docs) for p in packages), len(subs), from_cache)
        if packages:
            from matchers.analyze import warm  # spaCy and jieba: only when something is to be analysed

            warm(options.lexicon)  # load spaCy and the lexicon once; forked children share them
            gc.freeze()  # the children's garbage collector then leaves those objects (and their pages) alone
            try:
                for result in _schedule(packages, options, cache, progress, _executor(options), Path(workdir)):
                    done(result)
            finally:
                gc.unfreeze()  # a library caller's later garbage is collected as usual
    return sorted(results, key=lambda r: r.submission)


def _executor(options: AuditOptions) -> Executor:
    if options.scheduler:
        from .cluster import dask_executor

        return dask_executor(options.scheduler)
    if options.limits.timeout_s <= 0:
        return run_inline
    return run_forked


def run_inline(next_job: Callable[[], Job | None], parallel: int) -> Iterator[tuple[Job, Any]]:
    """The jobs in this process, one after another (no isolation: for debugging and --file-timeout 0)."""
    while (job := next_job()) is not None:
        try:
            yield job, job.fn(*job.args)
        except Exception as exc:
            yield job, Failed("error", f"{type(exc).__name__}: {exc}"[:160])


# -- planning --------------------------------------------------------------------------------------

def _plan(index: int, sub: Submission, limits: Limits, cache: Cache | None, digest: str,
          workdir: Path) -> tuple[Package | None, AuditResult | None]:
    """List (or unpack) a package and take from the cache what it holds; a failure fails this package only."""
    try:
        return _plan_package(index, sub, limits, cache, digest, workdir)
    except Exception as exc:
        log.exception("submission %s could not be listed", sub.name)
        return None, failed_result(sub.name, f"{type(exc).__name__}: {exc}")


def _plan_package(index: int, sub: Submission, limits: Limits, cache: Cache | None, digest: str,
                  workdir: Path) -> tuple[Package | None, AuditResult | None]:
    pkg = Package(index, sub)
    if sub.path.is_dir():
        folder = sub.path
        files, pkg.problems = list_files(folder)
        if cache is not None:
            pkg.shas = [cache.file_sha256(p) for p in files]
            pkg.key = result_key([(f.relative_to(folder).as_posix(), s) for f, s in zip(files, pkg.shas, strict=True)],
                                 pkg.problems, digest, limits)
            if (hit := cache.get_result(pkg.key, sub.name)) is not None:
                # Its Documents count as used too: a later catalog edit should find them, not re-read.
                cache.used.extend(("documents", document_key(sha, f.suffix, limits))
                                  for f, sha in zip(files, pkg.shas, strict=True))
                return None, hit
    else:
        if cache is not None:  # the zip's bytes decide everything inside it: no need to unpack a cached one
            pkg.key = result_key([("", cache.file_sha256(sub.path))], [], digest, limits)
            if (hit := cache.get_result(pkg.key, sub.name)) is not None:
                return None, hit
        folder = workdir / str(index)
        unpacked = unpack(sub.path, folder, sub.name, limits)
        files, listed = list_files(folder) if folder.is_dir() else ([], [])
        pkg.problems = [*unpacked.problems, *listed]
        if cache is not None:
            pkg.shas = [sha256_of(p) for p in files]
    pkg.files = [(p, p.relative_to(folder).as_posix()) for p in files]
    if cache is not None:
        for i, ((path, rel), sha) in enumerate(zip(pkg.files, pkg.shas, strict=True)):
            if (doc := cache.get_document(document_key(sha, path.suffix, limits), rel)) is not None:
                pkg.docs[i] = doc
    return pkg, None


# -- scheduling ------------------------------------------------------------------------------------

def _schedule(packages: list[Package], options: AuditOptions, cache: Cache | None, progress: Progress,
              executor: Executor, workdir: Path) -> Iterator[AuditResult]:
    """Read every missing file, biggest first; analyse each package as soon as it is complete.

    Legacy files (.doc, .wps, .xls …) are converted first by one LibreOffice process for all of
    them (a start costs 2–3 s), in a job of its own while the other files are read.
    """
    by_index = {p.index: p for p in packages}
    pending = sorted(((p.index, i) for p in packages for i in range(len(p.files)) if i not in p.docs),
                     key=lambda pi: -_size(by_index[pi[0]].files[pi[1]][0]))
    legacy: dict[tuple[int, int], str] = {}
    if not options.scheduler:  # on a cluster the converted files would sit on this machine only
        for pi in pending:
            if kind := needs_conversion(by_index[pi[0]].files[pi[1]][0], options.limits):
                legacy[pi] = kind
    reads = deque(pi for pi in pending if pi not in legacy)
    ready = deque(p.index for p in packages if p.complete)
    converted: dict[Path, Converted] = {}
    convert = _convert_job(legacy, by_index, options.limits, workdir) if legacy else None

    def next_job() -> Job | None:
        nonlocal convert
        # A complete package goes first: its result streams out and its documents can be let go.
        if ready:
            pkg = by_index[ready.popleft()]
            pkg.started = pkg.started or time.perf_counter()
            return Job(("analyze", pkg.index), analyze_documents, (pkg.documents(), options.lexicon),
                       max(ANALYZE_TIMEOUT_S, options.limits.timeout_s), options.limits.max_memory_bytes)
        if convert is not None:
            job, convert = convert, None
            return job
        if reads:
            index, i = reads.popleft()
            pkg = by_index[index]
            pkg.started = pkg.started or time.perf_counter()
            path, rel = pkg.files[i]
            return read_job(("read", index, i), path, rel, options.limits, converted.get(path))
        return None

    for job, value in executor(next_job, options.workers):
        what, index, *rest = job.key
        if what == "convert":
            # A failed batch leaves each legacy file to convert on its own, as before.
            converted.update(value if isinstance(value, dict) else {})
            reads.extendleft(sorted(legacy, key=lambda pi: _size(by_index[pi[0]].files[pi[1]][0])))
            continue
        pkg = by_index[index]
        if what == "read":
            doc = _read_value(job, value, options)
            pkg.docs[rest[0]] = doc
            if cache is not None and pkg.shas:
                cache.put_document(document_key(pkg.shas[rest[0]], pkg.files[rest[0]][0].suffix, options.limits), doc)
            progress.file_read(doc)
            if pkg.complete:
                ready.append(index)
            continue
        yield _finish(pkg, value, options, cache)
        del by_index[index]  # its documents are no longer needed


def _convert_job(legacy: dict[tuple[int, int], str], by_index: dict[int, Package], limits: Limits,
                 workdir: Path) -> Job:
    jobs = [(by_index[index].files[i][0], kind) for (index, i), kind in legacy.items()]
    # Each file keeps its own limit inside convert_many; this bound only catches a stuck job as a whole.
    budget = convert_timeout(limits) * (len(jobs) + 1) + 60
    return Job(("convert", -1), convert_many, (jobs, workdir / "converted", limits), budget, limits.max_memory_bytes)


def analyze_documents(documents: Sequence[Document], lexicon: Path | None) -> Analysis:
    from matchers.analyze import analyze

    return analyze(documents, lexicon)


def _read_value(job: Job, value: Any, options: AuditOptions) -> Document:
    if isinstance(value, Failed):
        if options.abort_on_error and value.reason != "timeout":
            raise RuntimeError(f"{job.args[1]}: {value.detail}")
        return failed_document(job.args[1], value)
    return value


def _finish(pkg: Package, value: Any, options: AuditOptions, cache: Cache | None) -> AuditResult:
    seconds = time.perf_counter() - (pkg.started or time.perf_counter())
    if isinstance(value, Failed):
        if options.abort_on_error:
            raise RuntimeError(f"{pkg.sub.name}: {value.detail}")
        log.error("submission %s: analysis failed (%s)", pkg.sub.name, value.detail)
        return failed_result(pkg.sub.name, value.detail, seconds)
    documents = pkg.documents()
    problems = [*pkg.problems, *(p for d in documents for p in d.problems), *value.problems]
    if not any(d.blocks for d in documents):
        problems.append(problem("no-documents", ""))
    result = _result(pkg.sub.name, value, documents, problems, seconds)
    if cache is not None and pkg.key and all(cacheable(d) for d in documents):
        cache.put_result(pkg.key, result)
    return result


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _result(name: str, analysis: Analysis, documents: Sequence[Document], problems: Sequence[Problem],
            seconds: float) -> AuditResult:
    files = tuple(
        FileInfo(d.path, d.kind, d.pages, len(d.blocks), sum(len(b.text) for b in d.blocks), d.sha256,
                 len({b.page for b in d.blocks if b.source == "ocr"}), d.ocr_lines)
        for d in documents
    )
    return AuditResult(name, analysis.track, analysis.declared_modes, analysis.platform_type, analysis.fields,
                       analysis.modes, analysis.criteria, tuple(problems), files, round(seconds, 3))


def failed_result(name: str, detail: str, seconds: float = 0.0) -> AuditResult:
    """A result for a submission that could not be audited at all; it still appears in every output."""
    modes = {m: Finding(m, "absent", 0.0, (), "未能审核") for m in MODE_IDS}
    return AuditResult(name, None, (), None, Fields(), modes, {}, (problem("internal-error", "", detail=detail[:160]),),
                       (), seconds)
