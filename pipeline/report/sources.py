"""What each evidence file is shown from: the PDF itself, an image, or LibreOffice's layout of a Word file or sheet.

A .zip package is unpacked only when one of its files is really opened: on a re-run whose page
images and placements are all kept, no zip is unpacked at all.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from extractors.archive import unpack
from extractors.convert import LAYOUT_KINDS, convert_many
from extractors.model import Limits, Problem
from extractors.problems import problem
from extractors.registry import sha256_of
from extractors.sniff import sniff

from ..discover import list_files
from ..model import AuditResult, FileInfo, Submission

log = logging.getLogger(__name__)
LAID_OUT = LAYOUT_KINDS  # Word files and spreadsheets: shown as LibreOffice prints them
NOT_FOUND = "原文件未找到，无法显示页面"


class Trees:
    """The folder of each submission's files, a .zip unpacked on first use and removed with the stack."""

    def __init__(self, input_dir: Path, stack: ExitStack) -> None:
        self.input_dir = input_dir
        self.stack = stack
        self._roots: dict[str, Path | None] = {}

    def root(self, submission: str) -> Path | None:
        if submission not in self._roots:
            self._roots[submission] = self._open(submission)
        return self._roots[submission]

    def path(self, submission: str, rel: str) -> Path | None:
        root = self.root(submission)
        path = root / rel if root is not None else None
        return path if path is not None and path.is_file() else None

    def _open(self, submission: str) -> Path | None:
        source = self.input_dir if self.input_dir.name == submission else self.input_dir / submission
        if source.is_dir():
            return source
        if source.is_file() and source.suffix.lower() == ".zip":
            tmp = Path(self.stack.enter_context(tempfile.TemporaryDirectory(prefix="smaudit-report-")))
            unpack(source, tmp, source.name)
            return tmp
        return None


@dataclass(frozen=True, slots=True)
class Source:
    """One evidence file: how it is shown ("pdf", "image", "laid" out by LibreOffice, or "none" with a note)."""

    submission: str
    info: FileInfo
    how: str
    laid: Path | None = None
    note: str = ""

    def pdf(self, trees: Trees) -> Path | None:
        return self.laid if self.how == "laid" else trees.path(self.submission, self.info.file)


def find_sources(results: Sequence[AuditResult], trees: Trees, cache: Path, limits: Limits,
                 problems: dict[str, list[Problem]]) -> dict[tuple[str, str], Source]:
    """A Source per (submission, file) that holds evidence; layouts still missing are made in one soffice run."""
    wanted = {(r.submission, e.file) for r in results for f in (*r.modes.values(), *r.criteria.values())
              for e in (*f.evidence, *f.hints)}
    infos = {(r.submission, f.file): f for r in results for f in r.files}
    sources: dict[tuple[str, str], Source] = {}
    to_lay_out: dict[Path, tuple[Path, str, tuple[str, str]]] = {}  # original → (laid-out pdf, kind, key)
    for key in sorted(wanted):
        info = infos.get(key) or FileInfo(key[1], "unknown", 0, 0, 0, "")
        if info.kind in ("pdf", "image"):
            sources[key] = Source(key[0], info, info.kind)
        elif info.kind in LAID_OUT:
            laid = cache / f"{info.sha256 or hashlib.sha256('/'.join(key).encode()).hexdigest()}.pdf"
            sources[key] = Source(key[0], info, "laid", laid)
            if failed := _failed(laid):  # LibreOffice gave up on these bytes before: not tried every run
                problems.setdefault(key[0], []).append(problem("report-layout", key[1], detail=failed))
            elif not laid.exists():
                if (path := trees.path(*key)) is None:
                    sources[key] = Source(key[0], info, "none", note=NOT_FOUND)
                else:
                    to_lay_out[path] = (laid, info.kind, key)
        else:
            sources[key] = Source(key[0], info, "none", note="该类文件没有页面图像，请核对原文")
    lay_out(to_lay_out, cache, limits, problems)
    for key, src in sources.items():
        if src.how == "laid" and src.laid is not None and not src.laid.exists():
            sources[key] = Source(src.submission, src.info, "none", note="LibreOffice 未能排版此文件，无法显示页面")
    return sources


def lay_out(jobs: dict[Path, tuple[Path, str, tuple[str, str]]], cache: Path, limits: Limits,
            problems: dict[str, list[Problem]]) -> None:
    """Convert the files to PDF with one soffice process; a failure becomes a report-layout problem."""
    if not jobs:
        return
    work = Path(tempfile.mkdtemp(prefix="layout-", dir=cache))
    try:
        try:
            done = convert_many([(path, kind) for path, (_, kind, _) in jobs.items()], work, limits, to="pdf")
        except Exception as exc:  # the evidence view must never cost the audit: each file says it was not laid out
            log.warning("LibreOffice layout failed: %s", exc)
            for _, _, (submission, rel) in jobs.values():
                problems.setdefault(submission, []).append(problem("report-layout", rel, detail=type(exc).__name__))
            return
        for path, outcome in done.items():
            laid, _, (submission, rel) = jobs[path]
            if isinstance(outcome, Path):
                shutil.move(outcome, laid)
            else:
                # A timeout may pass another time; a file LibreOffice cannot open will not.
                if outcome.kind != "timeout":
                    laid.with_suffix(".failed").write_text(outcome.kind, encoding="utf-8")
                problems.setdefault(submission, []).append(problem("report-layout", rel, detail=outcome.kind))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def lay_out_batch(input_dir: Path, submissions: list[Submission], cache: Path, limits: Limits) -> None:
    """Every Word file and sheet of the batch laid out ahead of the report (run in a child process)."""
    jobs: dict[Path, tuple[Path, str, tuple[str, str]]] = {}
    with ExitStack() as stack:
        trees = Trees(input_dir, stack)
        for sub in submissions:
            root = trees.root(sub.name)
            if root is None:
                continue
            for path in list_files(root)[0]:
                kind = sniff(path)
                laid = cache / f"{sha256_of(path)}.pdf" if kind in LAID_OUT else None
                if laid is not None and not laid.exists() and not _failed(laid):
                    jobs[path] = (laid, kind, (sub.name, path.relative_to(root).as_posix()))
        lay_out(jobs, cache, limits, {})


def _failed(laid: Path) -> str:
    """Why LibreOffice could not lay out these bytes in an earlier run ("" when it never failed)."""
    try:
        return laid.with_suffix(".failed").read_text(encoding="utf-8") or "corrupt"
    except OSError:
        return ""
