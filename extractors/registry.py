"""Route each file to its extractor by its real (sniffed) type."""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import docx, image, pdf, text, xlsx
from .convert import extract_via
from .model import DEFAULT_LIMITS, Document, Limits
from .problems import problem
from .sniff import extension_agrees, sniff

log = logging.getLogger(__name__)
Extractor = Callable[[Path, str, Limits], Document]

def _docx_or_convert(path: Path, rel: str, limits: Limits) -> Document:
    """python-docx first; a well-formed package it refuses (Strict OOXML, .docm) goes through LibreOffice."""
    doc = docx.extract(path, rel, limits)
    if doc.blocks or not any(p.kind == "corrupt" for p in doc.problems) or not zipfile.is_zipfile(path):
        return doc
    converted = _RECONVERT(path, rel, limits)
    return converted if converted.blocks else doc


_RECONVERT = extract_via("docx", docx.extract)
EXTRACTORS: dict[str, Extractor] = {
    "pdf": pdf.extract,
    "docx": _docx_or_convert,
    "xlsx": xlsx.extract,
    "text": text.extract,
    "image": image.extract,
    "doc": extract_via("doc", docx.extract),
    "rtf": extract_via("rtf", docx.extract),
    "odt": extract_via("odt", docx.extract),
    "xls": extract_via("xls", xlsx.extract),
}
KIND_NAMES = {"pptx": "PowerPoint 演示文稿", "ppt": "PowerPoint 演示文稿", "zip": "压缩包", "unknown": "无法识别的格式"}


def read_file(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read any file into a Document; never raises for bad input."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            return Document(rel, "unknown", problems=(problem("too-large", rel, detail=f"{size / 1e6:.0f} MB"),))
        kind = sniff(path)
        doc = _dispatch(kind, path, rel, limits)
        return replace(doc, sha256=_sha256(path))
    except Exception as exc:  # last resort: a bug or an unforeseen library error on one file
        log.exception("extractor failed on %s", rel)
        return Document(rel, "unknown", problems=(problem("internal-error", rel, detail=f"{type(exc).__name__}: {exc}"[:160]),))


def _dispatch(kind: str, path: Path, rel: str, limits: Limits) -> Document:
    if kind == "empty":
        return Document(rel, "empty", problems=(problem("empty", rel),))
    if kind == "encrypted":
        return Document(rel, kind, problems=(problem("encrypted", rel),))
    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        name = KIND_NAMES.get(kind, kind)
        return Document(rel, kind, problems=(problem("unsupported-type", rel, detail=name),))
    doc = extractor(path, rel, limits)
    if not extension_agrees(kind, path):
        warn = problem("wrong-extension", rel, ext=path.suffix or "（无）", real=kind.upper())
        doc = replace(doc, problems=(warn, *doc.problems))
    return doc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
