"""Read one file in a forked child process under a time limit and a memory cap.

A hostile file (a PDF whose content stream loops, a zip bomb inside a .docx) must
cost one problem, not the batch: the child is killed on timeout, and an address
space limit turns runaway memory into a failed child instead of an OOM-killed worker.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from .model import DEFAULT_LIMITS, Document, Limits
from .problems import problem
from .registry import read_file

_FORK = multiprocessing.get_context("fork")


def _address_space() -> int:
    """Bytes of address space this process already maps (what the fork inherited)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _child(conn: Connection, path: Path, rel: str, limits: Limits) -> None:
    if limits.max_memory_bytes:
        # The cap is on top of what the parent had mapped (spaCy, models): the file gets its own budget.
        cap = _address_space() + limits.max_memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        conn.send(read_file(path, rel, limits))
    except MemoryError:
        conn.send(Document(rel, "unknown", problems=(problem("internal-error", rel, detail="内存超限"),)))
    finally:
        conn.close()
        os._exit(0)  # skip atexit handlers inherited from the parent


def read_file_isolated(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """read_file in a child process; timeout and crashes become problems on the Document."""
    return read_files_isolated([(path, rel)], limits)[0]


@dataclass
class _Running:
    index: int
    rel: str
    child: BaseProcess
    deadline: float


def read_files_isolated(items: Sequence[tuple[Path, str]], limits: Limits = DEFAULT_LIMITS,
                        parallel: int = 1) -> list[Document]:
    """Read files in forked children, up to `parallel` at a time, each under the time limit; results in order.

    No threads: the parent only waits on the children's pipes, so forking stays safe.
    """
    if limits.timeout_s <= 0:
        return [read_file(path, rel, limits) for path, rel in items]
    results: list[Document | None] = [None] * len(items)
    queue = deque(enumerate(items))
    running: dict[Connection, _Running] = {}
    while queue or running:
        while queue and len(running) < max(1, parallel):
            index, (path, rel) = queue.popleft()
            receiver, sender = _FORK.Pipe(duplex=False)
            child = _FORK.Process(target=_child, args=(sender, path, rel, limits), daemon=False)
            child.start()
            sender.close()
            running[receiver] = _Running(index, rel, child, time.monotonic() + limits.timeout_s)
        wait_s = max(0.0, min(r.deadline for r in running.values()) - time.monotonic())
        for receiver in wait(list(running), timeout=wait_s):
            job = running.pop(receiver)  # type: ignore[arg-type]
            results[job.index] = _collect(receiver, job)  # type: ignore[arg-type]
        now = time.monotonic()
        for receiver, job in list(running.items()):
            if job.deadline <= now:
                del running[receiver]
                job.child.kill()
                _finish(receiver, job)
                results[job.index] = Document(job.rel, "unknown",
                                              problems=(problem("timeout", job.rel, detail=f"{limits.timeout_s:.0f}"),))
    return [doc for doc in results if doc is not None]


def _collect(receiver: Connection, job: _Running) -> Document:
    try:
        return receiver.recv()
    except EOFError:  # the child died before sending anything
        _finish(receiver, job)
        detail = f"读取进程异常退出（退出码 {job.child.exitcode}，可能内存超限）"
        return Document(job.rel, "unknown", problems=(problem("internal-error", job.rel, detail=detail),))
    finally:
        _finish(receiver, job)


def _finish(receiver: Connection, job: _Running) -> None:
    receiver.close()
    job.child.join(timeout=5)
    if job.child.is_alive():
        job.child.kill()
        job.child.join()
