"""Builds a small but realistic 申报书 .docx for pipeline tests."""

from __future__ import annotations

from pathlib import Path

import docx

FORM = [
    ("申报单位名称", "大连恒通重工装备有限公司"),
    ("统一社会信用代码", "91210211MA0U6XKX2B"),
    ("所在地区", "辽宁省大连市甘井子区"),
    ("申报类别", "☑示范企业 □示范项目 □示范平台"),
    ("服务模式", "☑供应链管理 □工业设计服务 ☑全生命周期管理"),
]
PROSE = [
    "一、企业基本情况",
    "公司自2019年起为一汽解放等42家客户实施供应商管理库存（VMI），库存周转天数由38天降至21天。",
    "根据申报条件，服务领域包括工业设计服务、定制化服务、供应链管理、共享制造等十种模式。",
    "公司尚未开展合同能源管理业务。",
    "公司拟于2026年建设共享制造平台。",
    "公司已建成远程运维中心，累计接入设备1200台，开展预测性维护服务。",
    "=HYPERLINK(\"http://example.invalid\",\"点击\")公司为客户提供服务。",
]


def write_application(path: Path, prose: list[str] = PROSE) -> Path:
    document = docx.Document()
    document.add_heading("辽宁省省级服务型制造示范企业申报书", 0)
    table = document.add_table(rows=len(FORM), cols=2)
    for row, (label, value) in zip(table.rows, FORM, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    for text in prose:
        document.add_paragraph(text)
    money = document.add_table(rows=3, cols=4)
    rows = [("项目（万元）", "2023年", "2024年", "2025年1-6月"), ("营业收入", "52,300", "61,200", "30,100"),
            ("服务收入", "15,600", "21,400", "11,000")]
    for row, values in zip(money.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
