"""Route each file to its extractor by its real (sniffed) type."""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import docx, image, pdf, text, xlsx
from .convert import Converted, extract_via, read_converted
from .model import DEFAULT_LIMITS, Document, Limits
from .problems import problem
from .sniff import extension_agrees, sniff

log = logging.getLogger(__name__)
Extractor = Callable[[Path, str, Limits], Document]

def _docx_or_convert(path: Path, rel: str, limits: Limits, converted: Converted | None = None) -> Document:
    """python-docx first; a well-formed package it refuses (Strict OOXML, .docm) goes through LibreOffice."""
    doc = docx.extract(path, rel, limits)
    if doc.blocks or not any(p.kind == "corrupt" for p in doc.problems) or not zipfile.is_zipfile(path):
        return doc
    if converted is None:
        again = _RECONVERT(path, rel, limits)
    else:
        again = read_converted("docx", converted, rel, limits, docx.extract)
    return again if again.blocks else doc


_RECONVERT = extract_via("docx", docx.extract)
# Kinds read through LibreOffice, and the reader of each one's converted file.
CONVERTED_READERS: dict[str, Extractor] = {"doc": docx.extract, "rtf": docx.extract, "odt": docx.extract,
                                           "xls": xlsx.extract}
EXTRACTORS: dict[str, Extractor] = {
    "pdf": pdf.extract,
    "docx": _docx_or_convert,
    "xlsx": xlsx.extract,
    "text": text.extract,
    "image": image.extract,
    **{kind: extract_via(kind, reader) for kind, reader in CONVERTED_READERS.items()},
}
KIND_NAMES = {"pptx": "PowerPoint 演示文稿", "ppt": "PowerPoint 演示文稿", "zip": "压缩包", "unknown": "无法识别的格式"}


def needs_conversion(path: Path, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """The kind of a file read_file would convert with LibreOffice (by its sniffed type), else None.

    For convert_many before a batch is read. Not the .docx python-docx refuses: that is only
    known after trying, and read_file converts such a file on its own.
    """
    try:
        if path.stat().st_size > limits.max_file_bytes:
            return None  # read_file reports it too large without converting it
        kind = sniff(path)
    except OSError:
        return None
    return kind if kind in CONVERTED_READERS else None


def read_file(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS, converted: Converted | None = None) -> Document:
    """Read any file into a Document; never raises for bad input.

    `converted` is what convert_many gave for this file (its LibreOffice output, or the Problem
    that stopped it): read in place of converting, with the same result. None converts as needed.
    """
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            return Document(rel, "unknown", problems=(problem("too-large", rel, detail=f"{size / 1e6:.0f} MB"),))
        kind = sniff(path)
        doc = _dispatch(kind, path, rel, limits, converted)
        return replace(doc, sha256=sha256_of(path))
    except Exception as exc:  # last resort: a bug or an unforeseen library error on one file
        log.exception("extractor failed on %s", rel)
        return Document(rel, "unknown", problems=(problem("internal-error", rel, detail=f"{type(exc).__name__}: {exc}"[:160]),))


def _dispatch(kind: str, path: Path, rel: str, limits: Limits, converted: Converted | None = None) -> Document:
    if kind == "empty":
        return Document(rel, "empty", problems=(problem("empty", rel),))
    if kind == "encrypted":
        return Document(rel, kind, problems=(problem("encrypted", rel),))
    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        name = KIND_NAMES.get(kind, kind)
        return Document(rel, kind, problems=(problem("unsupported-type", rel, detail=name),))
    if converted is None:
        doc = extractor(path, rel, limits)
    elif kind in CONVERTED_READERS:
        doc = read_converted(kind, converted, rel, limits, CONVERTED_READERS[kind])
    elif kind == "docx":
        doc = _docx_or_convert(path, rel, limits, converted)
    else:  # converted for a kind that needs no converting: ignored
        doc = extractor(path, rel, limits)
    if not extension_agrees(kind, path):
        warn = problem("wrong-extension", rel, ext=path.suffix or "（无）", real=kind.upper())
        doc = replace(doc, problems=(warn, *doc.problems))
    return doc


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
