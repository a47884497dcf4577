"""Read one file in a forked child process under a time limit and a memory cap.

A hostile file (a PDF whose content stream loops, a zip bomb inside a .docx) must
cost one problem, not the batch: the child is killed on timeout, and an address
space limit turns runaway memory into a failed child instead of an OOM-killed worker.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from multiprocessing.connection import Connection
from pathlib import Path

from .model import DEFAULT_LIMITS, Document, Limits
from .problems import problem
from .registry import read_file

_FORK = multiprocessing.get_context("fork")


def _child(conn: Connection, path: Path, rel: str, limits: Limits) -> None:
    if limits.max_memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory_bytes, limits.max_memory_bytes))
    try:
        conn.send(read_file(path, rel, limits))
    except MemoryError:
        conn.send(Document(rel, "unknown", problems=(problem("internal-error", rel, detail="内存超限"),)))
    finally:
        conn.close()
        os._exit(0)  # skip atexit handlers inherited from the parent


def read_file_isolated(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """read_file in a child process; timeout and crashes become problems on the Document."""
    if limits.timeout_s <= 0:
        return read_file(path, rel, limits)
    receiver, sender = _FORK.Pipe(duplex=False)
    child = _FORK.Process(target=_child, args=(sender, path, rel, limits), daemon=False)
    child.start()
    sender.close()
    try:
        if receiver.poll(limits.timeout_s):
            try:
                return receiver.recv()
            except EOFError:
                pass  # the child died before sending anything
        else:
            child.kill()
            return Document(rel, "unknown", problems=(problem("timeout", rel, detail=f"{limits.timeout_s:.0f}"),))
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()
    detail = f"读取进程异常退出（退出码 {child.exitcode}，可能内存超限）"
    return Document(rel, "unknown", problems=(problem("internal-error", rel, detail=detail),))
