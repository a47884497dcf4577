from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.agreement import agreement, format_agreement
from pipeline.cli import main
from pipeline.stats import cooccurrence, mode_frame, prevalence


def _record(name: str, track: str, city: str, evidenced: list[str]) -> dict[str, object]:
    modes = {f"M{i:02d}": {"status": "evidenced" if f"M{i:02d}" in evidenced else "absent"} for i in range(1, 11)}
    return {"submission": name, "track": track, "fields": {"city": city}, "modes": modes}


def test_stats_prevalence_counts_and_shares() -> None:
    frame = mode_frame([_record("a", "enterprise", "大连", ["M03", "M06"]), _record("b", "project", "沈阳", ["M03"])])
    overall = prevalence(frame).set_index("mode")
    assert overall.loc["M03", "evidenced"] == 2 and overall.loc["M03", "evidenced_share"] == 1.0
    assert overall.loc["M06", "evidenced"] == 1 and overall.loc["M06", "absent"] == 1
    by_track = prevalence(frame, ("track",))
    assert set(by_track["track"]) == {"示范企业", "示范项目"}
    co = cooccurrence(frame)
    assert co.loc["M03", "M06"] == 1 and co.loc["M03", "M03"] == 2


def test_stats_command_sums_two_batches(tmp_path: Path) -> None:
    for year, evidenced in (("2025", ["M03"]), ("2026", ["M03", "M08"])):
        rows = [_record(f"{year}-{i}", "enterprise", "大连", evidenced) for i in range(3)]
        (tmp_path / f"{year}.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = tmp_path / "stats.xlsx"
    assert main(["stats", str(tmp_path / "2025.jsonl"), str(tmp_path / "2026.jsonl"), "-o", str(out)]) == 0
    csv = pd.read_csv(out.with_suffix(".csv"))
    assert len(csv) == 6 * 10 and set(csv["batch"].astype(str)) == {"2025", "2026"}
    wb = load_workbook(out)
    assert {"模式统计", "模式共现", "明细"} <= set(wb.sheetnames)
    rows = list(wb["模式统计"].iter_rows(values_only=True))
    m03 = next(r for r in rows if r[0] == "M03")
    assert m03[2] == 6  # evidenced in all six submissions of both batches
    m08 = next(r for r in rows if r[0] == "M08")
    assert m08[2] == 3
    assert wb["模式统计"]._charts, "a native bar chart of mode prevalence"


def test_agreement_counts_reviewer_verdicts(tmp_path: Path) -> None:
    from application_builder import write_application

    write_application(tmp_path / "in" / "01" / "申报书.docx")
    xlsx = tmp_path / "audit.xlsx"
    assert main(["audit", str(tmp_path / "in"), "-o", str(xlsx), "-q", "--workers", "1"]) == 0
    wb = load_workbook(xlsx)
    ws = wb["证据"]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    for row in range(2, ws.max_row + 1):
        target = ws.cell(row, col["编号"]).value
        if target == "M03":
            ws.cell(row, col["审核结论"]).value = "通过"
        elif target == "M08":
            ws.cell(row, col["人工状态"]).value = "evidenced"  # the machine said negated
        elif target == "M04":
            ws.cell(row, col["审核结论"]).value = "待复核"  # not counted
    wb.save(xlsx)
    tallies = agreement(xlsx)
    assert (tallies["M03"].reviewed, tallies["M03"].agreed) == (1, 1)
    assert (tallies["M08"].reviewed, tallies["M08"].agreed) == (1, 0)
    assert "M04" not in tallies
    assert "50.0%" in format_agreement(tallies)
    assert main(["agreement", str(xlsx)]) == 0


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by `make setup`")
def test_workbook_opens_in_libreoffice_without_repair(tmp_path: Path) -> None:
    from application_builder import write_application

    write_application(tmp_path / "in" / "01" / "申报书.docx")
    xlsx = tmp_path / "audit.xlsx"
    assert main(["audit", str(tmp_path / "in"), "-o", str(xlsx), "-q", "--workers", "1"]) == 0
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(xlsx)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "audit.pdf"
    assert result.returncode == 0 and pdf.exists() and pdf.stat().st_size > 5000, result.stderr
