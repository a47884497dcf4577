"""read_file routes by the sniffed type, never raises, and explains every problem in Chinese."""

from __future__ import annotations

import hashlib
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from extractors.registry import read_file
from extractors.sniff import OLE_MAGIC

CJK_RE = re.compile(r"[\u4e00-\u9fff]")
DATA = Path(__file__).resolve().parents[1] / "data"
PDF = DATA / "word-export-2pages-table.pdf"


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("公司已建成远程运维平台。")
    document.save(str(path))


def _pptx_like(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/presentation.xml", "<p:presentation/>")


def _truncated_docx(path: Path) -> None:
    _docx(path)
    path.write_bytes(path.read_bytes()[:200])


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _copy(source: Path) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(source.read_bytes())


# fmt: off
# (file name, how to write it, Document.kind, problem kinds in order)
READ_CASES = [
    ("申报书.docx", _docx, "docx", []),
    ("申报书.pdf", _copy(PDF), "pdf", []),
    ("申报书.docx", _copy(PDF), "pdf", ["wrong-extension"]),
    ("申报书.doc", _docx, "docx", ["wrong-extension"]),
    ("空文件.pdf", _bytes(b""), "empty", ["empty"]),
    ("汇报.pptx", _pptx_like, "pptx", ["unsupported-type"]),
    ("汇报.docx", _pptx_like, "pptx", ["unsupported-type"]),
    ("加密.docx", _bytes(OLE_MAGIC + b"\x00" * 504), "encrypted", ["encrypted"]),
    ("损坏.docx", _truncated_docx, "docx", ["corrupt"]),
    ("损坏.pdf", _bytes(b"%PDF-1.4\n1 0 obj\n<<"), "pdf", ["corrupt"]),
    ("照片.jpg", _bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 60), "image", ["corrupt"]),  # JPEG magic, no image data
    ("乱码.bin", _bytes(random.Random(7).randbytes(4096)), "unknown", ["unsupported-type"]),
    ("说明.txt", _bytes("公司已建成远程运维平台。\r\n".encode("gbk")), "text", []),
]
# fmt: on


@pytest.mark.parametrize(("name", "write", "kind", "problems"), READ_CASES)
def test_registry_read_file(tmp_path: Path, name: str, write: Callable[[Path], None], kind: str,
                            problems: list[str]) -> None:
    path = tmp_path / name
    write(path)
    doc = read_file(path, f"材料/{name}")
    assert (doc.kind, [p.kind for p in doc.problems]) == (kind, problems)
    assert doc.path == f"材料/{name}"
    assert all(p.file == f"材料/{name}" for p in doc.problems)
    assert all(CJK_RE.search(p.message) for p in doc.problems), [p.message for p in doc.problems]
    assert all("{" not in p.message for p in doc.problems)  # every template field was filled


def test_registry_wrong_extension_still_reads_content(tmp_path: Path) -> None:
    path = tmp_path / "申报书.docx"
    path.write_bytes(PDF.read_bytes())
    doc = read_file(path, "申报书.docx")
    assert "远程运维平台" in doc.text
    (warning,) = doc.problems
    assert (warning.severity, ".docx" in warning.message, "PDF" in warning.message) == ("warning", True, True)


def test_registry_sha256(tmp_path: Path) -> None:
    path = tmp_path / "说明.txt"
    path.write_bytes("公司简介".encode())
    assert read_file(path, "说明.txt").sha256 == hashlib.sha256("公司简介".encode()).hexdigest()


def test_registry_missing_file_is_internal_error(tmp_path: Path) -> None:
    doc = read_file(tmp_path / "不存在.pdf", "不存在.pdf")
    assert [p.kind for p in doc.problems] == ["internal-error"]
    assert CJK_RE.search(doc.problems[0].message)
