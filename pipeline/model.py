"""Submission in, AuditResult out: the two ends of the pipeline's data model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.model import OcrBox, Problem
from matchers.catalog import MODE_IDS
from matchers.model import Evidence, Fields, Finding


@dataclass(frozen=True, slots=True)
class Submission:
    """One applicant's package: a folder or a .zip file inside the input folder."""

    name: str
    path: Path  # the folder or the .zip


@dataclass(frozen=True, slots=True)
class FileInfo:
    file: str
    kind: str
    pages: int
    blocks: int
    chars: int
    sha256: str
    ocr_pages: int = 0
    ocr_lines: tuple[OcrBox, ...] = ()  # OCR line boxes, for the evidence view; not in the JSONL


@dataclass(frozen=True, slots=True)
class AuditResult:
    submission: str
    track: str | None
    declared_modes: tuple[str, ...]
    platform_type: str | None
    fields: Fields
    modes: dict[str, Finding]
    criteria: dict[str, Finding]
    problems: tuple[Problem, ...]
    files: tuple[FileInfo, ...] = ()
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(f.pages for f in self.files)

    def to_json(self) -> dict[str, object]:
        """The output contract (docs/output-contract.md), plus files and reasons."""
        return {
            "submission": self.submission,
            "track": self.track,
            "declared_modes": list(self.declared_modes),
            "platform_type": self.platform_type,
            "fields": self.fields.to_json(),
            "modes": {m: _mode_json(self.modes[m]) for m in MODE_IDS},
            "criteria": {c: _finding_json(f) for c, f in self.criteria.items()},
            "problems": [p.to_json() for p in self.problems],
            "files": [_file_json(f) for f in self.files],
        }


def _finding_json(finding: Finding) -> dict[str, object]:
    # terms: the practices that carried the finding (寄售, VMI …), for analysts counting practices.
    terms = sorted({t for e in finding.evidence for t in e.terms})
    return {"status": finding.status, "score": round(finding.score, 3), "reason": finding.reason, "terms": terms,
            "evidence": [e.to_json() for e in finding.evidence]}


def _mode_json(finding: Finding) -> dict[str, object]:
    # hints: the sentence model's leads for a mode it left open (absent/mentioned) — to read, never a verdict.
    return {**_finding_json(finding), "hints": [e.to_json() for e in finding.hints]}


def _file_json(info: FileInfo) -> dict[str, object]:
    return {"file": info.file, "kind": info.kind, "pages": info.pages, "blocks": info.blocks,
            "chars": info.chars, "sha256": info.sha256, "ocr_pages": info.ocr_pages}


__all__ = ["AuditResult", "Evidence", "FileInfo", "Submission"]
