from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from extractors import isolate
from extractors.model import Document, Limits


def _hang(path: Path, rel: str, limits: Limits) -> Document:
    time.sleep(60)
    raise AssertionError("not reached")


def _die(path: Path, rel: str, limits: Limits) -> Document:
    os._exit(3)


def _hog(path: Path, rel: str, limits: Limits) -> Document:
    blob = bytearray(2 * 1024**3)  # more than the cap below
    return Document(rel, "text", pages=len(blob))


@pytest.mark.parametrize(
    ("reader", "kind"),
    [(_hang, "timeout"), (_die, "internal-error"), (_hog, "internal-error")],
)
def test_isolate_hostile_file_becomes_problem(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader, kind: str) -> None:
    monkeypatch.setattr(isolate, "read_file", reader)  # the forked child inherits the patch
    target = tmp_path / "x.pdf"
    target.write_bytes(b"%PDF-1.4")
    started = time.perf_counter()
    doc = isolate.read_file_isolated(target, "x.pdf", Limits(timeout_s=2, max_memory_bytes=1024**3))
    assert time.perf_counter() - started < 10
    assert [p.kind for p in doc.problems] == [kind]
    assert doc.problems[0].file == "x.pdf"


def test_isolate_returns_child_document(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("公司为客户提供远程运维服务。", encoding="utf-8")
    doc = isolate.read_file_isolated(target, "a.txt", Limits(timeout_s=20))
    assert doc.kind == "text" and "远程运维" in doc.text and not doc.problems


def test_image_file_is_read_by_ocr() -> None:
    from extractors import ocr
    from extractors.registry import read_file

    if not ocr.available():
        pytest.skip("no OCR engine installed")
    image = Path(__file__).resolve().parents[1] / "data" / "scanned-sealed-page.png"
    doc = read_file(image, "营业执照.png")
    assert doc.kind == "image" and doc.blocks and all(b.source == "ocr" and b.page == 1 for b in doc.blocks)
    assert [(p.kind, p.severity) for p in doc.problems] == [("scanned", "info")]


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is installed by `make setup`")
def test_macro_enabled_word_file_read_through_libreoffice(tmp_path: Path) -> None:
    import zipfile

    import docx

    from extractors.registry import read_file

    plain = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_paragraph("公司为客户提供远程运维服务。")
    document.save(str(plain))
    docm = tmp_path / "申报书.docm"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(docm, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":  # what Word writes for a .docm
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            dst.writestr(item, data)
    doc = read_file(docm, "申报书.docm")
    assert "远程运维" in doc.text and not [p for p in doc.problems if p.severity == "error"]


def test_isolate_many_in_parallel_keep_order_and_limits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = isolate.read_file

    def slow_on_b(path: Path, rel: str, limits: Limits) -> Document:
        if rel == "b.txt":
            time.sleep(60)
        return real(path, rel, limits)

    monkeypatch.setattr(isolate, "read_file", slow_on_b)
    items = []
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / name).write_text(f"{name} 公司开展远程运维服务。", encoding="utf-8")
        items.append((tmp_path / name, name))
    started = time.perf_counter()
    docs = isolate.read_files_isolated(items, Limits(timeout_s=3), parallel=2)
    assert time.perf_counter() - started < 15
    assert [d.path for d in docs] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert [p.kind for p in docs[1].problems] == ["timeout"]
    assert all(name in d.text for name, d in zip(("a.txt", "c.txt", "d.txt"), (docs[0], docs[2], docs[3]), strict=True))


def _pid() -> int:
    return os.getpid()


def _sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _hog_memory() -> int:
    blob = bytearray(2 * 1024**3)
    return len(blob)


def _run(jobs: list[isolate.Job], parallel: int = 1) -> list[object]:
    queue = list(reversed(jobs))
    values = {job.key: value for job, value in isolate.run_forked(lambda: queue.pop() if queue else None, parallel)}
    return [values[job.key] for job in jobs]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes only once reaped; run_forked must have reaped it.
    return Path(f"/proc/{pid}").exists()


def test_workers_are_reused_and_gone_after_the_run() -> None:
    pids = _run([isolate.Job(i, _pid, (), 20) for i in range(6)], parallel=2)
    assert os.getpid() not in pids
    assert len(set(pids)) <= 2  # six jobs, two forks: the point of keeping workers
    assert not any(_alive(pid) for pid in set(pids))


def test_timeout_kills_its_worker_and_the_next_job_gets_a_fresh_one() -> None:
    first, late, after = _run([isolate.Job("a", _pid, (), 20), isolate.Job("b", _sleep_then_pid, (60,), 2),
                               isolate.Job("c", _pid, (), 20)])
    assert isinstance(late, isolate.Failed) and late.reason == "timeout"
    assert isinstance(first, int) and isinstance(after, int) and after != first
    assert not _alive(first) and not _alive(after)


def test_memory_cap_fails_one_job_and_retires_its_worker() -> None:
    before, hog, after = _run([isolate.Job("a", _pid, (), 20), isolate.Job("b", _hog_memory, (), 20, 1024**3),
                               isolate.Job("c", _pid, (), 20)])
    assert isinstance(hog, isolate.Failed) and hog.reason in {"memory", "crash"}
    assert before != after  # a heap that hit its cap is not trusted with the next job


def test_unpicklable_job_still_runs_in_a_child() -> None:
    marker = object()  # a closure over an unpicklable object: the one-off fork path
    (pid,) = _run([isolate.Job("a", lambda: (marker is not None) and os.getpid(), (), 20)])
    assert isinstance(pid, int) and pid != os.getpid()
