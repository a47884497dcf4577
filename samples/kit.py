"""What the sample generators share, so that each of them keeps only its package content.

Used by make_samples.py, make_hard_cases.py, eval/make_eval_set.py and cases/make_cases.py: the
policy's vocabulary, credit codes, tick-box rows, deterministic Word/Excel/zip writing, LibreOffice,
building a set of packages on disk, gold records and the arithmetic checks behind hand-set labels.
A change here touches every set: rebuild all three and check that .docx/.xlsx/.zip/.txt/gold.jsonl
stay byte-identical (samples/README.md).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

# The tool's own check character: gold must agree with what smaudit computes (GB 32100-2015).
from matchers.creditcode import CHARSET, check_char
from matchers.creditcode import is_valid as code_valid

Stamp = tuple[int, int, int, int, int, int]  # (year, month, day, hour, minute, second) for zip and core props
Block = tuple[Any, ...]  # ("title" | "center" | "p" | "h" | "info" | "table" | "break" | "chapters", *args)
Package = dict[str, Any]  # {"name", "files": [{"path", "format", "headings", "blocks" | "xlsx"}], "gold", …}

# ---------------------------------------------------------------- paths
SAMPLES_DIR = Path(__file__).resolve().parent


def set_paths(folder: Path) -> tuple[Path, Path]:
    """(packages folder, gold.jsonl) of the set whose generator lives in `folder`."""
    return folder / "packages", folder / "gold.jsonl"


# The main set is written by two scripts (make_samples, make_hard_cases), so its paths and
# timestamp live here rather than in either of them.
OUT_DIR, GOLD_PATH = set_paths(SAMPLES_DIR)
SAMPLES_TIME: Stamp = (2025, 8, 15, 9, 0, 0)

# ---------------------------------------------------------------- the policy's vocabulary
MODES = [
    ("M01", "工业设计服务"),
    ("M02", "定制化服务"),
    ("M03", "供应链管理"),
    ("M04", "共享制造"),
    ("M05", "检验检测认证服务"),
    ("M06", "全生命周期管理"),
    ("M07", "总集成总承包"),
    ("M08", "节能环保服务"),
    ("M09", "生产性金融服务"),
    ("M10", "其他创新模式"),
]
MODE_IDS = [m for m, _ in MODES]
MODE_NAME = dict(MODES)
# part 二 of the policy lists the six project types in this order
PROJECT_TYPES = ["M03", "M06", "M07", "M08", "M02", "M04"]
PLATFORM_TYPES = [("PLT-T1", "面向行业或领域的专业服务平台"), ("PLT-T2", "面向区域的综合服务平台")]
TRACKS = [("enterprise", "示范企业"), ("project", "示范项目"), ("platform", "示范平台")]
CRITERIA = {
    "enterprise": ["ENT-G1", "ENT-G2", "ENT-G3", "ENT-G4", "ENT-G5"],
    "project": ["PRJ-C", "PRJ-P"],
    "platform": ["PLT-T1", "PLT-T2"] + [f"PLT-C{i}" for i in range(1, 10)],
}
# 地级市 -> the first four digits of the division code inside a credit code: 沈阳 2101 … 葫芦岛 2114
CITIES = ["沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦", "铁岭", "朝阳", "葫芦岛"]
CITY_DIVISION = {city: f"21{i:02d}" for i, city in enumerate(CITIES, start=1)}
MODE_STATUSES = {"evidenced", "planned", "negated", "mentioned", "absent"}
CRITERION_STATUSES = {"met", "weak", "missing"}


# ---------------------------------------------------------------- credit codes
def cc(body: str) -> str:
    """A valid 18-character code from its 17-character body."""
    check = check_char(body)
    assert len(body) == 17 and check is not None, body
    return body + check


def cc_wrong(body: str, shift: int = 1) -> str:
    """A code whose check character is deliberately wrong: the right one moved `shift` places on."""
    good = cc(body)[-1]
    return body + CHARSET[(CHARSET.index(good) + shift) % len(CHARSET)]


# ---------------------------------------------------------------- tick-box rows and money
def boxes(options: list[str], ticked: set[str], style: str = "☑", per_line: int = 0, sep: str = "  ") -> str:
    """A filled-in option row, as applicants type it.

    Styles '☑', '■', '√' put the mark before the item (□ when not chosen); '（√）' and '(√)' put it
    after the item (empty brackets when not chosen). per_line wraps the row as a form cell would.
    """
    marks = []
    for option in options:
        on = option in ticked
        if style in ("☑", "■", "√"):
            marks.append((style if on else "□") + option)
        elif style == "（√）":
            marks.append(option + ("（√）" if on else "（  ）"))
        elif style == "(√)":
            marks.append(option + ("(√)" if on else "( )"))
        else:
            raise ValueError(style)
    if per_line:
        return "\n".join(sep.join(marks[i : i + per_line]) for i in range(0, len(marks), per_line))
    return sep.join(marks)


def track_row(track: str, **kw: Any) -> str:
    return boxes([name for _, name in TRACKS], {dict(TRACKS)[track]}, **kw)


def mode_row(ticked: list[str], **kw: Any) -> str:
    return boxes([name for _, name in MODES], {MODE_NAME[m] for m in ticked}, **kw)


def project_row(ptype: str, **kw: Any) -> str:
    return boxes([MODE_NAME[m] for m in PROJECT_TYPES], {MODE_NAME[ptype]}, **kw)


def platform_row(ptype: str, **kw: Any) -> str:
    return boxes([name for _, name in PLATFORM_TYPES], {dict(PLATFORM_TYPES)[ptype]}, **kw)


def to_wan(text: str, unit: str) -> Decimal:
    """A money string as printed ('12,345.6') in `unit`, in 万元; Decimal so gold is never rounded."""
    factor = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}[unit]
    return Decimal(text.replace(",", "")) * factor


# ---------------------------------------------------------------- deterministic zips
def zip_bytes(entries: Iterable[tuple[str, bytes]], when: Stamp) -> bytes:
    """A deflated zip of (name, data) in the given order, every entry stamped `when`.

    Fresh ZipInfo objects carry no host-specific attributes, so the bytes depend only on the input.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name, date_time=when), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def freeze_zip(path: Path, when: Stamp) -> None:
    """Rewrite an OOXML container (.docx/.xlsx) with fixed timestamps so rebuilds are byte-identical."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    stamp = dt.datetime(*when).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    pattern = rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)"
    # openpyxl writes the save time as dcterms:modified whatever the workbook says; python-docx
    # already wrote `when` there, so for Word files this is a no-op.
    entries = [
        (name, re.sub(pattern, rb"\g<1>" + stamp + rb"\g<2>", data) if name == "docProps/core.xml" else data)
        for name, data in entries
    ]
    path.write_bytes(zip_bytes(entries, when))


def zip_folder(folder: Path, dest: Path, when: Stamp) -> None:
    """Zip a folder's files (UTF-8 names, sorted, fixed timestamps), as a package arrives."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    dest.write_bytes(zip_bytes([(p.relative_to(folder).as_posix(), p.read_bytes()) for p in files], when))


def zip_gbk(files: list[Path], dest: Path, when: Stamp) -> None:
    """Zip with GBK names and no UTF-8 flag, as Windows' built-in zip writes them.

    zipfile always flags non-ASCII names as UTF-8, so members are written under ASCII
    placeholders of the same byte length, then the names are patched in place.
    """
    renames = {}
    entries = []
    for i, path in enumerate(files):
        real = path.name.encode("gbk")
        placeholder = f"{i:02d}".encode().ljust(len(real), b"_")
        renames[placeholder] = real
        entries.append((placeholder.decode(), path.read_bytes()))
    data = zip_bytes(entries, when)
    for placeholder, real in renames.items():
        assert data.count(placeholder) == 2, placeholder  # local header + central directory
        data = data.replace(placeholder, real)
    dest.write_bytes(data)


# ---------------------------------------------------------------- Word
FONTS = (("Normal", "宋体", 12), ("Title", "黑体", 22), ("Heading 1", "黑体", 16), ("Heading 2", "黑体", 14))


def new_document(when: Stamp, author: str = "申报单位", fonts: tuple[tuple[str, str, int], ...] = FONTS) -> WordDocument:
    """An empty Word document with Chinese fonts and fixed core properties (author, dates, revision)."""
    doc = Document()
    for name, font, size in fonts:
        style = doc.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), font)
        # heading styles point at theme fonts, which override w:eastAsia: drop them
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    props = doc.core_properties
    props.author = props.last_modified_by = author
    props.created = props.modified = dt.datetime(*when)
    props.revision = 1
    return doc


def para(doc: WordDocument, text: str, *, bold: bool | None = False, size: int | None = None,
         center: bool = False, indent: bool = False) -> None:
    """One paragraph of one run. bold=None leaves the run with no bold setting at all (False writes
    an explicit 'not bold' into the XML): the case write-ups were made that way."""
    p = doc.add_paragraph()
    run = p.add_run(text)
    if bold is not None:
        run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        p.paragraph_format.first_line_indent = Pt(24)


def heading(doc: WordDocument, text: str, level: int, style: str) -> None:
    """A heading as Word styles it ('word'), or as bold text only ('bold'), as many applicants do."""
    if style == "word":
        doc.add_heading(text, level=level)
    else:
        para(doc, text, bold=True, size=15 if level == 1 else 12)


def info_rows(items: list[tuple[str, ...]], ncols: int) -> list[list[tuple[str, int]]]:
    """(label, value[, 'wide']) items -> rows of (text, column span); ('§', text) is a full-width row."""
    rows: list[list[tuple[str, int]]] = []
    pending: list[tuple[str, int]] = []
    for item in items:
        if item[0] == "§":
            rows.append([(item[1], ncols)])
        elif ncols == 2:
            rows.append([(item[0], 1), (item[1], 1)])
        elif len(item) == 3 and item[2] == "wide":
            rows.append([(item[0], 1), (item[1], ncols - 1)])
        else:
            pending += [(item[0], 1), (item[1], 1)]
            if len(pending) == ncols:
                rows.append(pending)
                pending = []
    if pending:
        rows.append([pending[0], (pending[1][0], ncols - 1)])
    return rows


def info_table(doc: WordDocument, ncols: int, items: list[tuple[str, ...]]) -> None:
    """The basic-information form: label/value cells, wide values merged across columns."""
    rows = info_rows(items, ncols)
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        col = 0
        for text, span in row:
            cell = table.cell(r, col)
            if span > 1:
                cell = cell.merge(table.cell(r, col + span - 1))
            cell.text = text
            col += span


def money_table(doc: WordDocument, caption: str, header: list[str], rows: list[list[str]], note: str | None) -> None:
    """A caption (may be empty), a grid of strings as printed, and an optional small note."""
    if caption:
        para(doc, caption, bold=True)
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    if note:
        para(doc, note, size=10)


def add_chapters(doc: WordDocument, items: list[tuple[str, str]], style: str) -> None:
    """Chapters, each on a new page; '## ' lines become sub-headings, other lines paragraphs."""
    for i, (title, body) in enumerate(items):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        heading(doc, title, 1, style)
        for line in body.splitlines():
            if line.startswith("## "):
                heading(doc, line[3:], 2, style)
            elif line.strip():
                para(doc, line, indent=True)


def add_block(doc: WordDocument, block: Block, style: str) -> None:
    kind, *args = block
    if kind == "title":
        para(doc, args[0], bold=True, size=20, center=True)
    elif kind == "center":
        para(doc, args[0], size=14, center=True)
    elif kind == "p":
        para(doc, args[0], indent=True)
    elif kind == "h":
        heading(doc, args[0], 1, style)
    elif kind == "info":
        info_table(doc, *args)
    elif kind == "table":
        money_table(doc, *args)
    elif kind == "break":
        doc.add_page_break()
    elif kind == "chapters":
        add_chapters(doc, args[0], style)
    else:
        raise ValueError(f"unknown block kind {kind!r}")


def cover(title: str, lines: list[str]) -> list[Block]:
    """Title page blocks: the title, centred lines (each set words them its own way), a page break."""
    return [("title", title), *[("center", line) for line in lines], ("break",)]


def save_docx(doc: WordDocument, dest: Path, when: Stamp) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(dest))
    freeze_zip(dest, when)


def write_docx(blocks: list[Block], style: str, dest: Path, when: Stamp) -> None:
    doc = new_document(when)
    for block in blocks:
        add_block(doc, block, style)
    save_docx(doc, dest, when)


# ---------------------------------------------------------------- Excel
def write_xlsx(sheet: str, rows: Iterable[Sequence[Any]], dest: Path, when: Stamp | None = None, width: float = 0) -> None:
    """One sheet of rows; floats shown with thousands separators.

    With `when`, the core properties and zip timestamps are fixed so the file is byte-identical
    between runs; without it the workbook is saved as openpyxl leaves it (package 11's spreadsheet).
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
    if width:
        ws.column_dimensions["A"].width = width
    dest.parent.mkdir(parents=True, exist_ok=True)
    if when is None:
        wb.save(str(dest))
        return
    wb.properties.creator = wb.properties.lastModifiedBy = "申报单位"
    wb.properties.created = wb.properties.modified = dt.datetime(*when)
    wb.save(str(dest))
    freeze_zip(dest, when)


# ---------------------------------------------------------------- LibreOffice and other tools
def need_tool(hint: str, *names: str) -> str:
    """The path of the first of `names` on PATH, or exit with a hint on how to install it."""
    for name in names:
        exe = shutil.which(name)
        if exe:
            return exe
    sys.exit(f"{names[0]} not found: {hint}")


def soffice_convert(sources: list[Path], fmt: str, outdir: Path, work: Path) -> list[Path]:
    """Convert all sources in one LibreOffice run (start-up is the slow part); the outputs in order.

    A private profile under `work` keeps the run independent of the user's LibreOffice settings
    and of any LibreOffice already running.
    """
    exe = need_tool("run `make setup` (libreoffice-writer-nogui, fonts-noto-cjk)", "soffice", "libreoffice")
    profile = (work / "lo-profile").as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", str(outdir)]
    subprocess.run([*cmd, *map(str, sources)], check=True, capture_output=True, timeout=900)
    outputs = [outdir / f"{src.stem}.{fmt}" for src in sources]
    for src, out in zip(sources, outputs, strict=True):
        if not out.exists():
            sys.exit(f"LibreOffice did not produce {out.name} from {src.name}")
    return outputs


# ---------------------------------------------------------------- a set of packages on disk
TRUNCATE_BYTES = 300  # a "pdf-truncated" file keeps only its first bytes: unreadable, not empty


def stage(pkg: Package, root: Path, src_dir: Path, when: Stamp) -> list[tuple[Path, Path, str]]:
    """Write a package's Word/Excel/broken files under root; return its PDF jobs (source, dest, format)."""
    jobs = []
    for spec in pkg["files"]:
        dest = root / spec["path"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        fmt = spec["format"]
        if fmt == "docx":
            write_docx(spec["blocks"], spec["headings"], dest, when)
        elif fmt == "docx-corrupt":
            write_docx(spec["blocks"], spec["headings"], dest, when)
            data = dest.read_bytes()
            dest.write_bytes(data[: len(data) // 2])  # a zip without its central directory
        elif fmt == "xlsx":
            write_xlsx(spec["xlsx"]["sheet"], spec["xlsx"]["rows"], dest, when, width=30)
        elif fmt == "empty":
            dest.write_bytes(b"")
        elif fmt in ("pdf", "pdf-truncated", "pdf-encrypted"):
            # numbered sources: one LibreOffice run converts them all, names must not collide
            src = src_dir / f"{len(list(src_dir.iterdir())):03d}.docx"
            write_docx(spec["blocks"], spec["headings"], src, when)
            jobs.append((src, dest, fmt))
        else:
            raise ValueError(f"{pkg['name']}: unknown format {fmt!r}")
    return jobs


def place_pdfs(jobs: list[tuple[Path, Path, str]], work: Path) -> None:
    """Convert every PDF job in one LibreOffice run, then copy, truncate or encrypt each into place."""
    if not jobs:
        return
    pdfs = soffice_convert([src for src, _, _ in jobs], "pdf", work / "pdf", work)
    for pdf, (_, dest, fmt) in zip(pdfs, jobs, strict=True):
        if fmt == "pdf-encrypted":  # qpdf uses a random salt: the bytes change per run, the text does not
            qpdf = need_tool("apt-get install qpdf", "qpdf")
            cmd = [qpdf, "--encrypt", "userpw", "ownerpw", "256", "--", str(pdf), str(dest)]
            subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        elif fmt == "pdf-truncated":
            dest.write_bytes(pdf.read_bytes()[:TRUNCATE_BYTES])
        else:
            shutil.copyfile(pdf, dest)


def build_packages(packages: list[Package], out_dir: Path, when: Stamp) -> None:
    """Delete out_dir and write every package into it; names ending in .zip become zip files."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="smaudit-samples-") as tmp:
        work = Path(tmp)
        (work / "src").mkdir()
        jobs, zips = [], []
        for pkg in packages:
            is_zip = pkg["name"].endswith(".zip")
            root = work / "zip" / pkg["name"] if is_zip else out_dir / pkg["name"]
            jobs += stage(pkg, root, work / "src", when)
            if is_zip:
                zips.append((root, out_dir / pkg["name"]))
        place_pdfs(jobs, work)
        for root, dest in zips:
            zip_folder(root, dest, when)


# ---------------------------------------------------------------- gold labels and checks
def text_of(*values: Any) -> str:
    """Every string and number inside nested lists/tuples/dicts, one per line, for 'occurs in' checks."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, float | int):
            parts.append(f"{value}")
        elif isinstance(value, list | tuple | dict):
            for item in value.values() if isinstance(value, dict) else value:
                walk(item)

    walk(values)
    return "\n".join(parts)


def chapter_bodies(specs: list[dict[str, Any]]) -> list[str]:
    """The narrative prose of some file specs: the bodies of their 'chapters' blocks."""
    blocks = [block for spec in specs for block in spec.get("blocks", []) if block[0] == "chapters"]
    return [body for block in blocks for _, body in block[1]]


def han_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def check_gold(name: str, g: dict[str, Any], text: str) -> None:
    """Verify the arithmetic behind hand-set labels; the statuses themselves are hand-made.

    `g` is a flat label dict (track, declared_modes, platform_type, applicant, credit_code,
    credit_code_valid, city, [in_liaoning], year, [money], *_wan, service_ratio, modes, criteria,
    problems); `text` is everything the package's readable files say.
    """
    code = g["credit_code"]
    assert g["applicant"] in text, name
    if code:
        assert code_valid(code) == g["credit_code_valid"], name
        assert code in text, name
        if g["city"] is None:  # outside Liaoning: the division code says so too
            assert code[2:4] != "21" and g.get("in_liaoning") is False, name
        else:
            assert code[2:6] == CITY_DIVISION[g["city"]], f"{name}: code {code[2:8]} vs {g['city']}"
    if g.get("money"):
        unit, total, service = g["money"]
        assert total in text and service in text, name
        assert to_wan(total, unit) == Decimal(str(g["total_revenue_wan"])), name
        assert to_wan(service, unit) == Decimal(str(g["service_revenue_wan"])), name
    if g["total_revenue_wan"] is not None and g["service_revenue_wan"] is not None:
        ratio = round(g["service_revenue_wan"] / g["total_revenue_wan"], 4)
        assert ratio == g["service_ratio"], f"{name}: ratio {ratio}"
    assert set(g["modes"].values()) <= MODE_STATUSES, name
    assert set(g["criteria"]) <= set(CRITERIA[g["track"]]), name
    assert set(g["criteria"].values()) <= CRITERION_STATUSES, name
    if g["track"] == "enterprise" and g["service_ratio"] is not None:  # ENT-G4 asks for a ratio ≥ 30%
        assert (g["service_ratio"] >= 0.30) == (g["criteria"].get("ENT-G4", "met") == "met"), name
    if g["track"] == "project":
        assert g["declared_modes"][0] in PROJECT_TYPES and len(g["declared_modes"]) == 1, name
    if g["track"] == "platform":
        other = "PLT-T2" if g["platform_type"] == "PLT-T1" else "PLT-T1"
        assert g["criteria"].get(other) == "missing", name


def check_mode_coverage(golds: list[dict[str, Any]], need_absent: bool = True) -> None:
    """Each mode evidenced in at least two packages (and absent in at least one): a set that
    never shows a mode, or never leaves it out, cannot measure it."""
    for mode in MODE_IDS:
        statuses = [g["modes"].get(mode, "absent") for g in golds]
        assert statuses.count("evidenced") >= 2, (mode, statuses)
        assert "absent" in statuses or not need_absent, (mode, statuses)


# the output contract's field order (/work/shared/output-contract.md)
FIELDS = ("applicant", "credit_code", "credit_code_valid", "city", "in_liaoning", "year",
          "total_revenue_wan", "service_revenue_wan", "service_ratio")


def gold_record(submission: str, g: dict[str, Any]) -> dict[str, Any]:
    """One gold.jsonl line from a flat label dict; unlisted modes are absent, unlisted criteria met.

    In gold, score is null and evidence empty: evaluation compares statuses, fields and problems.
    """
    labels = {"in_liaoning": True, **g}  # only a package outside Liaoning says otherwise
    return {
        "submission": submission,
        "track": g["track"],
        "declared_modes": g["declared_modes"],
        "platform_type": g["platform_type"],
        "fields": {key: labels[key] for key in FIELDS},
        "modes": {m: {"status": g["modes"].get(m, "absent"), "score": None, "evidence": []} for m in MODE_IDS},
        "criteria": {c: {"status": g["criteria"].get(c, "met"), "evidence": []} for c in CRITERIA[g["track"]]},
        "problems": g["problems"],
    }


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def upsert_jsonl(path: Path, record: dict[str, Any]) -> None:
    """Replace (or append) the line of record's submission, keeping the other lines as they are."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [ln for ln in lines if ln and json.loads(ln)["submission"] != record["submission"]]
    path.write_text("".join(ln + "\n" for ln in [*kept, json.dumps(record, ensure_ascii=False)]), encoding="utf-8")
