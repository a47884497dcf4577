"""convert_many: one soffice per target format, same Documents as one file at a time, a time limit per file."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from extractors.convert import convert_many, soffice
from extractors.model import Limits, Problem
from extractors.registry import needs_conversion, read_file

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")

# Writes each input to its output as is, one after the other like soffice, except: a file starting
# with HANG never loads, STUCK never finishes saving (PARTI… neither, and says nothing), SKIP is not
# loaded, CRASH kills the process. FAKE_LOG gets one line per launch.
FAKE_SOFFICE = """#!/bin/sh
echo launch >> "$FAKE_LOG"
target=""; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --convert-to) target="$2"; shift 2 ;;
    --outdir) out="$2"; shift 2 ;;
    -*) shift ;;
    *)
      f="$1"; shift
      name=$(basename "$f"); stem="${name%.*}"
      case "$(head -c 5 "$f")" in
        HANG*) sleep 600 & echo $! >> "$FAKE_LOG.sleepers"; wait $! ;;
        STUCK) echo "convert $f -> $out/$stem.$target using filter : fake"; printf PK > "$out/$stem.$target"
               sleep 600 & wait $! ;;
        PARTI) printf PK > "$out/$stem.$target"; sleep 600 & wait $! ;;
        SKIP*) echo "Error: source file could not be loaded" >&2; continue ;;
        CRASH) kill -SEGV $$ ;;
      esac
      sleep "${FAKE_DELAY:-0}"
      echo "convert $f -> $out/$stem.$target using filter : fake"
      cp "$f" "$out/$stem.$target"
      ;;
  esac
done
"""


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake soffice first on PATH; returns its log (one line per launch)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(FAKE_SOFFICE)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    log = tmp_path / "fake.log"
    monkeypatch.setenv("FAKE_LOG", str(log))
    return log


def _write_inputs(folder: Path, contents: dict[str, str]) -> list[Path]:
    """GOOD… files as a zip (like a real output, which the fake copies), the others as their marker."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in contents.items():
        path = folder / name
        if content.startswith("GOOD"):
            with zipfile.ZipFile(path, "w") as zf:
                zf.writestr("content.txt", content)
        else:
            path.write_text(content)
        paths.append(path)
    return paths


def _outcome(result: Path | Problem) -> str:
    """The problem kind, or the text the fake copied through."""
    if isinstance(result, Problem):
        return result.kind
    assert result.suffix == ".docx", result
    with zipfile.ZipFile(result) as zf:
        return zf.read("content.txt").decode()


def _not_running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")  # a zombie waits for init
    except (FileNotFoundError, IndexError):
        return True


def test_fake_timeout_is_per_file_and_the_rest_convert(tmp_path: Path, fake_soffice: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DELAY", "0.5")  # five files at 0.5 s: 2.5 s in all, over the 2 s limit of one file
    names = {"a.doc": "GOOD a", "b.doc": "GOOD b", "hang.doc": "HANG", "c.doc": "GOOD c", "d.wps": "GOOD d",
             "e.rtf": "GOOD e"}
    paths = _write_inputs(tmp_path / "in", names)
    start = time.monotonic()
    results = convert_many([(p, "doc") for p in paths], tmp_path / "work", Limits(timeout_s=2))
    elapsed = time.monotonic() - start
    assert [_outcome(results[p]) for p in paths] == ["GOOD a", "GOOD b", "timeout", "GOOD c", "GOOD d", "GOOD e"]
    assert "2秒" in results[tmp_path / "in" / "hang.doc"].message  # type: ignore[union-attr]
    assert fake_soffice.read_text().split() == ["launch", "launch"]  # restarted once, after the hang
    assert elapsed < 2 + 5 * 0.5 + 3, elapsed
    sleepers = [int(pid) for pid in Path(f"{fake_soffice}.sleepers").read_text().split()]
    assert sleepers and all(_not_running(pid) for pid in sleepers)  # the whole process group was killed


def test_fake_two_hangs_each_cost_their_own_limit(tmp_path: Path, fake_soffice: Path) -> None:
    paths = _write_inputs(tmp_path / "in", {"1.doc": "HANG", "2.doc": "GOOD 2", "3.doc": "HANG", "4.doc": "GOOD 4"})
    results = convert_many([(p, "doc") for p in paths], tmp_path / "work", Limits(timeout_s=1))
    assert [_outcome(results[p]) for p in paths] == ["timeout", "GOOD 2", "timeout", "GOOD 4"]


def test_fake_hang_while_saving_blames_that_file(tmp_path: Path, fake_soffice: Path) -> None:
    contents = {"1.doc": "GOOD 1", "2.doc": "STUCK", "3.doc": "GOOD 3", "4.doc": "PARTIAL", "5.doc": "GOOD 5"}
    paths = _write_inputs(tmp_path / "in", contents)
    results = convert_many([(p, "doc") for p in paths], tmp_path / "work", Limits(timeout_s=1))
    assert [_outcome(results[p]) for p in paths] == ["GOOD 1", "timeout", "GOOD 3", "timeout", "GOOD 5"]
    assert not list((tmp_path / "work").glob("*/docx/smaudit[13].docx"))  # half-written outputs are removed


def test_fake_skipped_and_crashed_files_are_corrupt_and_the_rest_convert(tmp_path: Path, fake_soffice: Path) -> None:
    contents = {"1.doc": "GOOD 1", "2.doc": "SKIP", "3.doc": "CRASH", "4.doc": "GOOD 4", "5.doc": "SKIP",
                "6.doc": "GOOD 6"}
    paths = _write_inputs(tmp_path / "in", contents)
    results = convert_many([(p, "doc") for p in paths], tmp_path / "work", Limits(timeout_s=30))
    assert [_outcome(results[p]) for p in paths] == ["GOOD 1", "corrupt", "corrupt", "GOOD 4", "corrupt", "GOOD 6"]
    assert fake_soffice.read_text().split() == ["launch", "launch"]  # restarted once, after the crash


def test_fake_same_stem_and_same_name_in_two_folders(tmp_path: Path, fake_soffice: Path) -> None:
    paths = [*_write_inputs(tmp_path / "甲", {"申报书.doc": "GOOD 甲doc", "申报书.wps": "GOOD 甲wps"}),
             *_write_inputs(tmp_path / "乙", {"申报书.doc": "GOOD 乙doc"})]
    results = convert_many([(p, "doc") for p in paths], tmp_path / "work", Limits(timeout_s=30))
    assert [_outcome(results[p]) for p in paths] == ["GOOD 甲doc", "GOOD 甲wps", "GOOD 乙doc"]
    assert fake_soffice.read_text().split() == ["launch"]


def test_without_soffice_every_file_needs_a_converter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    (path,) = _write_inputs(tmp_path / "in", {"申报书.doc": "x"})
    result = convert_many([(path, "doc")], tmp_path / "work", Limits())[path]
    assert isinstance(result, Problem) and result.kind == "needs-converter"
    assert read_file(path, "材料/申报书.doc", Limits(), converted=result) == read_file(path, "材料/申报书.doc")


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pdf"):
        convert_many([(tmp_path / "a.pdf", "pdf")], tmp_path, Limits())


# -- with LibreOffice ------------------------------------------------------------------------------

PARAGRAPHS = {
    "申报书": ["公司已建成远程运维平台。", "服务收入占比为35%。"],
    "方案": ["开展全生命周期管理服务。", "计划建设共享制造工厂。"],
    "总结": ["为客户提供总集成总承包服务。", "无供应链管理业务。"],
}


def _soffice_convert(sources: list[Path], target: str, outdir: Path, profile: Path) -> None:
    subprocess.run([soffice() or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--norestore", "--convert-to", target, "--outdir", str(outdir), *map(str, sources)],
                   check=True, capture_output=True, timeout=180)


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Legacy files written by LibreOffice from python-docx/openpyxl files: name → path."""
    root = tmp_path_factory.mktemp("legacy")
    sources = []
    for stem, lines in PARAGRAPHS.items():
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(1, 1).text = "营业收入", f"{len(stem)}00万元"
        document.save(str(root / f"{stem}.docx"))
        sources.append(root / f"{stem}.docx")
    workbook = openpyxl.Workbook()
    workbook.active.append(["指标", "数值"])
    workbook.active.append(["服务收入", 1200])
    workbook.save(str(root / "财务表.xlsx"))
    out = root / "out"
    _soffice_convert(sources, "doc", out, root / "profile")
    _soffice_convert(sources[:1], "rtf", out, root / "profile")
    _soffice_convert(sources[1:2], "odt", out, root / "profile")
    _soffice_convert([root / "财务表.xlsx"], "xls", out, root / "profile")
    files = {p.name: p for p in out.iterdir()}
    assert len(files) == 6, files
    return files


def _package(folder: Path, legacy: dict[str, Path], layout: dict[str, str]) -> list[Path]:
    paths = []
    for rel, source in layout.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if source == "truncated":
            path.write_bytes(legacy["方案.doc"].read_bytes()[:3000])  # an OLE header, then nothing
        else:
            shutil.copyfile(legacy[source], path)
        paths.append(path)
    return paths


@needs_soffice
def test_batch_gives_the_same_documents_as_one_at_a_time(tmp_path: Path, legacy: dict[str, Path]) -> None:
    layout = {"申报书.doc": "申报书.doc", "附件/方案.doc": "方案.doc", "附件/总结.wps": "总结.doc",
              "申报书.rtf": "申报书.rtf", "方案.odt": "方案.odt", "财务表.xls": "财务表.xls", "财务表.et": "财务表.xls",
              "附件/损坏.doc": "truncated", "改名.txt": "申报书.rtf"}
    paths = _package(tmp_path / "pkg", legacy, layout)
    jobs = [(p, kind) for p in paths if (kind := needs_conversion(p))]
    assert [k for _, k in jobs] == ["doc", "doc", "doc", "rtf", "odt", "xls", "xls", "doc", "rtf"]
    results = convert_many(jobs, tmp_path / "work", Limits())
    assert sorted(p.name for p in (tmp_path / "work").glob("*/*")) == ["docx", "xlsx"]  # staging, profiles gone
    for path, rel in zip(paths, layout, strict=True):
        batch = read_file(path, rel, Limits(), converted=results[path])
        alone = read_file(path, rel, Limits())
        assert batch == alone, rel
    by_rel = {rel: read_file(p, rel, Limits(), converted=results[p]) for p, rel in zip(paths, layout, strict=True)}
    assert "远程运维平台" in by_rel["申报书.doc"].text and "营业收入" in by_rel["申报书.doc"].text
    assert "共享制造工厂" in by_rel["方案.odt"].text and "总集成总承包" in by_rel["附件/总结.wps"].text
    assert "服务收入" in by_rel["财务表.et"].text
    assert [(d.kind, [p.kind for p in d.problems]) for d in by_rel.values()] == [
        ("doc", []), ("doc", []), ("doc", []), ("rtf", []), ("odt", []), ("xls", []), ("xls", []),
        ("doc", ["corrupt"]), ("rtf", ["wrong-extension"])]
    assert by_rel["附件/损坏.doc"].problems[0].file == "附件/损坏.doc"


@needs_soffice
def test_same_stems_do_not_collide(tmp_path: Path, legacy: dict[str, Path]) -> None:
    layout = {"甲/申报书.doc": "申报书.doc", "甲/申报书.wps": "方案.doc", "乙/申报书.doc": "总结.doc",
              "甲/申报书.xls": "财务表.xls"}
    paths = _package(tmp_path, legacy, layout)
    results = convert_many([(p, needs_conversion(p) or "") for p in paths], tmp_path / "work", Limits())
    texts = [read_file(p, rel, Limits(), converted=results[p]).text for p, rel in zip(paths, layout, strict=True)]
    assert "远程运维平台" in texts[0] and "共享制造工厂" in texts[1] and "总集成总承包" in texts[2]
    assert "服务收入" in texts[3]


@needs_soffice
def test_a_corrupt_file_in_the_middle_does_not_stop_the_others(tmp_path: Path, legacy: dict[str, Path]) -> None:
    layout = {"1.doc": "申报书.doc", "2.doc": "truncated", "3.doc": "方案.doc", "4.doc": "truncated",
              "5.doc": "总结.doc"}
    paths = _package(tmp_path, legacy, layout)
    results = convert_many([(p, "doc") for p in paths], tmp_path / "work", Limits())
    kinds = [r.kind if isinstance(r, Problem) else r.suffix for r in (results[p] for p in paths)]
    assert kinds == [".docx", "corrupt", ".docx", "corrupt", ".docx"]
    docs = [read_file(p, rel, Limits(), converted=results[p]) for p, rel in zip(paths, layout, strict=True)]
    assert docs[1] == read_file(paths[1], "2.doc")  # the same problem as converting it alone
    assert "LibreOffice" in docs[1].problems[0].message


@needs_soffice
def test_a_pre_converted_docx_refused_by_python_docx(tmp_path: Path, legacy: dict[str, Path]) -> None:
    """Not found by needs_conversion, but read_file takes its conversion when given one."""
    path = tmp_path / "宏.docx"
    shutil.copyfile(legacy["申报书.doc"], tmp_path / "src.doc")
    _soffice_convert([tmp_path / "src.doc"], "docx", tmp_path, tmp_path / "profile")
    # A well-formed zip python-docx refuses: the main part declared with the macro-enabled content type.
    with zipfile.ZipFile(tmp_path / "src.docx") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            dst.writestr(item, data)
    assert needs_conversion(path) is None
    alone = read_file(path, "宏.docx")
    results = convert_many([(path, "docx")], tmp_path / "work", Limits())
    assert read_file(path, "宏.docx", Limits(), converted=results[path]) == alone


def test_needs_conversion(tmp_path: Path) -> None:
    doc = tmp_path / "a.doc"
    doc.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504)
    xls = tmp_path / "a.et"
    xls.write_bytes(doc.read_bytes())
    rtf = tmp_path / "a.doc.rtf"
    rtf.write_bytes(b"{\\rtf1 x}")
    docx_path = tmp_path / "a.docx"
    docx.Document().save(str(docx_path))
    text = tmp_path / "a.txt"
    text.write_text("公司简介")
    assert [needs_conversion(p) for p in (doc, xls, rtf, docx_path, text, tmp_path / "missing.doc")] == [
        "doc", "xls", "rtf", None, None, None]
    assert needs_conversion(doc, Limits(max_file_bytes=100)) is None  # too large: read_file will not convert it
