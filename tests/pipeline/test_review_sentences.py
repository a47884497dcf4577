"""Reviewers' verdicts in a worked workbook become training sentences, and those train a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from matchers.model import Evidence
from pipeline.cli import main
from pipeline.review_sentences import harvest_workbook, lines_of
from pipeline.writers.excel import quote_line

PASSAGE = ("公司为客户维修了三台设备。\n"
           "公司已与28家企业签订设备远程运维服务合同，2024年远程运维服务收入1,200万元。\n"
           "公司计划明年开展合同能源管理业务。\n")


def _worked_workbook(tmp_path: Path, verdicts: dict[str, str]) -> Path:
    batch = tmp_path / "batch" / "01-a"
    batch.mkdir(parents=True)
    (batch / "passage.txt").write_text(PASSAGE, encoding="utf-8")
    xlsx = tmp_path / "audit.xlsx"
    assert main(["audit", str(batch.parent), "-o", str(xlsx), "--workers", "1", "-q", "--no-cache"]) == 0
    wb = load_workbook(xlsx)
    ws = wb["证据"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        mode = row[headers.index("编号")].value
        if mode in verdicts:
            row[headers.index("人工状态")].value = verdicts[mode]
    wb.save(xlsx)
    return xlsx


def test_lines_of_reads_back_what_the_workbook_writes() -> None:
    quotes = [Evidence("M06", "absent", 0.62, "材料 第1册.pdf", 3, "线索句：含冒号。"), Evidence("M06", "absent", 0.5, "a.docx", None, "二。")]
    for with_score in (False, True):
        assert lines_of("\n".join(quote_line(e, with_score) for e in quotes)) == ["线索句：含冒号。", "二。"]


def test_lines_of_reads_more_evidence_and_lead_cells() -> None:
    assert lines_of("a.pdf 第3页：第一句。\nb.docx 第-页：第二句：含冒号。") == ["第一句。", "第二句：含冒号。"]
    assert lines_of("（0.62）材料 第1册.pdf 第3页：线索句。") == ["线索句。"]
    assert lines_of(None) == []


def test_reviewed_modes_label_their_quotes_and_only_their_mode(tmp_path: Path) -> None:
    xlsx = _worked_workbook(tmp_path, {"M06": "evidenced", "M08": "planned", "M01": "absent"})
    harvest = harvest_workbook(xlsx)
    assert harvest.reviewed == 3 and not harvest.skipped
    texts = harvest.sentences["01-a"]
    remote = next(t for t in texts if "远程运维" in t)
    assert texts[remote] == {"M06": "evidenced"}
    energy = next(t for t in texts if "合同能源管理" in t)
    assert texts[energy] == {"M08": "planned"}
    sentences = harvest.excerpts("audit.xlsx")[0]["sentences"]
    labelled = next(s for s in sentences if s["text"] == remote)["modes"]
    assert labelled["M06"] == "evidenced" and labelled["M07"] == "unlabelled"


def test_a_bad_reviewer_status_is_reported_not_used(tmp_path: Path) -> None:
    harvest = harvest_workbook(_worked_workbook(tmp_path, {"M06": "有"}))
    assert harvest.reviewed == 0 and "不是状态词" in harvest.skipped[0]


def test_cli_writes_sentences_that_train_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sklearn")
    xlsx = _worked_workbook(tmp_path, {"M06": "evidenced", "M08": "planned"})
    out = tmp_path / "train" / "office.jsonl"
    assert main(["review-sentences", str(xlsx), "-o", str(out)]) == 0
    assert "审核人认定的模式 2 个" in capsys.readouterr().out
    excerpt = json.loads(out.read_text(encoding="utf-8"))
    assert excerpt["source"] == "audit.xlsx#01-a"
    # beside the shipped data, as the README says
    shipped = Path(__file__).resolve().parents[2] / "samples" / "train" / "harvest-2.jsonl"
    (out.parent / "harvest-2.jsonl").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["train-model", str(out.parent), "-o", str(tmp_path / "model.json")]) == 0
    assert json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))["meta"]["data"] == ["harvest-2.jsonl",
                                                                                                   "office.jsonl"]


def test_cli_without_any_verdict_is_a_usage_error(tmp_path: Path) -> None:
    xlsx = _worked_workbook(tmp_path, {})
    assert main(["review-sentences", str(xlsx), "-o", str(tmp_path / "x.jsonl")]) == 2
    assert not (tmp_path / "x.jsonl").exists()
