from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from pipeline.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "pipeline" / "schema.json").read_text(encoding="utf-8"))


def _audit(batch: Path, tmp_path: Path, *extra: str) -> tuple[int, Path, Path]:
    xlsx, jsonl = tmp_path / "out" / "audit.xlsx", tmp_path / "out" / "audit.jsonl"
    code = main(["audit", str(batch), "-o", str(xlsx), "--json", str(jsonl), "--workers", "1", "-q", *extra])
    return code, xlsx, jsonl


def test_cli_audit_writes_workbook_and_jsonl(batch: Path, tmp_path: Path) -> None:
    code, xlsx, jsonl = _audit(batch, tmp_path)
    assert code == 0
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [r["submission"] for r in records] == ["01-good", "02-bad"]
    for record in records:
        jsonschema.validate(record, SCHEMA)
    good = records[0]
    assert good["track"] == "enterprise"
    assert good["modes"]["M03"]["status"] == "evidenced"
    assert good["modes"]["M08"]["status"] == "negated"
    assert good["modes"]["M04"]["status"] == "planned"
    assert good["fields"]["city"] == "大连"
    assert good["fields"]["year"] == 2024
    bad_kinds = {(p["file"], p["kind"]) for p in records[1]["problems"]}
    assert {("审计报告.pdf", "corrupt"), ("附件.docx", "empty")} <= bad_kinds
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:4] == ["汇总", "证据", "问题", "模式统计"]
    assert wb["汇总"]["A1"].value == "申报材料"
    assert wb["问题"].max_row >= 3


def test_cli_audit_parallel_workers_same_result(batch: Path, tmp_path: Path) -> None:
    _, _, one = _audit(batch, tmp_path / "a")
    _, _, two = _audit(batch, tmp_path / "b", "--workers", "2")
    strip = [{k: v for k, v in json.loads(line).items() if k != "files"} for line in one.read_text().splitlines()]
    strip2 = [{k: v for k, v in json.loads(line).items() if k != "files"} for line in two.read_text().splitlines()]
    assert strip == strip2


def test_cli_formula_text_stays_text(batch: Path, tmp_path: Path) -> None:
    _, xlsx, _ = _audit(batch, tmp_path)
    ws = load_workbook(xlsx)["证据"]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "/nonexistent/input/dir", "-o", "x.xlsx"],
        ["frobnicate"],
        [],
    ],
)
def test_cli_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2


def test_cli_unwritable_output_exits_2(batch: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["audit", str(batch), "-o", str(blocker / "sub" / "a.xlsx"), "-q"]) == 2


def test_cli_broken_lexicon_exits_2(batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lexicon = tmp_path / "lexicon"
    lexicon.mkdir()
    (lexicon / "criteria.yaml").write_text("modes: [}", encoding="utf-8")
    assert main(["audit", str(batch), "-o", str(tmp_path / "a.xlsx"), "--lexicon", str(lexicon), "-q"]) == 2
    assert "criteria.yaml" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["audit", "eval", "train-model"])
def test_cli_help_has_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    assert "Example:" in capsys.readouterr().out


def test_cli_readme_names_every_subcommand() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name in subparsers.choices:  # type: ignore[union-attr]
        assert re.search(rf"smaudit {name}\b", readme), name


def test_cli_audit_single_zip_input(tmp_path: Path) -> None:
    import zipfile

    from application_builder import write_application

    docx_path = write_application(tmp_path / "src" / "申报书.docx")
    package = tmp_path / "大连恒通.zip"
    with zipfile.ZipFile(package, "w") as zf:
        zf.write(docx_path, "申报书.docx")
    jsonl = tmp_path / "a.jsonl"
    assert main(["audit", str(package), "-o", str(tmp_path / "a.xlsx"), "--json", str(jsonl), "-q"]) == 0
    (record,) = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert record["submission"] == "大连恒通.zip" and record["modes"]["M03"]["status"] == "evidenced"
    assert "VMI" in record["modes"]["M03"]["terms"]


def test_cli_loose_file_reported_for_the_input_folder(batch: Path, tmp_path: Path) -> None:
    (batch / "说明.txt").write_text("不属于任何申报材料", encoding="utf-8")
    code, xlsx, jsonl = _audit(batch, tmp_path)
    assert code == 0
    rows = list(load_workbook(xlsx)["问题"].iter_rows(min_row=2, values_only=True))
    assert ("（输入目录）", "说明.txt", "loose-file") in {r[:3] for r in rows}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        assert "loose-file" not in line


def test_cli_train_model_writes_a_model_the_audit_can_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sklearn")
    from matchers.learned import load_model, probabilities

    rows = [{"source": "x", "sentences": [
        {"text": f"公司为客户提供设备上门维修服务第{i}次。", "modes": {"M06": "evidenced"}},
        {"text": f"公司新建厂房第{i}期工程。", "modes": {}},
        {"text": f"公司计划为客户提供维修服务第{i}项。", "modes": {"M06": "planned"}},
    ]} for i in range(6)]
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "model.json"
    assert main(["train-model", str(data), "-o", str(out)]) == 0
    assert "训练完成：18 句" in capsys.readouterr().out
    model = load_model(out)
    m06 = model.modes.index("M06")
    assert probabilities(model, "公司为客户提供设备上门维修服务。")[m06] > probabilities(model, "公司新建厂房工程。")[m06]


def test_cli_train_model_without_data_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train-model", str(tmp_path), "-o", str(tmp_path / "m.json")]) == 2
    assert "没有找到训练数据" in capsys.readouterr().err


def test_cli_workbook_and_jsonl_show_the_models_leads(tmp_path: Path) -> None:
    import shutil

    import numpy as np

    from matchers.catalog import default_dir
    from matchers.learned import SentenceModel, save_model

    # A one-mode model and a lexicon whose threshold no sentence reaches: every likely sentence is a lead.
    lexicon = tmp_path / "lexicon"
    shutil.copytree(default_dir(), lexicon, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    save_model(SentenceModel(("M06",), {"维修": 0}, np.array([[6.0]]), np.array([-1.0])), lexicon / "model" / "tiny.json", {})
    catalog = lexicon / "criteria.yaml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("sentence_model:")
    catalog.write_text(text[:start] + "sentence_model:\n  file: model/tiny.json\n  threshold: 0.95\n  hint_threshold: 0.5\n"
                       + text[text.index("\n\n", start):], encoding="utf-8")
    batch = tmp_path / "batch" / "01-lead"
    batch.mkdir(parents=True)
    (batch / "passage.txt").write_text("公司为客户维修了三台设备。", encoding="utf-8")
    code, xlsx, jsonl = _audit(batch.parent, tmp_path, "--lexicon", str(lexicon))
    assert code == 0
    record = json.loads(jsonl.read_text(encoding="utf-8"))
    jsonschema.validate(record, SCHEMA)
    assert record["modes"]["M06"]["status"] != "evidenced"
    assert [h["text"] for h in record["modes"]["M06"]["hints"]] == ["公司为客户维修了三台设备。"]
    ws = load_workbook(xlsx)["证据"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[headers.index("编号")] == "M06")
    assert "公司为客户维修了三台设备。" in row[headers.index("待复核线索（模型）")]
