"""Word files: paragraphs and tables in body order, merged cells once, nested tables, page numbers."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement

from extractors.docx import extract
from extractors.model import Document


def _read(document: docx.document.Document, path: Path) -> Document:
    document.save(str(path))
    return extract(path, path.name)


@pytest.fixture
def body_order(tmp_path: Path) -> Document:
    document = docx.Document()
    document.add_paragraph("一、企业基本情况")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("项目", "2024年"), ("营业收入", "32,000")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("二、服务型制造开展情况")
    return _read(document, tmp_path / "order.docx")


def test_docx_paragraphs_and_tables_in_body_order(body_order: Document) -> None:
    assert [(b.index, b.source, b.text) for b in body_order.blocks] == [
        (0, "text", "一、企业基本情况"),
        (1, "table", "项目\t2024年\n营业收入\t32,000"),
        (2, "text", "二、服务型制造开展情况"),
    ]
    assert body_order.blocks[1].table == (("项目", "2024年"), ("营业收入", "32,000"))
    assert (body_order.kind, body_order.problems) == ("docx", ())


@pytest.fixture
def merged(tmp_path: Path) -> Document:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "横向合并单元格"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向合并单元格"
    for (r, c), value in {(1, 1): "甲", (1, 2): "乙", (2, 1): "丙", (2, 2): "丁"}.items():
        table.cell(r, c).text = value
    return _read(document, tmp_path / "merged.docx")


@pytest.mark.parametrize("text", ["横向合并单元格", "纵向合并单元格"])
def test_docx_merged_cell_read_once(merged: Document, text: str) -> None:
    (block,) = merged.blocks
    assert block.table is not None
    assert sum(cell == text for row in block.table for cell in row) == 1
    assert block.text.count(text) == 1


def test_docx_vertically_merged_rows_keep_their_cells(merged: Document) -> None:
    (block,) = merged.blocks
    assert block.table is not None
    assert block.table[1:] == (("纵向合并单元格", "甲", "乙"), ("", "丙", "丁"))


def test_docx_nested_table_text_present(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "建设内容"
    inner = outer.cell(0, 1).add_table(rows=2, cols=1)
    inner.cell(0, 0).text = "远程运维平台"
    inner.cell(1, 0).text = "共享工厂"
    doc = _read(document, tmp_path / "nested.docx")
    assert len(doc.blocks) == 1  # the inner rows are not rows of the outer table
    (block,) = doc.blocks
    assert block.table is not None and len(block.table) == 1
    assert block.table[0][0] == "建设内容"
    assert "远程运维平台" in block.table[0][1] and "共享工厂" in block.table[0][1]


def test_docx_page_break_numbers_pages(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第一页正文")
    document.add_page_break()
    document.add_paragraph("第二页正文")
    document.add_paragraph("第二页续")
    doc = _read(document, tmp_path / "pages.docx")
    assert [(b.page, b.text) for b in doc.blocks] == [(1, "第一页正文"), (2, "第二页正文"), (2, "第二页续")]
    assert doc.pages == 2


def test_docx_break_inside_paragraph_counts_for_the_next(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("第一页末段")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("第二页正文")
    doc = _read(document, tmp_path / "inline.docx")
    assert [(b.page, b.text) for b in doc.blocks] == [(1, "第一页末段"), (2, "第二页正文")]


def test_docx_without_breaks_has_no_pages(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第一段")
    document.add_paragraph("第二段")
    doc = _read(document, tmp_path / "flow.docx")
    assert [b.page for b in doc.blocks] == [None, None]
    assert doc.pages == 0


def test_docx_rendered_break_starts_page(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第一页正文")
    run = document.add_paragraph().add_run()
    run._r.append(OxmlElement("w:lastRenderedPageBreak"))  # where Word's last layout started page 2
    run.add_text("第二页标题")
    document.add_paragraph("第二页正文")
    doc = _read(document, tmp_path / "rendered.docx")
    assert [(b.page, b.text) for b in doc.blocks] == [(1, "第一页正文"), (2, "第二页标题"), (2, "第二页正文")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("供 应 链 管 理", "供应链管理"), ("VMI 系统", "VMI 系统"), ("２０２４年 营业收入", "２０２４年营业收入")],
)
def test_docx_paragraph_text_normalized(tmp_path: Path, text: str, expected: str) -> None:
    document = docx.Document()
    document.add_paragraph(text)
    (block,) = _read(document, tmp_path / "n.docx").blocks
    assert block.text == expected


def test_docx_header_footer_is_furniture(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "大连示范装备有限公司申报书"
    document.add_paragraph("正文")
    doc = _read(document, tmp_path / "hf.docx")
    assert [(b.source, b.text) for b in doc.blocks] == [("text", "正文"), ("furniture", "大连示范装备有限公司申报书")]


def test_docx_empty_document_is_no_text(tmp_path: Path) -> None:
    doc = _read(docx.Document(), tmp_path / "blank.docx")
    assert doc.blocks == ()
    assert [p.kind for p in doc.problems] == ["no-text"]


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_docx_truncated_is_corrupt(tmp_path: Path, keep: float) -> None:
    source = tmp_path / "whole.docx"
    document = docx.Document()
    document.add_paragraph("申报书正文" * 50)
    document.save(str(source))
    data = source.read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(data[: int(len(data) * keep)])
    doc = extract(broken, "broken.docx")
    assert doc.blocks == ()
    assert [p.kind for p in doc.problems] == ["corrupt"]
    assert doc.problems[0].file == "broken.docx"


def _symbol_run(paragraph, font: str, text: str) -> None:
    """A run typed in a symbol font (Wingdings 2 'R' shows ☑)."""
    run = paragraph.add_run(text)
    run.font.name = font


def _sym(paragraph, font: str, code: str) -> None:
    """<w:sym w:font=… w:char=…/>, Word's Insert ▸ Symbol."""
    run = paragraph.add_run()
    sym = OxmlElement("w:sym")
    sym.set(docx.oxml.ns.qn("w:font"), font)
    sym.set(docx.oxml.ns.qn("w:char"), code)
    run._r.append(sym)


def test_docx_symbol_font_tick_boxes_read_as_marks(tmp_path: Path) -> None:
    document = docx.Document()
    typed = document.add_paragraph("服务模式：")
    _symbol_run(typed, "Wingdings 2", "R")
    typed.add_run("全生命周期管理 ")
    _symbol_run(typed, "Wingdings 2", "£")
    typed.add_run("共享制造")
    inserted = document.add_paragraph("申报类别：")
    _sym(inserted, "Wingdings", "F0FE")
    inserted.add_run("示范企业 ")
    _sym(inserted, "Wingdings", "F06F")
    inserted.add_run("示范项目 ")
    _sym(inserted, "Symbol", "F0D6")
    inserted.add_run("已盖章")
    _sym(inserted, "Wingdings", "F04A")  # a smiley: no form mark, dropped rather than read as 'J'
    doc = _read(document, tmp_path / "ticks.docx")
    assert [b.text for b in doc.blocks] == ["服务模式：☑全生命周期管理 □共享制造", "申报类别：☑示范企业 □示范项目 √已盖章"]


def test_docx_text_font_letters_stay_letters(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    _symbol_run(paragraph, "Times New Roman", "R&D")
    _sym(paragraph, "SimSun", "0041")
    greek = document.add_paragraph("温差")
    _sym(greek, "Symbol", "F044")
    greek.add_run("t")
    _symbol_run(greek, "Symbol", "£5")
    greek.add_run("℃")
    assert [b.text for b in _read(document, tmp_path / "plain.docx").blocks] == ["R&D", "温差Δt≤5℃"]
