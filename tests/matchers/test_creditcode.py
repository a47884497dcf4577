"""统一社会信用代码 (GB 32100-2015): check character, validation, finding codes in text."""

from __future__ import annotations

import pytest

from matchers.creditcode import CHARSET, check_char, division, find_codes, is_valid

# Check characters worked out by hand with the standard's formula:
# C18 = 31 − (Σ Ci·Wi mod 31), 31 → 0; e.g. 12210000MB0123456: Σ = 1250, 1250 mod 31 = 10, 31 − 10 = 21 → M.
# fmt: off
VALID_CODES = [
    "91110000600037341L",   # a real-format enterprise code
    "9121020056012345X2",   # 9 工商 / 1 企业, Dalian (2102)
    "12210000MB0123456M",   # 1 机构编制 / 2 事业单位 (an institution)
    "51210000MJ01234563",   # 5 民政 / 1 社会团体 (an association)
    "Y1210100MA0Q12345G",   # Y 其他
]
# fmt: on


@pytest.mark.parametrize("code", VALID_CODES)
def test_creditcode_check_char(code: str) -> None:
    assert check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", VALID_CODES)
def test_creditcode_valid(code: str) -> None:
    assert is_valid(code)
    assert is_valid(code.lower())
    assert is_valid(f"  {code} ")


@pytest.mark.parametrize("code", VALID_CODES)
def test_creditcode_wrong_check_char_invalid(code: str) -> None:
    wrong = CHARSET[(CHARSET.index(code[17]) + 1) % len(CHARSET)]
    assert not is_valid(code[:17] + wrong)


@pytest.mark.parametrize(
    "code",
    ["", "91110000600037341", "91110000600037341LL", "9111000060003734IL", "91110000600037341O"],
)
def test_creditcode_malformed_invalid(code: str) -> None:
    assert not is_valid(code)


@pytest.mark.parametrize("first17", ["9111000060003734I", "911100006000373O1", "9111000060003734"])
def test_creditcode_check_char_rejects_bad_characters(first17: str) -> None:
    # I and O are not in the code's alphabet; 16 characters are too few.
    assert check_char(first17) is None


# fmt: off
FIND_CASES = [
    ("统一社会信用代码：91110000600037341L，注册地址：北京市", ["91110000600037341L"]),
    ("统一社会信用代码91110000600037341l（小写）", ["91110000600037341L"]),
    ("代码 91110000600037341L 与 " + VALID_CODES[1], ["91110000600037341L", VALID_CODES[1]]),
    ("订单号 A91110000600037341LB 不是代码", []),
    ("电话 0411-84512345，邮编 116000", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "codes"), FIND_CASES)
def test_creditcode_find_codes(text: str, codes: list[str]) -> None:
    assert find_codes(text) == codes


@pytest.mark.parametrize(("code", "part"), [("91210200MA0Q12345X", "210200"), ("9121XX00MA0Q12345X", None)])
def test_creditcode_division(code: str, part: str | None) -> None:
    assert division(code) == part
