"""Chinese OCR engines on scanned, sealed A4 pages: accuracy, speed, memory, size.

Prints one table: per installed engine, the character error rate (CER: Levenshtein
distance over the ground-truth length, whitespace ignored) on each page, the numbers
(amounts, percentages, dates) not read verbatim, seconds and CPU seconds per page
(median of 3 runs after a warm-up), peak RSS of the process that ran it, installed size.

    .venv/bin/python bench/ocr.py              # measure every installed engine
    .venv/bin/python bench/ocr.py --python /tmp/other-venv/bin/python  # + engines installed there
    .venv/bin/python bench/ocr.py --make-scan  # rebuild tests/data/scanned-sealed-page.{png,pdf}

Pages: the committed tests/data/scanned-sealed-page.png (an audit report, text under a red
seal; its ground truth is GROUND_TRUTH below) and two generated on the fly (a commitment
letter sealed over its signature, a table of figures). All: python-docx → LibreOffice PDF →
150 dpi raster → translucent red seal, tilt, blur, gray noise, JPEG round trip.

Engines (not installed → skipped):
  rapidocr-onnxruntime  pip rapidocr-onnxruntime (PP-OCRv4 models in the wheel)
  rapidocr              pip rapidocr + onnxruntime (PP-OCRv6 small models in the wheel)
  tesseract             apt tesseract-ocr tesseract-ocr-chi-sim (chi_sim LSTM)
  smaudit               extractors.ocr, what the tool runs

Each engine runs in a fresh child process with at most 2 threads (tesseract: 1, see _tesseract),
so RSS and time are its own. Wall times on a shared VM are noisy: compare rows of one run,
or the CPU column.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT / "tests" / "data"
SCAN_PNG = DATA / "scanned-sealed-page.png"
SCAN_PDF = DATA / "scanned-sealed-page.pdf"
THREADS = 2

@dataclass(frozen=True)
class Page:
    """One synthetic scanned page: its text (the ground truth) and how it was 'scanned'."""

    title: str
    lines: tuple[str, ...]  # centred reference line, then body paragraphs
    body: int  # how many of `lines` (after the first) are justified body paragraphs
    table: tuple[tuple[str, ...], ...] = ()  # a grid after the body, header row first
    tail: tuple[str, ...] = ()  # right-aligned signature block
    centred: bool = True  # the first of `lines` centred (a reference number) or left (an addressee)
    seal_arc: str = "辽宁正信会计师事务所有限公司"  # seal text: on the page, never in the ground truth
    seal_centre: str = "审计业务专用章"
    seal_at: tuple[float, float] = (0.60, 0.30)  # top-left corner of the seal, share of page width/height
    tilt: float = 0.7  # degrees, counter-clockwise
    noise: float = 0.10
    jpeg_quality: int = 55

    @property
    def ground_truth(self) -> str:
        """What a perfect OCR reads, in reading order (table rows one line each)."""
        rows = [" ".join(r) for r in self.table]
        return "\n".join([self.title, *self.lines[: 1 + self.body], *rows, *self.lines[1 + self.body:], *self.tail])


# The committed test page (tests/data/scanned-sealed-page.*): an audit report whose body
# text runs under the seal.
AUDIT = Page(
    title="审计报告",
    lines=(
        "辽正信审字〔2024〕第0318号",
        "大连恒通重工装备有限公司全体股东：",
        "我们审计了大连恒通重工装备有限公司（以下简称“恒通重工”）财务报表，包括2023年12月31日的"
        "资产负债表，2023年度的利润表、现金流量表、所有者权益变动表以及相关财务报表附注。我们认为，"
        "后附的财务报表在所有重大方面按照企业会计准则的规定编制，公允反映了恒通重工2023年12月31日"
        "的财务状况以及2023年度的经营成果和现金流量。",
        "经审计，恒通重工2023年度实现营业收入86,520万元，其中服务收入21,400万元，占营业收入的比重为"
        "24.7%，较上年增长18.3%，主要来自设备全生命周期管理、远程运维服务和总集成总承包业务。公司全年"
        "研发投入3,960万元，占营业收入的4.6%；期末资产总额152,318万元，资产负债率为47.2%。",
    ),
    body=3,
    tail=("辽宁正信会计师事务所有限公司", "中国注册会计师：王晓东", "二〇二四年三月二十日"),
)
# Two more pages for the bench only (generated on the fly): a commitment letter sealed over
# the signature, tilted the other way and more degraded; a figures table with a seal on it.
COMMITMENT = Page(
    title="承诺书",
    lines=(
        "辽宁省工业和信息化厅：",
        "我单位自愿申报2024年辽宁省省级服务型制造示范企业，现郑重承诺如下：",
        "一、本单位提交的申报书、审计报告、知识产权证明及其他全部申报材料真实、准确、完整，"
        "不存在弄虚作假、伪造数据等情况；近三年未发生重大安全、环保、质量事故，无严重失信行为。",
        "二、本单位2023年服务收入为21,400万元，占营业收入比重24.7%，服务收入增速连续两年超过10%，"
        "上述数据与经审计的财务报表一致。如有不实，本单位愿意承担相应的法律责任，并接受取消示范称号的处理。",
    ),
    body=4,
    centred=False,
    tail=("承诺单位（盖章）：大连恒通重工装备有限公司", "法定代表人（签字）：李建国", "2024年4月15日"),
    seal_arc="大连恒通重工装备有限公司",
    seal_centre="",
    seal_at=(0.55, 0.43),
    tilt=-1.2,
    noise=0.14,
    jpeg_quality=40,
)
FIGURES = Page(
    title="主要经济指标",
    lines=("单位：万元",),
    body=0,
    table=(
        ("指标", "2021年", "2022年", "2023年"),
        ("营业收入", "71,230", "78,940", "86,520"),
        ("服务收入", "15,260", "18,090", "21,400"),
        ("服务收入占比", "21.4%", "22.9%", "24.7%"),
        ("研发投入", "2,870", "3,410", "3,960"),
        ("利润总额", "5,120", "6,035", "7,318"),
    ),
    seal_arc="大连恒通重工装备有限公司",
    seal_centre="财务专用章",
    seal_at=(0.58, 0.16),
    tilt=0.4,
    noise=0.08,
    jpeg_quality=60,
)
PAGES = {"sealed-page": AUDIT, "commitment": COMMITMENT, "figures": FIGURES}
GROUND_TRUTH = AUDIT.ground_truth  # of tests/data/scanned-sealed-page.{png,pdf}


# ----------------------------------------------------------------------------- the scans

def _font(family: str) -> str:
    out = subprocess.run(["fc-match", "-f", "%{file}", f"{family}:lang=zh"], capture_output=True, text=True)
    return out.stdout.strip()


def _render_pdf(pdf: Path, dpi: int, out: Path) -> Path:
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(out.with_suffix(""))],
                       check=True)
        return out
    import pypdfium2 as pdfium

    pdfium.PdfDocument(str(pdf))[0].render(scale=dpi / 72).to_pil().save(out)
    return out


def _seal(diameter: int, arc: str, centre: str, font_file: str):
    """A red round company seal: ring, star, arc text, centre line; RGBA, ~62 % opaque, uneven ink."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    big = diameter * 2  # draw at 2x, downsample for smooth edges
    seal = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    red = (215, 30, 35, 255)
    c = big / 2
    draw.ellipse((6, 6, big - 6, big - 6), outline=red, width=big // 28)
    r_out, r_in = big * 0.15, big * 0.06  # five-pointed star
    star = [(c + (r_out if k % 2 == 0 else r_in) * math.cos(-math.pi / 2 + k * math.pi / 5),
             c + (r_out if k % 2 == 0 else r_in) * math.sin(-math.pi / 2 + k * math.pi / 5)) for k in range(10)]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(font_file, int(big * 0.088))
    span, radius = math.radians(240), big * 0.335
    for i, ch in enumerate(arc):  # each glyph turned to face the centre
        ang = -math.pi / 2 - span / 2 + span * i / (len(arc) - 1)
        glyph = Image.new("RGBA", (int(big * 0.13), int(big * 0.13)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.BICUBIC, expand=True)
        seal.alpha_composite(glyph, (int(c + radius * math.cos(ang) - glyph.width / 2),
                                     int(c + radius * math.sin(ang) - glyph.height / 2)))
    if centre:
        draw.text((c, c + big * 0.25), centre, font=ImageFont.truetype(font_file, int(big * 0.06)), fill=red,
                  anchor="mm")
    seal = seal.resize((diameter, diameter), Image.LANCZOS)
    speckle = Image.effect_noise((diameter, diameter), 60).point(lambda v: 255 if v > 70 else 150)
    seal.putalpha(ImageChops.multiply(seal.getchannel("A"), speckle).point(lambda v: int(v * 0.62)))
    return seal


def scan_page(page: Page, dpi: int = 150):
    """python-docx page → LibreOffice PDF → raster → seal, tilt, blur, noise, JPEG round trip (PIL RGB)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    from PIL import Image, ImageFilter

    def add(text: str, family: str = "Noto Serif CJK SC", size: float = 12, bold: bool = False, align=None,
            indent: bool = False, before: float = 0, paragraph=None):
        p = paragraph if paragraph is not None else document.add_paragraph()
        if paragraph is None:
            p.paragraph_format.line_spacing = 1.5
            p.paragraph_format.space_before = Pt(before)
            if align is not None:
                p.alignment = align
            if indent:
                p.paragraph_format.first_line_indent = Pt(2 * size)
        run = p.add_run(text)
        run.font.name, run.font.size, run.font.bold = family, Pt(size), bold
        run._element.rPr.rFonts.set(qn("w:eastAsia"), family)
        return p

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, not the template's Letter
    section.left_margin = section.right_margin = Mm(28)
    section.top_margin = Mm(30)
    add(page.title, "Noto Sans CJK SC", 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add(page.lines[0], align=WD_ALIGN_PARAGRAPH.RIGHT if not page.body else
        WD_ALIGN_PARAGRAPH.CENTER if page.centred else WD_ALIGN_PARAGRAPH.LEFT)
    for i, text in enumerate(page.lines[1: 1 + page.body]):
        add(text, indent=i > 0 and not text.endswith("："))
    if page.table:
        table = document.add_table(rows=len(page.table), cols=len(page.table[0]), style="Table Grid")
        for row, cells in zip(table.rows, page.table, strict=True):
            for r, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT if r == 0 else WD_ALIGN_PARAGRAPH.RIGHT
                add(text, size=12, paragraph=cell.paragraphs[0])
    for i, text in enumerate(page.tail):
        add(text, align=WD_ALIGN_PARAGRAPH.RIGHT, before=48 if i == 0 else 0)

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        src = t / "page.docx"
        document.save(str(src))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(t), str(src)],
                       check=True, capture_output=True)
        image = Image.open(_render_pdf(t / "page.pdf", dpi, t / "page.png")).convert("RGBA")

    seal = _seal(int(dpi * 1.65), page.seal_arc, page.seal_centre, _font("Noto Sans CJK SC"))
    image.alpha_composite(seal, (int(image.width * page.seal_at[0]), int(image.height * page.seal_at[1])))
    scan = image.convert("RGB")
    # the scanner: slight tilt, a little blur, gray paper + sensor noise, JPEG round trip
    scan = scan.rotate(page.tilt, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    scan = scan.filter(ImageFilter.GaussianBlur(0.4))
    scan = Image.blend(scan, Image.effect_noise(scan.size, 18).convert("RGB"), page.noise)
    buf = io.BytesIO()
    scan.save(buf, "JPEG", quality=page.jpeg_quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def make_scan(png: Path = SCAN_PNG, pdf: Path = SCAN_PDF, dpi: int = 150) -> None:
    """Write the committed test scan: a 64-colour PNG and an image-only PDF (JPEG inside, no text layer)."""
    from PIL import Image

    scan = scan_page(AUDIT, dpi)
    png.parent.mkdir(parents=True, exist_ok=True)
    scan.quantize(colors=64, dither=Image.Dither.NONE).save(png, optimize=True)
    scan.save(pdf, "PDF", resolution=float(dpi), quality=60)
    print(f"wrote {png.relative_to(ROOT)} ({png.stat().st_size // 1024} KB), "
          f"{pdf.relative_to(ROOT)} ({pdf.stat().st_size // 1024} KB), {scan.size[0]}x{scan.size[1]} px")


# ----------------------------------------------------------------------------- accuracy

def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(reference: str, hypothesis: str, fold_width: bool = False) -> float:
    """Character error rate: edit distance over the reference length, whitespace ignored;
    fold_width first maps full-width punctuation and digits to ASCII (NFKC), so '：' = ':'."""
    if fold_width:
        reference, hypothesis = (unicodedata.normalize("NFKC", t) for t in (reference, hypothesis))
    ref = "".join(reference.split())
    hyp = "".join(hypothesis.split())
    return levenshtein(ref, hyp) / max(1, len(ref))


NUMBER_RE = re.compile(r"\d[\d,.]*%?")


def numbers_missed(reference: str, hypothesis: str) -> list[str]:
    """Amounts, percentages and dates' digits of the reference not read verbatim (whitespace ignored)."""
    hyp = "".join(hypothesis.split())
    missed, pos = [], {}
    for num in NUMBER_RE.findall(reference):  # table cells stay apart: they are space-separated
        at = hyp.find(num, pos.get(num, 0))
        if at < 0:
            missed.append(num)
        else:
            pos[num] = at + 1
    return missed


# ----------------------------------------------------------------------------- engines (child side)

def _limit_threads() -> None:
    for var in ("OMP_NUM_THREADS", "OMP_THREAD_LIMIT", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(THREADS)


def _bgr(image: str):
    """Decoded 3-channel BGR array: RapidOCR given a path reads a palette PNG as its index plane."""
    import numpy as np
    from PIL import Image

    return np.ascontiguousarray(np.asarray(Image.open(image).convert("RGB"))[:, :, ::-1])


def _rapidocr_v1(use_cls: bool):
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR(intra_op_num_threads=THREADS, inter_op_num_threads=1, use_cls=use_cls)

    def run(image: str) -> list[str]:
        result, _ = engine(_bgr(image))
        return [text for _box, text, _score in result or []]

    return run


def _rapidocr_v3(use_cls: bool):
    from rapidocr import RapidOCR

    engine = RapidOCR(params={
        "Global.log_level": "warning",
        "Global.use_cls": use_cls,
        "EngineConfig.onnxruntime.intra_op_num_threads": THREADS,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })

    def run(image: str) -> list[str]:
        return list(engine(_bgr(image)).txts or [])

    return run


def _tesseract(psm: int):
    # One OpenMP thread: Debian's tesseract slows down several-fold with 2 OpenMP threads
    # whenever the other core is busy (spin-waiting), and 1 thread is as fast when it is not.
    def run(image: str) -> list[str]:
        out = subprocess.run(["tesseract", image, "-", "-l", "chi_sim", "--psm", str(psm), "--dpi", "150"],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        return [line for line in out.stdout.splitlines() if line.strip()]

    return run


def _smaudit(drop_seal_text: bool = True):
    sys.path.insert(0, str(ROOT))
    from PIL import Image

    from extractors import ocr

    ocr.DROP_SEAL_TEXT = drop_seal_text

    def run(image: str) -> list[str]:
        return [text for text, _conf in ocr.ocr_image(Image.open(image))]

    return run


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _has_chi_sim() -> bool:
    if not shutil.which("tesseract"):
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return "chi_sim" in out.stdout.split()


def _has_smaudit() -> bool:
    sys.path.insert(0, str(ROOT))
    try:
        from extractors import ocr
    except ImportError:
        return False
    return ocr.available()


# name → (is it installed here?, factory, pip distribution or Debian packages, what it is)
ENGINES = {
    "rapidocr-onnxruntime": (lambda: _has_module("rapidocr_onnxruntime"), lambda: _rapidocr_v1(True),
                             "pip:rapidocr-onnxruntime+onnxruntime", "PP-OCRv4 det+rec, cls on (default)"),
    "rapidocr-onnxruntime/no-cls": (lambda: _has_module("rapidocr_onnxruntime"), lambda: _rapidocr_v1(False),
                                    "pip:rapidocr-onnxruntime+onnxruntime", "PP-OCRv4 det+rec, cls off"),
    "rapidocr": (lambda: _has_module("rapidocr") and _has_module("onnxruntime"), lambda: _rapidocr_v3(True),
                 "pip:rapidocr+onnxruntime", "PP-OCRv6 small det+rec, cls on (default)"),
    "rapidocr/no-cls": (lambda: _has_module("rapidocr") and _has_module("onnxruntime"), lambda: _rapidocr_v3(False),
                        "pip:rapidocr+onnxruntime", "PP-OCRv6 small det+rec, cls off"),
    "tesseract/psm3": (_has_chi_sim, lambda: _tesseract(3), "deb:tesseract-ocr tesseract-ocr-chi-sim",
                       "chi_sim LSTM, automatic layout"),
    "tesseract/psm6": (_has_chi_sim, lambda: _tesseract(6), "deb:tesseract-ocr tesseract-ocr-chi-sim",
                       "chi_sim LSTM, one text block"),
    "smaudit": (_has_smaudit, _smaudit, "pip:rapidocr+onnxruntime",
                "extractors.ocr as the tool runs it: v6, cls off, seal text dropped, lines grouped"),
    "smaudit/keep-seal": (_has_smaudit, lambda: _smaudit(False), "pip:rapidocr+onnxruntime",
                          "extractors.ocr with DROP_SEAL_TEXT off"),
}


def child(name: str, images: list[str], runs: int) -> dict:
    """Run one engine in this (fresh) process: load + warm-up on the first page, then time
    `runs` passes over the first page; every page is read once for accuracy."""
    _limit_threads()
    t0 = time.perf_counter()
    run = ENGINES[name][1]()
    run(images[0])  # warm-up: models load lazily on the first page in some engines
    load = time.perf_counter() - t0
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), _cpu_seconds()
        run(images[0])
        times.append(time.perf_counter() - t)
        cpu.append(_cpu_seconds() - c)
    pages = [run(image) for image in images]
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # tesseract runs as a subprocess
    return {"pages": pages, "load_s": load, "times": times, "cpu": cpu,
            "peak_rss_mb": max(self_rss, child_rss) / 1024}


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: less noisy than wall time on a shared VM."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


# ----------------------------------------------------------------------------- installed size

def _pip_closure(names: list[str]) -> dict[str, int]:
    """Distribution name → installed bytes, for `names` and everything they require (no extras)."""
    import importlib.metadata as md
    import re

    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover - packaging is nearly always there
        Requirement = None  # noqa: N806

    sizes: dict[str, int] = {}
    todo = list(names)
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in sizes:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        total = 0
        for f in dist.files or []:
            p = Path(dist.locate_file(f))
            if p.is_file():
                total += p.stat().st_size
        sizes[name] = total
        for req in dist.requires or []:
            if Requirement is not None:
                r = Requirement(req)
                if r.marker is not None and not r.marker.evaluate({"extra": ""}):
                    continue
                todo.append(r.name)
            elif "extra ==" not in req:
                todo.append(re.match(r"[A-Za-z0-9._-]+", req).group(0))
    return sizes


OCR_PACKAGES = {"rapidocr", "rapidocr-onnxruntime", "onnxruntime"}


def _base_packages() -> set[str]:
    """What smaudit installs without OCR (numpy, Pillow, PyYAML, tqdm, ...): not counted as added."""
    import importlib.metadata as md
    import re

    try:
        reqs = md.requires("smaudit") or []
    except md.PackageNotFoundError:
        return set()
    names = [re.match(r"[A-Za-z0-9._-]+", r).group(0) for r in reqs if "extra ==" not in r]
    return set(_pip_closure([n for n in names if n.lower() not in OCR_PACKAGES]))


def installed_size(source: str, base: set[str]) -> dict:
    kind, _, names = source.partition(":")
    if kind == "deb":
        pkgs = names.split()
        # the chi_sim engine also pulls in these Debian packages
        pkgs += ["tesseract-ocr-eng", "tesseract-ocr-osd", "libtesseract5", "liblept5"]
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Installed-Size}\n", *pkgs], capture_output=True, text=True)
        kb = sum(int(x) for x in out.stdout.split() if x.isdigit())
        return {"own_mb": kb / 1024, "added_mb": kb / 1024}
    top = names.split("+")
    sizes = _pip_closure(top)
    own = sum(sizes.get(n, 0) for n in top)
    added = sum(v for k, v in sizes.items() if k not in base)
    return {"own_mb": own / 2**20, "added_mb": added / 2**20, "added": sorted(k for k in sizes if k not in base)}


def _version(source: str) -> str:
    kind, _, names = source.partition(":")
    if kind == "deb":
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", names.split()[0]], capture_output=True, text=True)
        return out.stdout.strip()
    import importlib.metadata as md

    vs = []
    for n in names.split("+"):
        with contextlib.suppress(md.PackageNotFoundError):
            vs.append(f"{n} {md.version(n)}")
    return ", ".join(vs)


# ----------------------------------------------------------------------------- parent

def _engine_python(name: str, pythons: list[str]) -> str | None:
    for py in [sys.executable, *pythons]:
        probe = subprocess.run([py, __file__, "--probe", name], capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == "yes":
            return py
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--make-scan", action="store_true", help="rebuild the committed test scan, then exit")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset of: " + ", ".join(ENGINES))
    ap.add_argument("--python", action="append", default=[],
                    help="another interpreter (venv) to look in for engines this one lacks; repeatable")
    ap.add_argument("--only-committed", action="store_true", help="skip the two generated pages")
    ap.add_argument("--show-text", action="store_true", help="print each engine's text to stderr")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--images", nargs="*", help=argparse.SUPPRESS)
    ap.add_argument("--probe", help=argparse.SUPPRESS)
    ap.add_argument("--size", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.probe:
        print("yes" if ENGINES[args.probe][0]() else "no")
        return
    if args.child:
        print(json.dumps(child(args.child, args.images, args.runs), ensure_ascii=False))
        return
    if args.size:
        base = set(json.loads(os.environ.get("BENCH_OCR_BASE", "[]")))
        source = ENGINES[args.size][2]
        print(json.dumps({**installed_size(source, base), "version": _version(source)}))
        return
    if args.make_scan:
        make_scan()
        return

    with tempfile.TemporaryDirectory() as tmp:
        images = {"sealed-page": SCAN_PNG}
        if not args.only_committed:
            for name in ("commitment", "figures"):  # lossless PNG of the degraded scan
                images[name] = Path(tmp) / f"{name}.png"
                scan_page(PAGES[name]).save(images[name])
        rows = measure(args, images)
    report(rows, images)


def measure(args, images: dict[str, Path]) -> list[dict]:
    # what smaudit installs anyway (numpy, Pillow, PyYAML, tqdm, ...) does not count as added size
    base = _base_packages()
    rows = []
    for name in args.engines.split(","):
        py = _engine_python(name, args.python)
        if py is None:
            print(f"skip {name}: not installed", file=sys.stderr)
            continue
        proc = subprocess.run([py, __file__, "--child", name, "--runs", str(args.runs),
                               "--images", *map(str, images.values())], capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"skip {name}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
            continue
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        size = json.loads(subprocess.run([py, __file__, "--size", name], capture_output=True, text=True, check=True,
                                         env={**os.environ, "BENCH_OCR_BASE": json.dumps(sorted(base))}).stdout)
        texts = ["\n".join(lines) for lines in res["pages"]]
        truths = [PAGES[p].ground_truth for p in images]
        refs = sum(len("".join(t.split())) for t in truths)
        rows.append({
            "engine": name, "version": size["version"], "notes": ENGINES[name][3],
            "cer": [cer(t, h) for t, h in zip(truths, texts, strict=True)],
            "cer_all": sum(cer(t, h) * len("".join(t.split())) for t, h in zip(truths, texts, strict=True)) / refs,
            "cer_w": sum(cer(t, h, True) * len("".join(t.split())) for t, h in zip(truths, texts, strict=True)) / refs,
            "nums": [n for t, h in zip(truths, texts, strict=True) for n in numbers_missed(t, h)],
            "s_page": statistics.median(res["times"]), "cpu_page": statistics.median(res["cpu"]), "load_s": res["load_s"], "rss": res["peak_rss_mb"],
            "own_mb": size["own_mb"], "added_mb": size["added_mb"],
        })
        if args.show_text:
            for page, text in zip(images, texts, strict=True):
                print(f"--- {name} · {page}\n{text}\n", file=sys.stderr)
            print(f"--- {name}: numbers wrong: {' '.join(rows[-1]['nums'])}\n", file=sys.stderr)
    return rows


def report(rows: list[dict], images: dict[str, Path]) -> None:
    lens = ", ".join(f"{p} {len(''.join(PAGES[p].ground_truth.split()))}" for p in images)
    print(f"Ground-truth characters: {lens}. CER ignores whitespace; s/page = median of runs on "
          f"{SCAN_PNG.name} after a warm-up (1241x1754 px, 150 dpi); {THREADS} threads per engine (tesseract 1).")
    n_nums = sum(len(NUMBER_RE.findall(PAGES[p].ground_truth)) for p in images)
    print(f"CER/w: CER with full-width punctuation folded to ASCII (NFKC). numbers wrong: of the {n_nums} "
          "numbers (amounts, %, years, dates) in the ground truth, those not read verbatim. CPU s/page: "
          "user+sys seconds (up to 2 per wall second with 2 threads), steadier than s/page on a busy machine.")
    head = ("engine", *(f"CER {p}" for p in images), "CER all", "CER/w all", "numbers wrong", "s/page", "CPU s/page", "load+1st s", "peak RSS MB",
            "own MB", "added MB", "version", "notes")
    table = [head] + [(r["engine"], *(f"{c:.1%}" for c in r["cer"]), f"{r['cer_all']:.1%}", f"{r['cer_w']:.1%}",
                       str(len(r["nums"])), f"{r['s_page']:.2f}", f"{r['cpu_page']:.2f}",
                       f"{r['load_s']:.1f}", f"{r['rss']:.0f}", f"{r['own_mb']:.0f}", f"{r['added_mb']:.0f}",
                       r["version"], r["notes"]) for r in rows]
    widths = [max(_width(r[i]) for r in table) for i in range(len(head))]
    left = {0, len(head) - 2, len(head) - 1}
    for r in table:
        print("  ".join(_pad(cell, w, i in left) for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip())


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int, left: bool) -> str:
    fill = " " * (width - _width(s))
    return s + fill if left else fill + s


if __name__ == "__main__":
    main()
