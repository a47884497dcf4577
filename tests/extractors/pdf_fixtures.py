"""Rebuild the committed PDF fixtures in tests/data/ (needs LibreOffice; the tests do not).

    .venv/bin/python tests/extractors/pdf_fixtures.py

Review the new PDF before committing it: the tests assert on its text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx

DATA = Path(__file__).resolve().parents[1] / "data"
WORD_EXPORT = DATA / "word-export-2pages-table.pdf"

PARAGRAPH_1 = ("大连示范装备有限公司成立于2008年，主要从事数控机床的研发、生产与销售。公司已建成远程运维平台，"
               "累计接入设备3500台套，为客户提供预测性维护服务，故障响应时间缩短至2小时。")
TABLE = (("项目", "2023年", "2024年"), ("营业收入", "28,500", "32,000"), ("服务收入", "8,100", "11,800"))
PARAGRAPH_2 = "公司在主机厂旁设立寄售仓库，实施供应商管理库存，库存周转率提升30%。"


def build_docx(path: Path) -> None:
    """Two pages of Chinese text (one paragraph wraps over three lines) and a ruled table on page 1."""
    document = docx.Document()
    document.add_paragraph("一、企业基本情况")
    document.add_paragraph(PARAGRAPH_1)
    document.add_paragraph("表1 近三年经营情况（单位：万元）")
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    table.style = "Table Grid"
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_page_break()
    document.add_paragraph("二、服务型制造开展情况")
    document.add_paragraph(PARAGRAPH_2)
    document.save(str(path))


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) not found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="smaudit-fixture-") as tmp:
        source = Path(tmp) / f"{WORD_EXPORT.stem}.docx"
        build_docx(source)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=120)
        shutil.copyfile(Path(tmp) / WORD_EXPORT.name, WORD_EXPORT)
    print(f"wrote {WORD_EXPORT} ({WORD_EXPORT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
