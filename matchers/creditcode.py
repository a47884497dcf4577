"""统一社会信用代码 (GB 32100-2015): find and validate the 18-character code."""

from __future__ import annotations

import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration department (1 机构编制, 5 民政, 9 工商, Y 其他 …) and type digit, then
# the 6-digit administrative division, 9-character organisation code, check char.
CODE_RE = re.compile(r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY]\d{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Z])")
# Looser: what an applicant may have typed (lower case, O/I/S/V/Z by mistake).
LOOSE_RE = re.compile(r"(?<![0-9A-Za-z])([0-9A-Za-z]{18})(?![0-9A-Za-z])")


def check_char(first17: str) -> str | None:
    """The check character for the first 17 characters, or None if they use invalid characters."""
    try:
        total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    except ValueError:
        return None
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    code = code.strip().upper()
    return len(code) == 18 and check_char(code[:17]) == code[17]


def find_codes(text: str) -> list[str]:
    """Candidate codes in a text: well-formed ones first, then loose 18-character tokens that contain digits."""
    strict = CODE_RE.findall(text.upper())
    if strict:
        return strict
    return [c for c in LOOSE_RE.findall(text) if sum(ch.isdigit() for ch in c) >= 8]


def division(code: str) -> str | None:
    """The 6-digit administrative division code inside a credit code."""
    part = code[2:8]
    return part if part.isdigit() else None
