"""Run work in forked children under a time limit and a memory cap.

A hostile file (a PDF whose content stream loops, a zip bomb inside a .docx) must
cost one problem, not the batch: the child is killed on timeout, and an address
space limit turns runaway memory into a failed child instead of an OOM-killed worker.

Children are made with os.fork, not multiprocessing.Process: a fork shares the
parent's loaded models copy-on-write, and it also works inside daemonic processes (a Dask
worker), where multiprocessing refuses. Workers are forked once and reused; a job goes to
them pickled, and one that cannot be pickled gets a child of its own.
"""

from __future__ import annotations

import contextlib
import os
import pickle
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


@dataclass(eq=False)
class _Worker:
    """A forked child that runs job after job: it pays for a fork and a warm-up of its heap once."""

    pid: int
    jobs: Connection  # parent → worker: (fn, args, memory_bytes)
    results: Connection  # worker → parent: (value, retiring)


@dataclass
class _Running:
    job: Job
    pid: int
    conn: Connection
    deadline: float
    worker: _Worker | None = None  # None: a one-off child for a job that cannot be pickled


# A worker hands back its slot to a fresh fork after this many jobs, or once its address space
# has grown by this much: what a long run leaks or fragments stays bounded.
WORKER_MAX_JOBS = 200
WORKER_MAX_GROWTH = 1024**3


def _address_space() -> int:
    """Bytes of address space this process already maps (what the fork inherited)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    try:
        return fn(*args)
    except MemoryError:
        return Failed("memory", "内存超限")
    except Exception as exc:
        return Failed("error", f"{type(exc).__name__}: {exc}"[:160])


def _cap_memory(base: int, memory_bytes: int) -> None:
    """Cap the address space at `base` + the job's budget (soft limit only, so the next job may differ)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = base + memory_bytes if memory_bytes else hard
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _child_main(job: Job, conn: Connection) -> None:
    try:
        # Ctrl-C reaches the whole process group: the parent decides, children just stop.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if job.memory_bytes:
            # The cap is on top of what the parent had mapped (spaCy, models): the job gets its own budget.
            _cap_memory(_address_space(), job.memory_bytes)
        conn.send(_call(job.fn, job.args))
    finally:
        os._exit(0)  # skip atexit handlers and buffers inherited from the parent


def _worker_main(jobs: Connection, results: Connection) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        base = _address_space()
        for done in range(1, WORKER_MAX_JOBS + 1):
            try:
                fn, args, memory_bytes = jobs.recv()
            except (EOFError, OSError):  # the parent closed the pipe (run over) or died
                return
            _cap_memory(base, memory_bytes)
            value = _call(fn, args)
            _cap_memory(base, 0)  # sending may need memory the job's cap would refuse
            # After a MemoryError the heap is not trusted; after many jobs it has grown: a fresh fork goes on.
            retiring = (done == WORKER_MAX_JOBS or (isinstance(value, Failed) and value.reason == "memory")
                        or _address_space() - base > WORKER_MAX_GROWTH)
            results.send((value, retiring))
            if retiring:
                return
    finally:
        os._exit(0)


def _start(job: Job) -> _Running:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child_main(job, Connection(write_fd, readable=False))
    os.close(write_fd)
    return _Running(job, pid, Connection(read_fd, writable=False), time.monotonic() + job.timeout_s)


def _fork_worker(others: list[_Worker]) -> _Worker:
    job_read, job_write = os.pipe()
    result_read, result_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        # Without the other workers' pipe ends, each worker sees EOF when the parent goes away.
        for other in others:
            other.jobs.close()
            other.results.close()
        os.close(job_write)
        os.close(result_read)
        _worker_main(Connection(job_read, writable=False), Connection(result_write, readable=False))
    os.close(job_read)
    os.close(result_write)
    return _Worker(pid, Connection(job_write, readable=False), Connection(result_read, writable=False))


class _Pool:
    """Workers forked once and reused; a job they cannot take (unpicklable) gets a one-off child."""

    def __init__(self) -> None:
        self.idle: list[_Worker] = []
        self.busy: list[_Worker] = []
        self.exiting: list[int] = []

    def start(self, job: Job) -> _Running:
        try:
            message = pickle.dumps((job.fn, job.args, job.memory_bytes), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a lambda or a closure (tests, ad-hoc callers): the old way, one fork per job
            return _start(job)
        worker = self.idle.pop() if self.idle else _fork_worker(self.busy)
        try:
            worker.jobs.send_bytes(message)
        except OSError:  # it died idle: one fresh fork gets the job
            self.retire(worker, kill=True)
            worker = _fork_worker(self.idle + self.busy)
            worker.jobs.send_bytes(message)
        self.busy.append(worker)
        return _Running(job, worker.pid, worker.results, time.monotonic() + job.timeout_s, worker)

    def collect(self, run: _Running) -> Any:
        if run.worker is None:
            return _collect_one(run, self.exiting)
        worker = run.worker
        self.busy.remove(worker)
        try:
            value, retiring = worker.results.recv()
        except (EOFError, OSError):  # died mid-job: a crash, or the memory cap hit outside Python
            code = self.retire(worker, kill=True)
            return Failed("crash", f"进程异常退出（退出码 {code}，可能内存超限）")
        if retiring:
            self.retire(worker)
        else:
            self.idle.append(worker)
        return value

    def abandon(self, run: _Running) -> None:
        """Kill the child running `run` (its time is up, or the run is over)."""
        if run.worker is None:
            _reap(run, kill=True)
            return
        self.busy.remove(run.worker)
        self.retire(run.worker, kill=True)

    def retire(self, worker: _Worker, kill: bool = False) -> int:
        worker.jobs.close()
        worker.results.close()
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            try:
                _, status = os.waitpid(worker.pid, 0)
            except ChildProcessError:
                return 0
            return os.waitstatus_to_exitcode(status)
        # Tearing down a copy of a large parent takes milliseconds: reaped later, not waited for.
        self.exiting.append(worker.pid)
        _reap_exited(self.exiting)
        return 0

    def close(self) -> None:
        for worker in self.idle:
            self.retire(worker)  # its job pipe closes: it sees EOF and exits
        self.idle.clear()
        _reap_exited(self.exiting, block=True)


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


def _collect_one(run: _Running, exiting: list[int]) -> Any:
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
    Children are workers forked once and reused: a fork per job cost a fifth of a text batch's
    time in page faults, as each fresh child touched its heap anew. A job that runs out of time
    kills its worker; the next job gets a fresh fork.
    No threads: the parent only waits on the children's pipes, so forking stays safe.
    """
    pool = _Pool()
    running: dict[Connection, _Running] = {}
    try:
        while True:
            while len(running) < max(1, parallel) and (job := next_job()) is not None:
                run = pool.start(job)
                running[run.conn] = run
            if not running:
                return
            wait_s = max(0.0, min(r.deadline for r in running.values()) - time.monotonic())
            for conn in wait(list(running), timeout=wait_s):
                run = running.pop(conn)  # type: ignore[arg-type]
                yield run.job, pool.collect(run)
            now = time.monotonic()
            for conn, run in list(running.items()):
                if run.deadline <= now:
                    del running[conn]
                    pool.abandon(run)
                    yield run.job, Failed("timeout", f"{run.job.timeout_s:.0f}")
    finally:  # the caller stopped early (Ctrl-C, an exception): no child outlives the run
        for run in running.values():
            pool.abandon(run)
        pool.close()


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
