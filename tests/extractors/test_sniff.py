"""A file's real type from its first bytes, not its name."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest

from extractors.sniff import OLE_MAGIC, extension_agrees, sniff

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("申报书")
    document.save(str(path))


def _xlsx(path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["项目", "2024年"])
    workbook.save(str(path))


def _pptx_like(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/presentation.xml", "<p:presentation/>")


def _plain_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("申报书.txt", "申报书")


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


# fmt: off
SNIFF_CASES = [
    ("real.pdf", _bytes(PDF_BYTES), "pdf"),
    ("named-wrong.docx", _bytes(PDF_BYTES), "pdf"),
    ("junk-before.pdf", _bytes(b"\r\n\r\n" + PDF_BYTES), "pdf"),
    ("a.docx", _docx, "docx"),
    ("a.zip", _docx, "docx"),                                     # a Word file named .zip
    ("a.xlsx", _xlsx, "xlsx"),
    ("a.pptx", _pptx_like, "pptx"),
    ("a.zip", _plain_zip, "zip"),
    ("truncated.docx", _bytes(b"PK\x03\x04" + b"\x00" * 40), "docx"),
    ("empty.pdf", _bytes(b""), "empty"),
    ("legacy.doc", _bytes(OLE_MAGIC + b"\x00" * 504), "doc"),
    ("legacy.xls", _bytes(OLE_MAGIC + b"\x00" * 504), "xls"),
    ("protected.docx", _bytes(OLE_MAGIC + b"\x00" * 504), "encrypted"),
    ("protected.xlsx", _bytes(OLE_MAGIC + b"\x00" * 504), "encrypted"),
    ("legacy.rtf", _bytes(b"{\\rtf1\\ansi \\u30003?}"), "rtf"),
    ("photo.jpg", _bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 60), "image"),
    ("scan.png", _bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 60), "image"),
    ("gbk.txt", _bytes("辽宁省服务型制造示范企业申报书\r\n单位名称：大连示范装备有限公司\r\n".encode("gbk")), "text"),
    ("utf8.csv", _bytes("项目,2024年\n营业收入,32000\n".encode()), "text"),
    ("noise.bin", _bytes(random.Random(7).randbytes(4096)), "unknown"),
]
# fmt: on


@pytest.mark.parametrize(("name", "write", "kind"), SNIFF_CASES)
def test_sniff_real_type(tmp_path: Path, name: str, write: Callable[[Path], None], kind: str) -> None:
    path = tmp_path / name
    write(path)
    assert sniff(path) == kind


def test_sniff_gbk_text_cut_mid_character(tmp_path: Path) -> None:
    # The 8 KiB sniff window can end inside a two-byte GBK character.
    data = ("服务型制造" * 2000).encode("gbk")
    assert len(data) > 8192
    path = tmp_path / "long.txt"
    path.write_bytes(data[:8193])
    assert sniff(path) == "text"


# fmt: off
AGREE_CASES = [
    ("pdf", "a.pdf", True),
    ("pdf", "a.PDF", True),
    ("pdf", "a.docx", False),
    ("docx", "a.docx", True),
    ("docx", "a.wps", True),
    ("docx", "a.doc", False),
    ("xlsx", "a.et", True),
    ("xlsx", "a.xls", False),
    ("doc", "a.wps", True),
    ("text", "a.csv", True),
    ("text", "a.pdf", False),
    ("image", "a.jpeg", True),
    ("zip", "a.zip", True),
    ("pptx", "a.pptx", True),    # kinds without a list agree with any name
]
# fmt: on


@pytest.mark.parametrize(("kind", "name", "agrees"), AGREE_CASES)
def test_sniff_extension_agrees(kind: str, name: str, agrees: bool) -> None:
    assert extension_agrees(kind, Path(name)) is agrees
