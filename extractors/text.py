"""Plain text files (.txt, .csv, .md) in UTF-8 or GB18030."""

from __future__ import annotations

from pathlib import Path

from .model import DEFAULT_LIMITS, Block, Document, Limits
from .problems import problem
from .textclean import normalize

ENCODINGS = ("utf-8-sig", "gb18030", "big5")


def extract(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a text file; paragraphs are separated by line breaks."""
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return Document(rel, "text", problems=(problem("corrupt", rel, detail="无法识别的文字编码"),))
    lines = [ln.strip() for ln in normalize(text).split("\n")]
    blocks = tuple(Block(i, None, ln) for i, ln in enumerate(ln for ln in lines if ln))
    return Document(rel, "text", blocks, () if blocks else (problem("no-text", rel),))
