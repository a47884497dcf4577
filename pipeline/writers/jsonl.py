"""JSONL: one submission per line, in the shape of docs/output-contract.md."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..model import AuditResult
from .atomic import atomic_path


def write_jsonl(results: Iterable[AuditResult], path: Path) -> None:
    """Write atomically: a crash never leaves a half-written file."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
        for result in results:
            fh.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
