from __future__ import annotations

from pathlib import Path

import pytest
from application_builder import write_application


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """An input folder with two submissions: a good one and one with broken files."""
    root = tmp_path / "input"
    write_application(root / "01-good" / "申报书.docx")
    bad = root / "02-bad"
    bad.mkdir(parents=True)
    (bad / "审计报告.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    (bad / "附件.docx").write_bytes(b"")
    return root
