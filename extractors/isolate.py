"""Run work in forked children under a time limit and a memory cap.

A hostile file (a PDF whose content stream loops, a zip bomb inside a .docx) must
cost one problem, not the batch: the child is killed on timeout, and an address
space limit turns runaway memory into a failed child instead of an OOM-killed worker.

Children are made with os.fork, not multiprocessing.Process: a fork shares the
parent's loaded models copy-on-write and needs no pickling of its arguments, and it
also works inside daemonic processes (a Dask worker), where multiprocessing refuses.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .convert import Converted
from .model import DEFAULT_LIMITS, Document, Limits
from .problems import problem
from .registry import read_file


@dataclass(frozen=True, slots=True)
class Job:
    """One piece of work for a child: fn(*args), under a deadline and an address-space budget."""

    key: Hashable
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    timeout_s: float
    memory_bytes: int = 0


@dataclass(frozen=True, slots=True)
class Failed:
    """Why a child gave no value: "timeout", "memory", "crash" (died) or "error" (raised)."""

    reason: str
    detail: str


@dataclass
class _Running:
    job: Job
    pid: int
    conn: Connection
    deadline: float


def _address_space() -> int:
    """Bytes of address space this process already maps (what the fork inherited)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _child_main(job: Job, conn: Connection) -> None:
    try:
        # Ctrl-C reaches the whole process group: the parent decides, children just stop.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if job.memory_bytes:
            # The cap is on top of what the parent had mapped (spaCy, models): the job gets its own budget.
            cap = _address_space() + job.memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:
            value: Any = job.fn(*job.args)
        except MemoryError:
            value = Failed("memory", "内存超限")
        except Exception as exc:
            value = Failed("error", f"{type(exc).__name__}: {exc}"[:160])
        conn.send(value)
    finally:
        os._exit(0)  # skip atexit handlers and buffers inherited from the parent


def _start(job: Job) -> _Running:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child_main(job, Connection(write_fd, readable=False))
    os.close(write_fd)
    return _Running(job, pid, Connection(read_fd, writable=False), time.monotonic() + job.timeout_s)


def _reap(run: _Running, kill: bool = False) -> int:
    if kill:
        with contextlib.suppress(ProcessLookupError):
            os.kill(run.pid, signal.SIGKILL)
    run.conn.close()
    try:
        _, status = os.waitpid(run.pid, 0)
    except ChildProcessError:
        return 0
    return os.waitstatus_to_exitcode(status)


def _collect(run: _Running, exiting: list[int]) -> Any:
    try:
        value = run.conn.recv()
    except (EOFError, OSError):  # the child died before sending anything
        code = _reap(run)
        return Failed("crash", f"进程异常退出（退出码 {code}，可能内存超限）")
    run.conn.close()
    # A child that has sent its value is done; tearing down its copy of a large parent takes
    # milliseconds, so it is reaped later instead of holding its slot until it is gone.
    exiting.append(run.pid)
    _reap_exited(exiting)
    return value


def _reap_exited(pids: list[int], block: bool = False) -> None:
    for pid in list(pids):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            pids.remove(pid)


def run_forked(next_job: Callable[[], Job | None], parallel: int) -> Iterator[tuple[Job, Any]]:
    """Run jobs in forked children, up to `parallel` at a time; yield (job, value or Failed) as each ends.

    next_job is asked for work whenever a slot is free, so the caller can add jobs while
    results come in (analyse a package as soon as its last file is read); it returns None
    when it has nothing to start now. The run ends when nothing runs and nothing is offered.
    No threads: the parent only waits on the children's pipes, so forking stays safe.
    """
    running: dict[Connection, _Running] = {}
    exiting: list[int] = []
    try:
        while True:
            while len(running) < max(1, parallel) and (job := next_job()) is not None:
                run = _start(job)
                running[run.conn] = run
            if not running:
                return
            wait_s = max(0.0, min(r.deadline for r in running.values()) - time.monotonic())
            for conn in wait(list(running), timeout=wait_s):
                run = running.pop(conn)  # type: ignore[arg-type]
                yield run.job, _collect(run, exiting)
            now = time.monotonic()
            for conn, run in list(running.items()):
                if run.deadline <= now:
                    del running[conn]
                    _reap(run, kill=True)
                    yield run.job, Failed("timeout", f"{run.job.timeout_s:.0f}")
    finally:  # the caller stopped early (Ctrl-C, an exception): no child outlives the run
        for run in running.values():
            _reap(run, kill=True)
        _reap_exited(exiting, block=True)


def failed_document(rel: str, failed: Failed) -> Document:
    """The Document a reviewer sees for a file whose reading child failed."""
    if failed.reason == "timeout":
        return Document(rel, "unknown", problems=(problem("timeout", rel, detail=failed.detail),))
    detail = "读取" + failed.detail if failed.reason == "crash" else failed.detail
    return Document(rel, "unknown", problems=(problem("internal-error", rel, detail=detail),))


def read_job(key: Hashable, path: Path, rel: str, limits: Limits, converted: Converted | None = None) -> Job:
    """The job that reads one file; `converted` is its LibreOffice output when converted beforehand."""
    args: tuple[Any, ...] = (path, rel, limits) if converted is None else (path, rel, limits, converted)
    return Job(key, _read, args, limits.timeout_s, limits.max_memory_bytes)


def _read(*args: Any) -> Document:
    return read_file(*args)  # looked up at call time: tests replace the module's read_file


def read_file_isolated(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """read_file in a child process; timeout and crashes become problems on the Document."""
    return read_files_isolated([(path, rel)], limits)[0]


def read_files_isolated(items: Sequence[tuple[Path, str]], limits: Limits = DEFAULT_LIMITS,
                        parallel: int = 1) -> list[Document]:
    """Read files in forked children, up to `parallel` at a time, each under the time limit; results in order."""
    if limits.timeout_s <= 0:
        return [read_file(path, rel, limits) for path, rel in items]
    queue = deque(read_job(i, path, rel, limits) for i, (path, rel) in enumerate(items))
    results: dict[Hashable, Document] = {}
    for job, value in run_forked(lambda: queue.popleft() if queue else None, parallel):
        rel = job.args[1]
        results[job.key] = failed_document(rel, value) if isinstance(value, Failed) else value
    return [results[i] for i in range(len(items))]
