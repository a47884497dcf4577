"""Build package 11: the formats real packages arrive in, inside a zip made on Chinese Windows.

    python samples/make_hard_cases.py        (make_samples.py calls build() after the ten packages)

11-chaoyang-jinyu-enterprise.zip holds, under GBK file names without the zip UTF-8 flag:
  申报书.doc                 legacy Word (converted from .docx by LibreOffice)
  主要财务数据.xlsx           the revenue table as a spreadsheet
  检测资质证明（扫描件）.pdf    an image-only scanned page with a red seal: M05 is evidenced only here (OCR)
  审计报告.pdf               encrypted with a password → problem "encrypted"
Run alone, its gold line replaces any earlier line for the same submission in samples/gold.jsonl.
Shared pieces (tick boxes, credit codes, LibreOffice, the GBK zip, gold records) come from kit.py.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import kit
import pypdfium2 as pdfium
from docx import Document
from kit import cc, mode_row, track_row
from PIL import Image, ImageDraw, ImageFilter

NAME = "11-chaoyang-jinyu-enterprise.zip"
APPLICANT = "朝阳金宇矿山机械股份有限公司"
CODE = cc("91211300MA0XK7Q2P")
DECLARED = ["M05", "M06"]
FORM = [
    ("企业名称", APPLICANT), ("统一社会信用代码", CODE), ("注册地址", "辽宁省朝阳市龙城区新华路东段168号"),
    ("申报类别", track_row("enterprise")), ("服务模式", mode_row(DECLARED)),
    ("联系人", "孙立新"), ("联系电话", "0421-3862210"),
]
PROSE = [
    ("一、企业基本情况", [
        "公司始建于1998年，主要生产矿用破碎机、给料机和振动筛，产品销往内蒙古、山西和河北的二百余座矿山。",
        "近年来，公司从“卖设备”转向“卖设备加服务”，服务收入逐年提高。",
    ]),
    ("二、全生命周期管理服务开展情况", [
        "2021年公司建成设备远程运维中心，为客户在役的612台破碎机加装振动和温度传感器，开展在线监测和预测性维护。",
        "2024年远程运维中心共发出故障预警418次，客户非计划停机时间平均减少37%，备件库存资金占用下降22%。",
        "公司与28家矿山企业签订了三年期整机托管运维合同，按设备开动率收取服务费。",
    ]),
    ("三、下一步计划", [
        "下一步，公司计划联合本地高校建设矿山装备共享制造中心，向周边中小配件企业开放大型加工设备。",
    ]),
]
SCAN_TEXT = [
    "检测资质情况说明",
    "我公司检测中心于2021年通过中国合格评定国家认可委员会（CNAS）实验室认可，",
    "认可项目包括破碎机整机性能、耐磨件硬度和焊缝无损检测共46项。",
    "2024年检测中心为朝阳、阜新两地37家矿山机械企业提供第三方检测服务，",
    "全年出具检测报告1,920份，检测服务收入386万元。",
    "特此说明。",
    "朝阳金宇矿山机械股份有限公司",
    "2025年8月",
]
REVENUE = [("项目（万元）", "2023年", "2024年", "2025年1-9月"), ("营业收入", "21,480.5", "23,916.8", "17,205.0"),
           ("其中：服务收入", "5,960.2", "7,652.4", "5,980.1"), ("服务收入占比", "27.7%", "32.0%", "34.8%")]
# hand-set labels, in the flat form kit.gold_record() expands (unlisted modes absent, criteria met)
GOLD = {
    "track": "enterprise", "declared_modes": DECLARED, "platform_type": None,
    "applicant": APPLICANT, "credit_code": CODE, "credit_code_valid": True, "city": "朝阳",
    "year": 2024, "money": ("万元", "23,916.8", "7,652.4"),
    "total_revenue_wan": 23916.8, "service_revenue_wan": 7652.4, "service_ratio": 0.32,
    "modes": {"M04": "planned", "M05": "evidenced", "M06": "evidenced"},
    "criteria": {"ENT-G1": "weak", "ENT-G5": "missing"},
    "problems": [{"file": "审计报告.pdf", "kind": "encrypted", "message": ""}],
}


def application_doc(work: Path) -> Path:
    """The form and prose as a plain Word file, saved by LibreOffice as legacy .doc."""
    doc = Document()
    doc.add_heading("辽宁省省级服务型制造示范企业申报书", 0)
    table = doc.add_table(rows=len(FORM), cols=2, style="Table Grid")
    for row, (label, value) in zip(table.rows, FORM, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    for heading, paragraphs in PROSE:
        doc.add_heading(heading, 1)
        for text in paragraphs:
            doc.add_paragraph(text)
    src = work / "申报书.docx"
    doc.save(str(src))
    return kit.soffice_convert([src], "doc", work, work)[0]


def plain_pdf(lines: list[str], src: Path) -> Path:
    """Lines as paragraphs of a default Word file, turned into a PDF by LibreOffice."""
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(src))
    return kit.soffice_convert([src], "pdf", src.parent, src.parent)[0]


def scanned_pdf(work: Path) -> Path:
    """A page printed, sealed and scanned: text rendered by LibreOffice, then only pixels are kept."""
    pdf = plain_pdf(SCAN_TEXT, work / "scan.docx")
    image = pdfium.PdfDocument(str(pdf))[0].render(scale=150 / 72).to_pil().convert("RGB")
    seal = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    cx, cy, r = int(image.width * 0.62), int(image.height * 0.22), 120
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(220, 30, 30, 150), width=9)
    draw.regular_polygon((cx, cy, 38), 5, fill=(220, 30, 30, 150))
    image = Image.alpha_composite(image.convert("RGBA"), seal).convert("L").rotate(0.6, fillcolor=255)
    rng = random.Random(11)
    pixels = image.load()
    for _ in range(image.width * image.height // 60):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        pixels[x, y] = rng.randrange(120, 255)
    image = image.filter(ImageFilter.GaussianBlur(0.4))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    path = work / "检测资质证明（扫描件）.pdf"
    Image.open(buffer).save(path, "PDF", resolution=150)
    return path


def encrypted_pdf(work: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    pdf = plain_pdf(["审计报告（2024年度）：公司营业收入23,916.8万元。"], work / "audit.docx")
    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    writer.encrypt(user_password="jinyu2025", owner_password="owner", algorithm="AES-256")
    path = work / "审计报告.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def build(out_dir: Path, when: kit.Stamp = kit.SAMPLES_TIME) -> dict[str, Any]:
    """Write the zip into out_dir; return its gold record (the caller writes gold.jsonl)."""
    kit.check_gold(NAME, GOLD, kit.text_of(FORM, PROSE, SCAN_TEXT, REVENUE))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        xlsx = work / "主要财务数据.xlsx"
        kit.write_xlsx("主要财务数据", REVENUE, xlsx)
        files = [application_doc(work), xlsx, scanned_pdf(work), encrypted_pdf(work)]
        kit.zip_gbk(files, out_dir / NAME, when)
    return kit.gold_record(NAME, GOLD)


def main() -> int:
    kit.upsert_jsonl(kit.GOLD_PATH, build(kit.OUT_DIR))
    print(f"wrote {kit.OUT_DIR / NAME} and its gold line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
