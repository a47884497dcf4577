"""Safe unpacking of a submission's .zip: no path traversal, size/ratio limits, GBK names."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from .model import DEFAULT_LIMITS, Limits, Problem
from .problems import problem

UTF8_FLAG = 0x800


@dataclass(frozen=True, slots=True)
class Unpacked:
    files: tuple[Path, ...]
    problems: tuple[Problem, ...]


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: zips made on Chinese Windows store GBK bytes without the UTF-8 flag."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def is_skipped(name: str) -> bool:
    """System and temporary entries nobody submitted on purpose."""
    parts = PurePosixPath(name).parts
    hidden = (p.startswith(".") and p not in (".", "..") for p in parts)  # '..' is an attack, not a hidden file
    return any(hidden) or any(p == "__MACOSX" or p.startswith("~$") or p == "Thumbs.db" for p in parts)


def safe_relpath(name: str) -> PurePosixPath | None:
    """A relative path with no '..', drive or root; None when the name tries to escape."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    return path


def unpack(source: Path | io.BytesIO, dest: Path, label: str, limits: Limits = DEFAULT_LIMITS, depth: int = 0) -> Unpacked:
    """Unpack a zip into dest, one nested level deep; every refusal becomes a Problem."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        return Unpacked((), (problem("corrupt", label, detail=type(exc).__name__),))
    files: list[Path] = []
    problems: list[Problem] = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_zip_members:
            return Unpacked((), (problem("zip-unsafe", label, detail=f"文件数{len(infos)}超过上限"),))
        total = 0
        for info in infos:
            name = member_name(info)
            rel = safe_relpath(name)
            if rel is not None and is_skipped(rel.as_posix()):
                continue
            shown = f"{label}/{name}" if depth else name
            if rel is None:
                problems.append(problem("zip-unsafe", shown, detail=name))
                continue
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > limits.max_zip_total_bytes or (info.file_size > 10_000_000 and ratio > limits.max_zip_ratio):
                problems.append(problem("zip-unsafe", shown, detail=name))
                continue
            target = dest / rel
            files.extend(_write_member(zf, info, target, shown, limits, depth, problems))
    return Unpacked(tuple(files), tuple(problems))


def _write_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, shown: str,
                  limits: Limits, depth: int, problems: list[Problem]) -> list[Path]:
    if target.suffix.lower() == ".zip" and depth >= 1:
        problems.append(problem("zip-nested", shown, detail=target.name))
        return []
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Streamed, and stopped at the declared size: a member that inflates past what its
        # header says is a bomb, not a document.
        with zf.open(info) as src, target.open("wb") as dst:
            copied = _copy_capped(src, dst, info.file_size)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
        # RuntimeError: the member is encrypted.
        target.unlink(missing_ok=True)
        kind = "encrypted" if "encrypted" in str(exc) else "corrupt"
        problems.append(problem(kind, shown, detail=type(exc).__name__))
        return []
    if copied is None:
        target.unlink(missing_ok=True)
        problems.append(problem("zip-unsafe", shown, detail=info.filename))
        return []
    if target.suffix.lower() == ".zip":
        inner = unpack(target, target.with_suffix(""), shown, limits, depth + 1)
        target.unlink(missing_ok=True)
        problems.extend(inner.problems)
        return list(inner.files)
    return [target]


def _copy_capped(src: IO[bytes], dst: IO[bytes], declared: int) -> int | None:
    """Copy at most `declared` bytes; None when the stream holds more."""
    copied = 0
    while chunk := src.read(1 << 20):
        copied += len(chunk)
        if copied > declared:
            return None
        dst.write(chunk)
    return copied
