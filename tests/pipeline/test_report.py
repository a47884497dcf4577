"""The evidence view on samples/ and samples/eval: every evidence row shown on its page, its highlight on
the quoted characters (checked against pdfplumber's character boxes, or OCR of the box for scans), and
the workbook's 页码 cells linking to it."""

from __future__ import annotations

import difflib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from extractors import ocr
from extractors.archive import unpack
from extractors.locate import Box, search_key
from pipeline.cli import main
from pipeline.writers.report_html import submission_slug, target_page

ROOT = Path(__file__).resolve().parents[2]
EV_RE = re.compile(r'<div class="ev" id="e(\d+)">(.*?)</div>(?=<div class="ev"|<h2>|</body>)', re.S)
LEAD_RE = re.compile(r'<div class="ev" id="h(\d+)">(.*?)</div>(?=<div class="ev"|</body>)', re.S)
BOX_RE = re.compile(r'data-box="([\d.]+),([\d.]+),([\d.]+),([\d.]+)"')
IMG_RE = re.compile(r'<img src="\.\./img/([0-9a-f]+)-p(\d+)\.jpg"')
QUOTE_RE = re.compile(r'<div class="quote">(.*?)</div>', re.S)


@dataclass
class Run:
    root: Path
    report: Path
    workbook: Path
    results: list[dict]


def _audit(tmp: Path, packages: Path) -> Run:
    out = tmp / "out"
    code = main(["audit", str(packages), "-o", str(out / "audit.xlsx"), "--json", str(out / "audit.jsonl"),
                 "--report", str(out / "report"), "--no-cache", "-q"])
    assert code == 0
    results = [json.loads(line) for line in (out / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    return Run(packages, out / "report", out / "audit.xlsx", results)


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _audit(tmp_path_factory.mktemp("samples"), ROOT / "samples" / "packages")


@pytest.fixture(scope="module")
def eval_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _audit(tmp_path_factory.mktemp("eval"), ROOT / "samples" / "eval" / "packages")


def _shown(run: Run) -> list[tuple[dict, dict, str]]:
    """(result, evidence, its HTML block) for every evidence row of every mode and condition."""
    out = []
    for r in run.results:
        for group in ("modes", "criteria"):
            for target, finding in r[group].items():
                page = (run.report / target_page(r["submission"], target)).read_text(encoding="utf-8")
                blocks = dict((int(n), body) for n, body in EV_RE.findall(page))
                assert len(blocks) == len(finding["evidence"]), (r["submission"], target)
                for i, e in enumerate(finding["evidence"], start=1):
                    out.append((r, e, blocks[i]))
                # The sentence model's leads are shown and highlighted like evidence, under their own heading.
                leads = dict((int(n), body) for n, body in LEAD_RE.findall(page))
                assert len(leads) == len(finding.get("hints", [])), (r["submission"], target)
                assert not leads or "待复核线索" in page
                for i, e in enumerate(finding.get("hints", []), start=1):
                    out.append((r, e, leads[i]))
    return out


def _pdf_of(run: Run, result: dict, sha_prefix: str) -> Path:
    """The PDF an image was rendered from: the original file, or LibreOffice's layout of it."""
    laid = [p for p in (run.report / ".cache").glob(f"{sha_prefix}*.pdf")]
    if laid:
        return laid[0]
    source = run.root / result["submission"]
    if source.suffix == ".zip":
        unpacked = run.report.parent / "unpacked" / source.stem
        if not unpacked.exists():
            unpack(source, unpacked, source.name)
        source = unpacked
    for f in result["files"]:
        if f["sha256"].startswith(sha_prefix) and (source / f["file"]).exists():
            return source / f["file"]
    pytest.fail(f"no PDF for image {sha_prefix} of {result['submission']}")


def _quoted_char_boxes(pdf: Path, page_no: int, quote: str) -> list[Box]:
    """pdfplumber's boxes of the page characters that match the quote (word for word, or in runs of 3+)."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[page_no - 1]
        chars = [c for c in page.chars if c["text"].strip()]
        key, at = search_key("".join(c["text"] for c in chars))
        q, _ = search_key(quote)
        start = key.find(q)
        if start >= 0:
            spans = [(start, len(q))]
        else:
            matcher = difflib.SequenceMatcher(None, key, q, autojunk=False)
            spans = [(b.a, b.size) for b in matcher.get_matching_blocks() if b.size >= 3]
        picked = [chars[at[i]] for a, size in spans for i in range(a, a + size)]
        return [Box(c["x0"] / page.width, c["top"] / page.height, c["x1"] / page.width, c["bottom"] / page.height)
                for c in picked]


def _check_all(run: Run) -> dict[str, int]:
    counts = {"rows": 0, "pdf": 0, "ocr": 0, "no-image": 0}
    for result, e, block in _shown(run):
        counts["rows"] += 1
        assert html.escape(e["text"]) in html.unescape(QUOTE_RE.search(block).group(1)) or \
            e["text"] == html.unescape(QUOTE_RE.search(block).group(1))
        image = IMG_RE.search(block)
        if image is None:
            counts["no-image"] += 1
            assert 'class="note"' in block  # the reviewer is told why there is no page
            continue
        boxes = [Box(*map(float, m)) for m in dict.fromkeys(BOX_RE.findall(block))]  # crop and full page: same boxes
        assert boxes, f"not located: {result['submission']} {e['file']} p{e['page']}: {e['text'][:40]}"
        sha, page_no = image.group(1), int(image.group(2))
        assert (run.report / "img" / f"{sha}-p{page_no}.jpg").is_file()
        if e["source"] == "ocr":
            counts["ocr"] += 1
            _check_ocr_box(run, result, sha, page_no, boxes, e["text"])
            continue
        counts["pdf"] += 1
        quoted = _quoted_char_boxes(_pdf_of(run, result, sha), page_no, e["text"])
        assert quoted, (e["file"], page_no, e["text"][:40])
        covered = sum(any(c.overlaps(b) for b in boxes) for c in quoted)
        assert covered >= 0.9 * len(quoted), (e["file"], page_no, covered, len(quoted), e["text"][:40])
        for b in boxes:  # no highlight away from the quote
            assert any(b.overlaps(c) for c in quoted), (e["file"], page_no, b)
    return counts


def _check_ocr_box(run: Run, result: dict, sha: str, page_no: int, boxes: list[Box], quote: str) -> None:
    """For a scan there are no character boxes to compare: cut the highlight out of the page and read it again."""
    if not ocr.available():
        pytest.skip("OCR engine not installed")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(_pdf_of(run, result, sha)))
    try:
        image = pdf[page_no - 1].render(scale=200 / 72, rev_byteorder=True).to_pil()
    finally:
        pdf.close()
    read = ""
    for b in boxes:
        crop = image.crop((int(b.x0 * image.width) - 6, int(b.y0 * image.height) - 6,
                           int(b.x1 * image.width) + 6, int(b.y1 * image.height) + 6))
        read += "".join(t for t, _ in ocr.ocr_image(crop))
    ratio = difflib.SequenceMatcher(None, search_key(read)[0], search_key(quote)[0], autojunk=False).ratio()
    assert ratio > 0.8, (read, quote)


def test_every_samples_evidence_row_is_highlighted_on_its_quote(samples_run: Run) -> None:
    counts = _check_all(samples_run)
    assert counts["rows"] > 200 and counts["ocr"] >= 1
    assert counts["no-image"] == 0


def test_every_eval_evidence_row_is_highlighted_on_its_quote(eval_run: Run) -> None:
    counts = _check_all(eval_run)
    assert counts["rows"] > 300
    assert counts["no-image"] == 0


def test_workbook_page_cells_link_to_the_highlighted_report_page(samples_run: Run) -> None:
    wb = load_workbook(samples_run.workbook)
    ws = wb["证据"]
    headers = [c.value for c in ws[1]]
    col_sub, col_id, col_page = headers.index("申报材料"), headers.index("编号"), headers.index("页码")
    linked = 0
    for row in ws.iter_rows(min_row=2):
        cell = row[col_page]
        if cell.value is None:
            assert cell.hyperlink is None
            continue
        assert cell.hyperlink is not None, (row[col_sub].value, row[col_id].value)
        target = (samples_run.workbook.parent / cell.hyperlink.target).resolve()
        assert target.is_file()
        assert target.name == f"{row[col_id].value}.html"
        assert target.parent.name == submission_slug(row[col_sub].value)
        assert 'class="hl"' in target.read_text(encoding="utf-8")
        linked += 1
    assert linked > 50


def test_report_folder_is_self_contained(samples_run: Run) -> None:
    """Only relative links, no script, no address outside the folder: it opens from a USB stick."""
    for page in samples_run.report.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "http://" not in text and "https://" not in text
        for link in re.findall(r'(?:href|src)="([^"#]+)"', text):
            assert (page.parent / html.unescape(link)).resolve().is_file(), (page, link)


def test_rerun_reuses_placements_and_images_without_opening_files(tmp_path: Path, monkeypatch) -> None:
    """A re-run with the report folder kept opens no PDF and unpacks no zip; the pages come out the same."""
    import shutil

    from pipeline import cli as cli_module
    from pipeline import report as report_module
    from pipeline.report import sources as sources_module

    src = tmp_path / "in"
    for name in ("02-shenyang-ruituo-enterprise", "11-chaoyang-jinyu-enterprise.zip"):
        (shutil.copytree if (ROOT / "samples/packages" / name).is_dir() else shutil.copy)(
            ROOT / "samples/packages" / name, src / name)
    args = ["audit", str(src), "-o", str(tmp_path / "audit.xlsx"), "--report", str(tmp_path / "report"), "-q"]
    assert main(args) == 0
    first = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "report").rglob("*.html")}
    images = sorted(p.name for p in (tmp_path / "report" / "img").iterdir())

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a kept placement should not open the file again")

    monkeypatch.setattr(report_module, "PdfPages", refuse)
    monkeypatch.setattr(sources_module.Trees, "_open", refuse)
    monkeypatch.setattr(cli_module, "start_layout", lambda *a, **k: None)  # its child unpacks to hash (in parallel)
    assert main(args) == 0
    again = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "report").rglob("*.html")}
    assert again == first
    assert sorted(p.name for p in (tmp_path / "report" / "img").iterdir()) == images


def test_relative_report_folder_as_in_make_demo(tmp_path: Path, monkeypatch) -> None:
    """`--report out/report` from the working folder (LibreOffice wants absolute paths for its profile)."""
    import shutil

    shutil.copytree(ROOT / "samples/packages/01-dalian-hengtong-enterprise", tmp_path / "in" / "01")
    monkeypatch.chdir(tmp_path)
    assert main(["audit", "in", "-o", "out/audit.xlsx", "--report", "out/report", "--no-cache", "-q"]) == 0
    pages = list(Path("out/report").rglob("M06.html"))
    assert pages and 'class="hl"' in pages[0].read_text(encoding="utf-8")
    assert list(Path("out/report/.cache").glob("*.pdf"))  # the Word file was laid out
