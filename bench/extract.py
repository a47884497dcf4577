"""Extraction speed and memory on a generated corpus of Word-exported Chinese PDFs.

Prints one table: per format and extractor, pages/s and peak RSS, and how close the
text is to poppler's pdftotext (the reference) once whitespace is removed.

    .venv/bin/python bench/extract.py [--docs 12] [--paragraphs 120]

The corpus (python-docx → LibreOffice PDF) is cached in bench/.corpus/.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / ".corpus"
SENTENCES = [
    "公司围绕客户需求持续完善服务体系，{n}年来累计为{k}家制造企业提供供应商管理库存服务。",
    "依托远程运维中心，公司对在役设备开展在线监测和预测性维护，平均故障响应时间缩短至{k}小时。",
    "公司以EPC总承包方式承建了{k}个成套项目，合同金额合计{n}.{k}亿元。",
    "通过合同能源管理模式，公司为客户实施余热回收改造，年节约标准煤{n}{k}吨。",
    "公司建成省级工业设计中心，拥有专职设计人员{k}名，年完成外观设计{n}项。",
    "在个性化定制方面，公司建设柔性生产线，支持客户在线选型，订单交付周期由{n}天缩短至{k}天。",
    "公司联合银行开展供应链金融业务，为上下游{k}家中小企业提供融资{n}万元。",
    "检测中心通过CNAS认可，具备{k}大类{n}项检测能力，对外出具检测报告{n}{k}份。",
]


def make_corpus(docs: int, paragraphs: int) -> list[Path]:
    import docx

    CORPUS.mkdir(exist_ok=True)
    rng = random.Random(7)
    pdfs = []
    for i in range(docs):
        pdf = CORPUS / f"doc{i:02d}-{paragraphs}.pdf"
        pdfs.append(pdf)
        if pdf.exists():
            continue
        document = docx.Document()
        document.add_heading(f"辽宁省省级服务型制造示范企业申报书（样本{i}）", 0)
        for p in range(paragraphs):
            if p % 40 == 20:
                table = document.add_table(rows=4, cols=4, style="Table Grid")
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        cell.text = "项目" if r == c == 0 else f"{2022 + c}年" if r == 0 else f"{rng.randint(100, 99999):,}"
            text = "".join(rng.choice(SENTENCES).format(n=rng.randint(2, 9), k=rng.randint(10, 99)) for _ in range(4))
            document.add_paragraph(text)
        src = CORPUS / f"doc{i:02d}-{paragraphs}.docx"
        document.save(str(src))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(CORPUS), str(src)],
                       check=True, capture_output=True, timeout=300)
    return pdfs


RUNNERS = {
    # Text blocks plus the removed headers/footers (kept recoverable), without the table copies.
    "smaudit pdf (text+tables)": (
        "from extractors.pdf import extract\n"
        "def run(p):\n  d = extract(p, p.name)\n"
        "  return d.pages, '\\n'.join(b.text for b in d.blocks if b.source in ('text', 'furniture'))"),
    "pypdfium2 text only": (
        "import pypdfium2 as pdfium\n"
        "def run(p):\n  pdf = pdfium.PdfDocument(str(p)); n = len(pdf)\n"
        "  t = ''.join(pdf[i].get_textpage().get_text_range() for i in range(n)); return n, t"),
    "pdfplumber extract_text": (
        "import pdfplumber\n"
        "def run(p):\n  with pdfplumber.open(p) as pdf: return len(pdf.pages), ''.join(pg.extract_text() or '' for pg in pdf.pages)"),
    "smaudit docx": "from extractors.docx import extract\ndef run(p): d = extract(p.with_suffix('.docx'), p.name); return max(d.pages, 1), d.text",
}
CHILD = """
import json, resource, sys, time
from pathlib import Path
{code}
paths = [Path(p) for p in json.loads(sys.argv[1])]
t0 = time.perf_counter(); pages = 0; texts = {{}}
for p in paths:
    n, text = run(p); pages += n; texts[p.name] = text
print(json.dumps({{"pages": pages, "seconds": time.perf_counter() - t0,
  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "texts": texts}}))
"""


def run_child(code: str, paths: list[Path]) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(code=code), json.dumps([str(p) for p in paths])],
                         capture_output=True, text=True, check=True, cwd=HERE.parent)
    return json.loads(out.stdout)


def pdftotext(paths: list[Path]) -> tuple[float, dict[str, str]]:
    texts = {}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for p in paths:
            out = Path(tmp) / "o.txt"
            subprocess.run(["pdftotext", "-enc", "UTF-8", str(p), str(out)], check=True)
            texts[p.name] = out.read_text(encoding="utf-8")
    return time.perf_counter() - t0, texts


def squash(text: str) -> str:
    return "".join(text.split())


def similarity(a: str, b: str) -> float:
    import difflib

    a, b = squash(a), squash(b)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio() if a or b else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=12)
    parser.add_argument("--paragraphs", type=int, default=120)
    args = parser.parse_args()
    paths = make_corpus(args.docs, args.paragraphs)
    ref_seconds, reference = pdftotext(paths) if shutil.which("pdftotext") else (0.0, {})
    rows = []
    for name, code in RUNNERS.items():
        result = run_child(code, paths)
        # Headers/footers are moved after their page's body, so compare the characters of each file.
        same = [sorted(squash(result["texts"][k])) == sorted(squash(v)) for k, v in reference.items()]
        sim = min((similarity(result["texts"][k], v) for k, v in reference.items()), default=float("nan"))
        rows.append((name, result["pages"], result["pages"] / result["seconds"], result["rss_mb"],
                     f"{sum(same)}/{len(same)}", sim))
    pages = rows[0][1]
    print(f"corpus: {len(paths)} Word-exported PDFs, {pages} pages (bench/.corpus)")
    print(f"{'extractor':<28}{'pages':>7}{'pages/s':>10}{'peak MB':>9}{'chars=ref':>12}{'min sim':>9}")
    for name, n, speed, rss, same, sim in rows:
        print(f"{name:<28}{n:>7}{speed:>10.1f}{rss:>9.0f}{same:>12}{sim:>9.3f}")
    if reference:
        print(f"{'pdftotext (reference)':<28}{pages:>7}{pages / ref_seconds:>10.1f}{'-':>9}{'-':>12}{'-':>9}")


if __name__ == "__main__":
    main()
