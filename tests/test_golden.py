"""The golden end-to-end run on samples/: the audit's JSONL must equal tests/golden/samples.jsonl.

Set SMAUDIT_UPDATE_GOLDEN=1 to rewrite the golden after reviewing the change; a missing
golden fails (it is never written silently).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "packages"
GOLDEN = ROOT / "tests" / "golden" / "samples.jsonl"
SCHEMA = json.loads((ROOT / "pipeline" / "schema.json").read_text(encoding="utf-8"))
VOLATILE = ("seconds",)


def _stable(record: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in record.items() if k not in VOLATILE}


@pytest.fixture(scope="module")
def audit_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    out = tmp_path_factory.mktemp("golden")
    xlsx, jsonl = out / "audit.xlsx", out / "audit.jsonl"
    assert main(["audit", str(SAMPLES), "-o", str(xlsx), "--json", str(jsonl), "--workers", "2", "-q"]) == 0
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    return xlsx, records


def test_golden_samples_match(audit_run: tuple[Path, list[dict[str, object]]]) -> None:
    _, records = audit_run
    lines = [json.dumps(_stable(r), ensure_ascii=False, sort_keys=True) for r in records]
    if os.environ.get("SMAUDIT_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert GOLDEN.exists(), f"missing golden {GOLDEN}: run with SMAUDIT_UPDATE_GOLDEN=1 and review the diff"
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(expected)
    for got, want in zip(lines, expected, strict=True):
        assert json.loads(got) == json.loads(want)


def test_golden_samples_validate_against_schema(audit_run: tuple[Path, list[dict[str, object]]]) -> None:
    _, records = audit_run
    assert len(records) >= 8
    for record in records:
        jsonschema.validate(record, SCHEMA)


def test_golden_workbook_sheets_filled(audit_run: tuple[Path, list[dict[str, object]]]) -> None:
    xlsx, records = audit_run
    wb = load_workbook(xlsx)
    for name in ("汇总", "证据", "问题", "模式统计"):
        assert name in wb.sheetnames
        assert wb[name].max_row > 1, name
    assert wb["汇总"].max_row == len(records) + 1
    headers = [c.value for c in wb["证据"][1]]
    assert {"申报材料", "编号", "状态", "文件", "页码", "原文"} <= set(headers)
    ids = {row[1] for row in wb["证据"].iter_rows(min_row=2, values_only=True)}
    assert {f"M{i:02d}" for i in range(1, 11)} <= ids
