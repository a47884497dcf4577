"""Legacy formats (.doc, .wps, .xls, .et, .rtf, .odt) converted by LibreOffice headless, under a time limit.

convert_many converts a whole batch with one soffice process per target format (soffice
takes 2–3 s to start; a provincial batch has hundreds of legacy files), yet each file keeps
its own time limit: the clock restarts whenever soffice finishes a file, and a file that
hangs costs a `timeout` problem for itself while soffice restarts on the files after it.
extract_via is the one-file path read_file takes when nothing was converted beforehand.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .model import DEFAULT_LIMITS, Document, Limits, Problem
from .problems import problem

# docx→docx: LibreOffice rewrites Strict OOXML and macro-enabled files that python-docx refuses.
TARGET = {"doc": "docx", "rtf": "docx", "odt": "docx", "xls": "xlsx", "docx": "docx"}
# Kinds LibreOffice can lay out as pages (to PDF) for the evidence view.
LAYOUT_KINDS = frozenset({"doc", "docx", "rtf", "odt", "xls", "xlsx"})  # .wps and .et sniff as doc and xls
CONVERT_TIMEOUT_S = 90
BATCH_MAX_FILES = 200  # files per soffice process: bounds what a leak or a crash can cost
_POLL_S = 0.1
_UNCONVERTIBLE = "LibreOffice 无法转换"
_STAGED_RE = re.compile(r"smaudit\d+\.[A-Za-z0-9]+")  # a staged input's or output's file name in soffice's log
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")

Converted = Path | Problem  # the LibreOffice output of one file, or why there is none


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_timeout(limits: Limits) -> float:
    """Seconds LibreOffice gets for one file: the per-file limit, at most CONVERT_TIMEOUT_S."""
    return min(CONVERT_TIMEOUT_S, limits.timeout_s) if limits.timeout_s > 0 else CONVERT_TIMEOUT_S


def read_converted(kind: str, converted: Converted, rel: str, limits: Limits,
                   reader: Callable[[Path, str, Limits], Document]) -> Document:
    """The Document of a `kind` file from its LibreOffice output (or its conversion problem), under its own name."""
    if isinstance(converted, Problem):
        return Document(rel, kind, problems=(replace(converted, file=rel),))
    doc = reader(converted, rel, limits)
    return Document(rel, kind, doc.blocks, doc.problems, doc.pages)


def extract_via(kind: str, reader: Callable[[Path, str, Limits], Document]) -> Callable[[Path, str, Limits], Document]:
    """An extractor that converts `kind` to its modern format, then reads it with `reader`."""

    def extract(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
        with tempfile.TemporaryDirectory(prefix="smaudit-") as tmp:
            converted = convert_many([(path, kind)], Path(tmp), limits)[path]
            return read_converted(kind, converted, rel, limits, reader)

    return extract


def convert_many(jobs: Sequence[tuple[Path, str]], workdir: Path,
                 limits: Limits = DEFAULT_LIMITS, to: str | None = None) -> dict[Path, Converted]:
    """Convert (path, kind) files with LibreOffice, one soffice process per target format.

    Returns each path's output (a .docx or .xlsx under workdir, which the caller keeps until
    the outputs are read and then removes) or its Problem: `needs-converter` without soffice,
    `corrupt` when soffice gives no output, `timeout` when one file takes longer than
    convert_timeout(limits). A Problem names the path; read_converted puts the file's rel in.
    to: one target format for every file instead of the reader's (the evidence view asks for "pdf").
    """
    results: dict[Path, Converted] = {}
    todo: dict[Path, str] = {}
    binary = soffice()
    workdir = workdir.resolve()  # soffice is given its profile as a file:// URI, which must be absolute
    for path, kind in ((Path(p), k) for p, k in jobs):
        if kind not in TARGET and not (to and kind in LAYOUT_KINDS):
            raise ValueError(f"LibreOffice does not convert kind {kind!r}")
        if path in results or path in todo:
            continue
        if binary is None:
            results[path] = problem("needs-converter", str(path), detail=path.suffix or kind)
        else:
            todo[path] = kind
    if binary is None or not todo:
        return results
    workdir.mkdir(parents=True, exist_ok=True)
    run = Path(tempfile.mkdtemp(prefix="convert-", dir=workdir))
    stage = run / "stage"
    stage.mkdir()
    try:
        # Unique staged names: a.doc and a.wps, or one name in two folders, would meet in the output folder.
        items = list(todo.items())
        staged = [_stage(path, kind, stage / f"smaudit{i}") for i, (path, kind) in enumerate(items)]
        limit = convert_timeout(limits)
        target_of = {kind: to or TARGET[kind] for kind in todo.values()}
        for target in sorted(set(target_of.values())):
            members = [i for i, (_, kind) in enumerate(items) if target_of[kind] == target]
            outdir = run / target
            outdir.mkdir()
            outcomes = _convert_all(binary, [staged[i] for i in members], outdir, target, limit, run)
            for i, outcome in zip(members, outcomes, strict=True):
                path = items[i][0]
                if isinstance(outcome, Path):
                    results[path] = outcome
                elif outcome == "timeout":
                    results[path] = problem("timeout", str(path), detail=f"{limit:.0f}")
                else:
                    results[path] = problem("corrupt", str(path), detail=_UNCONVERTIBLE)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        for profile in run.glob("profile-*"):
            shutil.rmtree(profile, ignore_errors=True)
    return results


def _stage(path: Path, kind: str, stem: Path) -> Path:
    """Link (or copy) `path` to `stem` plus its suffix: soffice names its output after the input's stem."""
    suffix = path.suffix if _SAFE_SUFFIX.fullmatch(path.suffix) else f".{kind}"
    target = stem.with_name(stem.name + suffix)
    try:
        os.link(path, target)
    except OSError:  # another file system, or a file we may not link
        with contextlib.suppress(OSError):  # unreadable: soffice cannot load it, it ends as `corrupt`
            shutil.copyfile(path, target)
    return target


def _convert_all(binary: str, staged: list[Path], outdir: Path, target: str, limit: float,
                 run: Path) -> list[Path | str]:
    """Each staged file's output path, or "corrupt" or "timeout"; soffice is restarted after a hang or a crash."""
    outcomes: dict[int, Path | str] = {}
    pending = list(range(len(staged)))
    killed = 0
    while pending:  # every session settles at least one file
        chunk = pending[:BATCH_MAX_FILES]
        # A fresh profile after a killed run: a profile soffice died holding is not trusted.
        session = _Session(binary, [staged[i] for i in chunk], outdir, target, run / f"profile-{killed}", limit)
        statuses = session.run()
        killed += 0 if session.clean else 1
        retry = []
        for position, (i, status) in enumerate(zip(chunk, statuses, strict=True)):
            if status == "retry":
                retry.append(i)
            else:
                outcomes[i] = session.outputs[position] if status == "done" else status
        pending = retry + pending[len(chunk):]
    return [outcomes[i] for i in range(len(staged))]


@dataclass
class _Session:
    """One soffice process converting `staged` in order, watched through its log and its output folder.

    soffice works through its inputs in order and prints, per input, "convert <in> -> <out> …"
    once it is loaded or "Error: source file could not be loaded"; an output appears once
    saved; other "Error: …" lines end a file that could not be saved. The clock restarts
    whenever a file is finished: its output appears or an error is printed.
    """

    binary: str
    staged: list[Path]
    outdir: Path
    target: str
    profile: Path
    limit: float
    clean: bool = True  # soffice ended by itself, not killed
    outputs: list[Path] = field(init=False)
    _names: dict[str, int] = field(init=False)  # staged input and output file names → position
    _seen: set[int] = field(init=False, default_factory=set)  # outputs that appeared
    _logged: int = field(init=False, default=0)  # the first file the log has not reported on
    _saving: int | None = field(init=False, default=None)  # loaded, no output yet, no error since

    def __post_init__(self) -> None:
        self.outputs = [self.outdir / f"{src.stem}.{self.target}" for src in self.staged]
        self._names = {src.name: i for i, src in enumerate(self.staged)}
        self._names.update({out.name: i for i, out in enumerate(self.outputs)})

    @property
    def reached(self) -> int:
        """The first file soffice has not reached the end of, as far as its log and outputs tell."""
        return max(self._logged, max(self._seen, default=-1) + 1)

    def run(self) -> list[str]:
        """Per staged file: "done", "corrupt", "timeout", or "retry" (soffice stopped before reaching it)."""
        self.profile.mkdir(parents=True, exist_ok=True)
        log_path = self.profile / "soffice.log"
        cmd = [self.binary, f"-env:UserInstallation={self.profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", self.target, "--outdir", str(self.outdir), *map(str, self.staged)]
        hung: int | None = None
        with log_path.open("wb") as log_out, log_path.open("rb") as log_in:
            # In the caller's process group, so that Ctrl-C on a terminal stops soffice with everything else.
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log_out, stderr=subprocess.STDOUT)
            try:
                rest = b""
                deadline = time.monotonic() + self.limit
                while True:
                    try:
                        proc.wait(timeout=_POLL_S)
                        exited = True
                    except subprocess.TimeoutExpired:
                        exited = False
                    rest, lines = _lines(rest + log_in.read(), final=exited)
                    if self._read_log(lines) | self._scan():
                        deadline = time.monotonic() + self.limit
                    if exited:
                        break
                    if time.monotonic() >= deadline:
                        hung = self._hung()
                        self.clean = False
                        break
            finally:
                _kill_tree(proc)  # soffice.bin is a grandchild
        self._scan()
        return self._statuses(hung, finished_list=proc.returncode == 0 and hung is None)

    def _hung(self) -> int:
        """The file soffice is stuck on: the one it was saving, else the next one (it loads silently)."""
        if self._saving is not None:
            return self._saving
        last = max(self._seen, default=-1)
        if last >= 0 and last + 1 == self.reached and not zipfile.is_zipfile(self.outputs[last]):
            return last  # its output is still being written (a .docx/.xlsx is complete once its zip directory is)
        return self.reached

    def _read_log(self, lines: list[str]) -> bool:
        """Follow soffice through its inputs; True when a file was finished."""
        finished = False
        for line in lines:
            named = [self._names[n] for n in _STAGED_RE.findall(line) if n in self._names]
            if line.startswith("convert ") and named:
                self._logged = max(self._logged, named[0] + 1)
                self._saving = None if named[0] in self._seen else named[0]
            elif line.startswith("Error"):
                finished = True
                if named:  # "no export filter for <out> found", "… impl_store <out> failed"
                    self._logged = max(self._logged, named[0] + 1)
                elif "could not be loaded" in line:
                    self._logged += 1
                self._saving = None
        return finished

    def _scan(self) -> bool:
        """Take in new outputs; True when one appeared."""
        try:
            names = [entry.name for entry in os.scandir(self.outdir)]
        except OSError:
            return False
        new = {self._names[n] for n in names if n in self._names and n.endswith(f".{self.target}")} - self._seen
        self._seen |= new
        if self._saving in new:
            self._saving = None
        return bool(new)

    def _statuses(self, hung: int | None, finished_list: bool) -> list[str]:
        statuses = []
        reached = self.reached
        for i, output in enumerate(self.outputs):
            if i == hung:
                output.unlink(missing_ok=True)  # a half-written output is no output
                statuses.append("timeout")
            elif i in self._seen and output.is_file():
                statuses.append("done")
            elif i < reached or finished_list or (hung is None and i == reached):
                # Passed over, or soffice went through its whole list, or it died on this very file.
                statuses.append("corrupt")
            else:
                statuses.append("retry")
        return statuses


def _lines(data: bytes, final: bool) -> tuple[bytes, list[str]]:
    *lines, rest = data.split(b"\n")
    if final and rest:
        lines, rest = [*lines, rest], b""
    return rest, [line.decode("utf-8", errors="replace").strip() for line in lines]


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """End soffice and everything it started (oosplash, soffice.bin), unless it already ended."""
    if proc.poll() is None:
        for pid in [proc.pid, *_descendants(proc.pid)]:  # listed before any is killed: orphans lose their parent
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    proc.wait()


def _descendants(root: int) -> list[int]:
    """The processes under `root`, from /proc (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    ppid = int(Path(entry.path, "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found
