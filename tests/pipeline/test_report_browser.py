"""The evidence view in a real browser: headless Chromium screenshots of report pages, and the highlight
it draws read back by OCR: the box must hold the quoted characters, for PDF text, a table row and a scan.

Chromium comes from the Debian package `chromium` (the Makefile installs it); set SMAUDIT_SHOTS=DIR
to keep the screenshots for a look.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extractors import ocr
from extractors.locate import search_key
from pipeline.cli import main
from pipeline.writers.report_html import target_page

ROOT = Path(__file__).resolve().parents[2]
BROWSER = next((b for b in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if b), None)
pytestmark = [pytest.mark.skipif(BROWSER is None, reason="Chromium not installed (Debian package chromium)"),
              pytest.mark.skipif(not ocr.available(), reason="OCR engine not installed")]
OUTLINE = (225, 29, 72)  # .hl outline colour in report_html.STYLE


def _screenshot(page: Path, out: Path, profile: Path) -> Path:
    cmd = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1000,1400", f"--screenshot={out}",
           page.as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return out


def _first_outline(shot: Path) -> tuple[int, int, int, int]:
    """The pixel box of the first highlight drawn on the screenshot (the topmost run of outline-coloured rows)."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    mask = (np.abs(rgb - np.array(OUTLINE)).sum(axis=2) < 60)
    rows = np.flatnonzero(mask.sum(axis=1) > 0)
    assert rows.size, f"no highlight drawn in {shot}"
    gaps = np.flatnonzero(np.diff(rows) > 6)
    top, bottom = rows[0], rows[gaps[0]] if gaps.size else rows[-1]
    cols = np.flatnonzero(mask[top:bottom + 1].sum(axis=0) > 0)
    return int(cols[0]), int(top), int(cols[-1]), int(bottom)


def _read(shot: Path, box: tuple[int, int, int, int]) -> str:
    from PIL import Image

    x0, y0, x1, y1 = box
    with Image.open(shot) as image:
        crop = image.convert("RGB").crop((x0 + 3, y0 + 3, x1 - 2, y1 - 2))
        crop = crop.resize((crop.width * 2, crop.height * 2))  # screen pixels are small for OCR
    return "".join(t for t, _ in ocr.ocr_image(crop))


def _first_quote(page: Path) -> str:
    return html.unescape(re.search(r'<div class="quote">(.*?)</div>', page.read_text(encoding="utf-8"), re.S).group(1))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    src = tmp / "in"
    for name in ("01-dalian-hengtong-enterprise", "02-shenyang-ruituo-enterprise", "11-chaoyang-jinyu-enterprise.zip"):
        target = src / name
        (shutil.copytree if (ROOT / "samples/packages" / name).is_dir() else shutil.copy)(
            ROOT / "samples/packages" / name, target)
    assert main(["audit", str(src), "-o", str(tmp / "audit.xlsx"), "--report", str(tmp / "report"),
                 "--no-cache", "-q"]) == 0
    return tmp / "report"


@pytest.mark.parametrize(("submission", "target", "kind"), [
    ("02-shenyang-ruituo-enterprise", "M04", "text"),  # a Word paragraph laid out by LibreOffice
    ("01-dalian-hengtong-enterprise", "ENT-G4", "table"),  # a row of a Word table: one box per cell
    ("11-chaoyang-jinyu-enterprise.zip", "ENT-G4", "table"),  # a row of an .xlsx sheet, printed by LibreOffice
    ("11-chaoyang-jinyu-enterprise.zip", "M05", "ocr"),  # a scanned PDF page inside a zip
])
def test_highlight_in_chromium_holds_the_quote(report: Path, tmp_path: Path, submission: str, target: str,
                                               kind: str) -> None:
    page = report / target_page(submission, target)
    text = page.read_text(encoding="utf-8")
    assert 'class="hl"' in text
    keep = Path(os.environ["SMAUDIT_SHOTS"]) if os.environ.get("SMAUDIT_SHOTS") else tmp_path
    keep.mkdir(parents=True, exist_ok=True)
    shot = _screenshot(page, keep / f"{submission}-{target}.png", tmp_path / "profile")
    read = search_key(_read(shot, _first_outline(shot)))[0]
    quote = search_key(_first_quote(page))[0]
    assert len(read) >= 4, read
    inside = sum(ch in quote for ch in read) / len(read)
    assert inside >= 0.8, (kind, read, quote)
    # the first highlighted line is the quote's start, not some other line of the page
    assert read[:2] in quote[: len(read) + 8] or quote[:2] in read[:8], (kind, read, quote)
