"""The data model shared by every stage: Document, Block and Problem.

Frozen dataclasses so that results pickle across worker processes and no stage
can change what an earlier stage produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
Table = tuple[tuple[str, ...], ...]
# One OCR'd line: page (1-based), its text, and its box as page fractions (left, top, right, bottom).
OcrBox = tuple[int, str, float, float, float, float]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a reviewer must know about one file or one submission."""

    file: str
    kind: str
    message: str
    severity: Severity = "error"

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "kind": self.kind, "message": self.message, "severity": self.severity}


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a table of one file, with its 1-based page when known."""

    index: int
    page: int | None
    text: str
    table: Table | None = None
    source: str = "text"  # "text" | "table" | "ocr" | "furniture" (repeated header/footer, kept but not analysed)
    printed_page: int | None = None  # the page number printed on the page, when it differs from the index

    @property
    def is_table(self) -> bool:
        return self.table is not None


@dataclass(frozen=True, slots=True)
class Document:
    """Everything read from one file: its blocks in reading order and its problems."""

    path: str  # relative to the submission root, with forward slashes
    kind: str  # "pdf", "docx", "xlsx", "text", …, or "unknown"
    blocks: tuple[Block, ...] = ()
    problems: tuple[Problem, ...] = ()
    pages: int = 0
    sha256: str = ""
    ocr_lines: tuple[OcrBox, ...] = ()  # where OCR read each line, so the evidence view can highlight it

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def table_to_text(rows: Table) -> str:
    """Flatten a table to text, one row per line, cells separated by a tab."""
    return "\n".join("\t".join(c for c in row if c) for row in rows if any(row))


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for reading one file or one archive."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    max_zip_members: int = 2000
    max_zip_total_bytes: int = 2 * 1024 * 1024 * 1024
    max_zip_ratio: float = 200.0
    timeout_s: float = 120.0  # per file; 0 reads in-process (no isolation)
    max_memory_bytes: int = 4 * 1024**3  # address-space cap of the child reading one file


DEFAULT_LIMITS = Limits()
