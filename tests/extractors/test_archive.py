"""Unpacking a submission's zip: GBK names, path traversal, system files, nesting, limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from extractors.archive import is_skipped, member_name, safe_relpath, unpack
from extractors.model import Limits


class _RawNameInfo(zipfile.ZipInfo):
    """A member whose name is written as raw bytes without the UTF-8 flag, as Chinese Windows zip tools do.

    zipfile would UTF-8 encode (and flag) any non-ASCII name; a cp437 round trip writes the GBK bytes as they are.
    """

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's private hook
        return self.filename.encode("cp437"), self.flag_bits


def _gbk_info(name: str) -> zipfile.ZipInfo:
    info = _RawNameInfo(name.encode("gbk").decode("cp437"))
    info.flag_bits = 0
    return info


def _zip(members: dict[str | zipfile.ZipInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _unpack(tmp_path: Path, members: dict[str | zipfile.ZipInfo, bytes], limits: Limits = Limits()):  # noqa: B008
    source = tmp_path / "申报材料.zip"
    source.write_bytes(_zip(members))
    dest = tmp_path / "out"
    return unpack(source, dest, "申报材料.zip", limits), dest


def _names(files: tuple[Path, ...], dest: Path) -> list[str]:
    return sorted(f.relative_to(dest).as_posix() for f in files)


@pytest.mark.parametrize("name", ["申报书.docx", "附件/审计报告（2024年度）.pdf", "营业执照.jpg"])
def test_archive_gbk_name_without_utf8_flag(tmp_path: Path, name: str) -> None:
    (info,) = zipfile.ZipFile(io.BytesIO(_zip({_gbk_info(name): b"x"}))).infolist()
    assert info.flag_bits & 0x800 == 0 and info.filename != name  # what a naive reader shows
    result, dest = _unpack(tmp_path, {_gbk_info(name): b"data"})
    assert _names(result.files, dest) == [name]
    assert (dest / name).read_bytes() == b"data"
    assert result.problems == ()


@pytest.mark.parametrize("name", ["申报书.docx", "readme.txt"])
def test_archive_member_name_utf8(name: str) -> None:
    (info,) = zipfile.ZipFile(io.BytesIO(_zip({name: b"x"}))).infolist()
    assert member_name(info) == name


EVIL_NAMES = ["../evil.txt", "a/../../evil.txt", "..\\evil.txt", "/tmp/evil.txt", "C:/evil.txt"]


@pytest.mark.parametrize("evil", EVIL_NAMES)
def test_archive_path_traversal_writes_nothing_outside(tmp_path: Path, evil: str) -> None:
    result, dest = _unpack(tmp_path, {evil: b"pwned", "申报书.txt": b"ok"})
    assert _names(result.files, dest) == ["申报书.txt"]
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["out/申报书.txt", "申报材料.zip"]


@pytest.mark.parametrize("evil", EVIL_NAMES)
def test_archive_path_traversal_reported(tmp_path: Path, evil: str) -> None:
    result, _ = _unpack(tmp_path, {evil: b"pwned", "申报书.txt": b"ok"})
    assert [(p.kind, p.file) for p in result.problems] == [("zip-unsafe", evil)]
    assert evil in result.problems[0].message


@pytest.mark.parametrize(
    ("name", "skipped"),
    [("__MACOSX/._申报书.docx", True), ("材料/~$申报书.docx", True), ("~$x.docx", True), (".DS_Store", True),
     ("材料/Thumbs.db", True), ("材料/申报书.docx", False), ("材料/说明.~tmp", False)],
)
def test_archive_is_skipped(name: str, skipped: bool) -> None:
    assert is_skipped(name) is skipped


def test_archive_system_files_not_unpacked(tmp_path: Path) -> None:
    members = {"__MACOSX/._申报书.docx": b"mac", "~$x.docx": b"lock", "材料/.DS_Store": b"ds", "材料/申报书.docx": b"doc"}
    result, dest = _unpack(tmp_path, members)
    assert _names(result.files, dest) == ["材料/申报书.docx"]
    assert result.problems == ()


@pytest.mark.parametrize(
    ("name", "safe"),
    [("a/b.pdf", "a/b.pdf"), ("a\\b.pdf", "a/b.pdf"), ("../b.pdf", None), ("/b.pdf", None), ("D:b.pdf", None)],
)
def test_archive_safe_relpath(name: str, safe: str | None) -> None:
    result = safe_relpath(name)
    assert (result.as_posix() if result else None) == safe


def test_archive_nested_zip_unpacked_one_level(tmp_path: Path) -> None:
    inner = _zip({"审计报告.pdf": b"%PDF", _gbk_info("附件/营业执照.jpg"): b"jpg"})
    result, dest = _unpack(tmp_path, {"申报书.docx": b"doc", "附件包.zip": inner})
    assert _names(result.files, dest) == ["申报书.docx", "附件包/审计报告.pdf", "附件包/附件/营业执照.jpg"]
    assert result.problems == ()


def test_archive_zip_in_zip_in_zip_is_nested_problem(tmp_path: Path) -> None:
    deep = _zip({"最深.pdf": b"%PDF"})
    middle = _zip({"中层.pdf": b"%PDF", "最内层.zip": deep})
    result, dest = _unpack(tmp_path, {"外层.pdf": b"%PDF", "中层.zip": middle})
    assert _names(result.files, dest) == ["中层/中层.pdf", "外层.pdf"]
    assert [p.kind for p in result.problems] == ["zip-nested"]
    assert result.problems[0].file.endswith("最内层.zip") and "最内层.zip" in result.problems[0].message
    assert not any(p.name == "最深.pdf" for p in tmp_path.rglob("*"))


def test_archive_too_many_members(tmp_path: Path) -> None:
    result, dest = _unpack(tmp_path, {f"{i}.txt": b"x" for i in range(5)}, Limits(max_zip_members=4))
    assert result.files == ()
    assert [p.kind for p in result.problems] == ["zip-unsafe"]
    assert not dest.exists()


def test_archive_total_size_limit(tmp_path: Path) -> None:
    result, dest = _unpack(tmp_path, {"a.txt": b"x" * 600, "b.txt": b"y" * 600}, Limits(max_zip_total_bytes=1000))
    assert _names(result.files, dest) == ["a.txt"]
    assert [(p.kind, p.file) for p in result.problems] == [("zip-unsafe", "b.txt")]


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not really a zip", b"%PDF-1.4"])
def test_archive_corrupt_zip(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "坏.zip"
    source.write_bytes(data)
    result = unpack(source, tmp_path / "out", "坏.zip")
    assert result.files == ()
    assert [(p.kind, p.file) for p in result.problems] == [("corrupt", "坏.zip")]
