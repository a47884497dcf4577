"""Legacy formats (.doc, .wps, .xls, .et, .rtf, .odt) converted by LibreOffice headless, under a time limit."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .model import DEFAULT_LIMITS, Document, Limits
from .problems import problem

# docx→docx: LibreOffice rewrites Strict OOXML and macro-enabled files that python-docx refuses.
TARGET = {"doc": "docx", "rtf": "docx", "odt": "docx", "xls": "xlsx", "docx": "docx"}
CONVERT_TIMEOUT_S = 90


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def extract_via(kind: str, reader: Callable[[Path, str, Limits], Document]) -> Callable[[Path, str, Limits], Document]:
    """An extractor that converts `kind` to its modern format, then reads it with `reader`."""

    def extract(path: Path, rel: str, limits: Limits = DEFAULT_LIMITS) -> Document:
        binary = soffice()
        if binary is None:
            return Document(rel, kind, problems=(problem("needs-converter", rel, detail=path.suffix or kind),))
        target = TARGET[kind]
        with tempfile.TemporaryDirectory(prefix="smaudit-") as tmp:
            # Each conversion gets its own profile dir: concurrent soffice runs sharing
            # the default profile block each other.
            cmd = [binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                   "--convert-to", target, "--outdir", tmp, str(path)]
            try:
                subprocess.run(cmd, capture_output=True, timeout=min(CONVERT_TIMEOUT_S, limits.timeout_s), check=False)
            except subprocess.TimeoutExpired:
                return Document(rel, kind, problems=(problem("timeout", rel, detail=CONVERT_TIMEOUT_S),))
            out = Path(tmp) / f"{path.stem}.{target}"
            if not out.exists():
                return Document(rel, kind, problems=(problem("corrupt", rel, detail="LibreOffice 无法转换"),))
            doc = reader(out, rel, limits)
        return Document(rel, kind, doc.blocks, doc.problems, doc.pages)

    return extract
