"""Word (.docx and relatives): paragraphs and tables in body order, with rendered page numbers.

Works on the XML under python-docx so that merged cells are read once, text boxes
are read once (not again from their mc:Fallback copy), and nested tables are kept.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import docx.document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from .model import DEFAULT_LIMITS, Block, Document, Limits, Table, table_to_text
from .problems import problem
from .symbols import decode, sym_mark, symbol_font
from .textclean import normalize

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_RENDERED_BREAK = qn("w:lastRenderedPageBreak")
W_VMERGE, W_TYPE, W_VAL = qn("w:vMerge"), qn("w:type"), qn("w:val")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
W_SDT_CONTENT = qn("w:sdtContent")
W_SYM, W_FONT, W_CHAR = qn("w:sym"), qn("w:font"), qn("w:char")
RUN_FONTS = f"{qn('w:rPr')}/{qn('w:rFonts')}"
W_ASCII, W_HANSI = qn("w:ascii"), qn("w:hAnsi")


def extract(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read one Word file into blocks in body order."""
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        return Document(rel, "docx", problems=(problem("corrupt", rel, detail=f"{type(exc).__name__}"),))
    body = document.element.body
    paginated = next(body.iter(W_RENDERED_BREAK), None) is not None or _has_page_breaks(body)
    blocks: list[Block] = []
    page = 1
    for element in _body_items(body):
        breaks = _count_breaks(element)
        if breaks and _break_before_text(element):
            page, breaks = page + 1, breaks - 1  # Word marks a paragraph that starts on the next page
        if element.tag == W_P:
            text = normalize(_paragraph_text(element)).strip()
            if text:
                blocks.append(Block(len(blocks), page if paginated else None, text))
        else:
            table = _table_rows(element)
            if table:
                blocks.append(Block(len(blocks), page if paginated else None, table_to_text(table), table, "table"))
        page += breaks
    for text in _notes(path):
        blocks.append(Block(len(blocks), None, text, source="text"))
    for text in _headers_footers(document):
        blocks.append(Block(len(blocks), None, text, source="furniture"))
    problems = () if any(b.source != "furniture" for b in blocks) else (problem("no-text", rel),)
    return Document(rel, "docx", tuple(blocks), problems, pages=page if paginated else 0)


def _headers_footers(document: docx.document.Document) -> list[str]:
    """Distinct header/footer texts: kept, but as furniture (repeated on every page, not analysed)."""
    seen: dict[str, None] = {}
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if part.is_linked_to_previous:
                continue
            text = normalize(_paragraph_text(part._element)).strip()
            if text:
                seen[text] = None
    return list(seen)


def _notes(path: Path) -> list[str]:
    """Footnotes and endnotes (applicants put sources and figures there)."""
    texts = []
    with zipfile.ZipFile(path) as zf:
        for name in ("word/footnotes.xml", "word/endnotes.xml"):
            if name not in zf.namelist():
                continue
            root = etree.fromstring(zf.read(name))
            for note in root:
                if int(note.get(qn("w:id"), "0")) > 0:
                    text = normalize(_paragraph_text(note)).strip()
                    if text:
                        texts.append(text)
    return texts


def _body_items(container: etree._Element) -> Iterator[etree._Element]:
    """Top-level paragraphs and tables, descending into content controls (w:sdt)."""
    for child in container:
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content)


def _has_page_breaks(body: etree._Element) -> bool:
    return any(br.get(W_TYPE) == "page" for br in body.iter(W_BR))


def _count_breaks(element: etree._Element) -> int:
    """Page breaks inside a paragraph or table; a rendered break and a hard break often coincide."""
    rendered = sum(1 for _ in element.iter(W_RENDERED_BREAK))
    hard = sum(1 for br in element.iter(W_BR) if br.get(W_TYPE) == "page")
    return max(rendered, hard)


def _break_before_text(element: etree._Element) -> bool:
    """A page break (rendered or hard) comes before the element's first character."""
    for node in element.iter(W_T, W_RENDERED_BREAK, W_BR):
        if node.tag == W_T:
            if node.text:
                return False
        elif node.tag == W_RENDERED_BREAK or node.get(W_TYPE) == "page":
            return True
    return False


def _paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    _collect_text(p, parts)
    return "".join(parts)


def _collect_text(element: etree._Element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == MC_FALLBACK:
            continue  # the same text box again, for old readers
        if tag == W_T:
            font = _run_symbol_font(child)
            parts.append(decode(font, child.text or "") if font else child.text or "")
        elif tag == W_SYM:
            parts.append(sym_mark(child.get(W_FONT), child.get(W_CHAR)))
        elif tag == W_TAB:
            parts.append("\t")
        elif tag in (W_BR, W_CR) and child.get(W_TYPE) != "page":
            parts.append("\n")
        elif tag == W_P and parts and parts[-1] != "\n":
            parts.append("\n")  # paragraphs of a text box or nested cell
            _collect_text(child, parts)
        else:
            _collect_text(child, parts)


def _run_symbol_font(t: etree._Element) -> str | None:
    """The symbol font (Wingdings 2, Symbol…) of the run holding a w:t, if it is set in one."""
    run = t.getparent()
    fonts = run.find(RUN_FONTS) if run is not None else None
    if fonts is None:
        return None
    return symbol_font(fonts.get(W_ASCII) or fonts.get(W_HANSI))


def _table_rows(tbl: etree._Element) -> Table:
    rows: list[tuple[str, ...]] = []
    for tr in tbl.iter(W_TR):
        if _nearest_table(tr) is not tbl:
            continue  # rows of a nested table are read as the text of their cell
        cells = []
        for tc in tr.findall(W_TC):
            vmerge = tc.find(f"{qn('w:tcPr')}/{W_VMERGE}")
            continued = vmerge is not None and vmerge.get(W_VAL) in (None, "continue")
            cells.append("" if continued else normalize(_paragraph_text(tc)).strip().replace("\n", " "))
        if any(cells):
            rows.append(tuple(cells))
    return tuple(rows)


def _nearest_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != W_TBL:
        parent = parent.getparent()
    return parent
