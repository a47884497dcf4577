"""PDF: text per 1-based page, no spaces between Chinese characters, ruled tables, damaged files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdf_fixtures import PARAGRAPH_1, PARAGRAPH_2, TABLE, WORD_EXPORT

from extractors.model import Document
from extractors.pdf import extract

SHARED = Path(__file__).resolve().parents[3] / "shared"
PASSWORD_PDF = SHARED / "realworld" / "files" / "pdfplumber" / "password-example.pdf"
SPACE_BETWEEN_CJK = re.compile(r"[\u4e00-\u9fff][ \u3000\t]+[\u4e00-\u9fff]")


def _compact(text: str) -> str:
    """LibreOffice puts a space between Chinese and digits; the test compares without any spaces."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def word_export() -> Document:
    assert WORD_EXPORT.exists(), f"missing fixture {WORD_EXPORT}; rebuild with tests/extractors/pdf_fixtures.py"
    return extract(WORD_EXPORT, "材料/申报书.pdf")


def test_pdf_pages_are_one_based(word_export: Document) -> None:
    assert word_export.pages == 2
    assert {b.page for b in word_export.blocks} == {1, 2}
    assert word_export.problems == ()


@pytest.mark.parametrize(
    ("page", "text"),
    [(1, "一、企业基本情况"), (1, PARAGRAPH_1), (2, "二、服务型制造开展情况"), (2, PARAGRAPH_2)],
)
def test_pdf_text_per_page(word_export: Document, page: int, text: str) -> None:
    # The long paragraph wraps over several lines in the PDF: it must come back as one block.
    found = [b.page for b in word_export.blocks if not b.is_table and _compact(b.text) == _compact(text)]
    assert found == [page]


def test_pdf_no_space_between_chinese_characters(word_export: Document) -> None:
    assert [b.text for b in word_export.blocks if SPACE_BETWEEN_CJK.search(b.text)] == []


def test_pdf_blocks_in_reading_order(word_export: Document) -> None:
    texts = [_compact(b.text) for b in word_export.blocks if not b.is_table]
    order = [texts.index(_compact(t)) for t in ("一、企业基本情况", PARAGRAPH_1, "二、服务型制造开展情况", PARAGRAPH_2)]
    assert order == sorted(order)


def test_pdf_table_block_with_rows(word_export: Document) -> None:
    tables = [b for b in word_export.blocks if b.is_table]
    assert len(tables) == 1
    (block,) = tables
    assert (block.page, block.source) == (1, "table")
    assert block.table is not None
    assert [tuple(_compact(c) for c in row) for row in block.table] == [tuple(row) for row in TABLE]
    assert block.text.count("\n") == len(TABLE) - 1


@pytest.mark.parametrize("keep", [20, 200, 0.3, 0.6])
def test_pdf_truncated_is_corrupt(tmp_path: Path, keep: float) -> None:
    data = WORD_EXPORT.read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[: int(keep if keep >= 1 else len(data) * keep)])
    doc = extract(broken, "broken.pdf")
    assert (doc.kind, doc.blocks) == ("pdf", ())
    assert [p.kind for p in doc.problems] == ["corrupt"]


def test_pdf_password_is_encrypted() -> None:
    if not PASSWORD_PDF.exists():
        pytest.skip(f"{PASSWORD_PDF} not found")
    doc = extract(PASSWORD_PDF, "password-example.pdf")
    assert doc.blocks == ()
    assert [(p.kind, p.file) for p in doc.problems] == [("encrypted", "password-example.pdf")]
