"""Find a file's real type from its first bytes, not its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Legacy OLE files say what they are only inside; the extension is the best hint.
# An OLE file named .docx/.xlsx is an encrypted OOXML package (Office wraps those in OLE).
OLE_KINDS = {".docx": "encrypted", ".xlsx": "encrypted", ".doc": "doc", ".dot": "doc", ".wps": "doc", ".xls": "xls", ".et": "xls", ".ppt": "ppt", ".dps": "ppt"}
IMAGE_MAGIC = {b"\xff\xd8\xff": "image", b"\x89PNG": "image", b"GIF8": "image", b"II*\x00": "image", b"MM\x00*": "image", b"BM": "image"}
EXPECTED_EXT = {
    "pdf": {".pdf"},
    "docx": {".docx", ".docm", ".dotx", ".dotm", ".wps"},
    "xlsx": {".xlsx", ".xlsm", ".xltx", ".et"},
    "doc": {".doc", ".dot", ".wps"},
    "xls": {".xls", ".et"},
    "text": {".txt", ".csv", ".md", ".text"},
    "image": {".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".bmp"},
    "zip": {".zip"},
    "rtf": {".rtf", ".doc"},
}


def sniff(path: Path) -> str:
    """Return the real kind of a file: pdf, docx, xlsx, pptx, odt, zip, doc, xls, rtf, image, text, empty or unknown."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        return "empty"
    if b"%PDF" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        return OLE_KINDS.get(path.suffix.lower(), "doc")
    if head.startswith(b"{\\rtf"):
        return "rtf"
    for magic, kind in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    if _looks_like_text(head):
        return "text"
    return "unknown"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # A truncated OOXML file still starts with PK; call it by its extension so the
        # right extractor reports it as corrupt.
        ext = path.suffix.lower()
        return "docx" if ext in EXPECTED_EXT["docx"] else "xlsx" if ext in EXPECTED_EXT["xlsx"] else "zip"
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "mimetype" in names and "content.xml" in names:
        return "odt"
    return "zip"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample = head.decode(encoding)
        except UnicodeDecodeError:
            # The 8 KiB cut can split a multi-byte character at the end.
            try:
                sample = head[:-4].decode(encoding)
            except UnicodeDecodeError:
                continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in sample)
        return printable / max(len(sample), 1) > 0.95
    return False


def extension_agrees(kind: str, path: Path) -> bool:
    """True when the file name's extension is a usual one for its real kind."""
    return path.suffix.lower() in EXPECTED_EXT.get(kind, {path.suffix.lower()})
