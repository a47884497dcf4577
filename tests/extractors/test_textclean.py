"""Raw extracted characters → clean text: garbage detection, CJK spacing, wrapped lines."""

from __future__ import annotations

import pytest

from extractors.textclean import garbage_ratio, is_garbage, lines_to_paragraphs, normalize

# fmt: off
GARBAGE_CASES = [
    # (text, garbage?)
    ("(cid:12)(cid:34)(cid:56)(cid:78)", True),
    ("(cid:12)(cid:34)公司(cid:56)", True),
    ("Ã¤Â¸Â­Ã¦â€“â€¡", True),                    # 中文 encoded as UTF-8, decoded as cp1252
    ("ÉêÇëµ¥Î»Ãû³Æ", True),                      # 申请单位名称 encoded as GBK, decoded as Latin-1
    ("\ue000\ue001\ue002\ue003", True),            # private-use glyphs of an unmapped font
    ("\ufffd\ufffd\ufffd公司", True),
    ("2024年公司实现营业收入3.2亿元，同比增长12%。", False),
    ("他说：“好的”——公司已建成远程运维平台…", False),  # “”—… are normal Chinese punctuation
    ("VMI (Vendor Managed Inventory)", False),
    ("", False),
    ("   \n\t", False),
]
# fmt: on


@pytest.mark.parametrize(("text", "garbage"), GARBAGE_CASES)
def test_textclean_is_garbage(text: str, garbage: bool) -> None:
    assert is_garbage(text) is garbage


@pytest.mark.parametrize(
    ("text", "ratio"),
    [("(cid:1)(cid:2)", 1.0), ("公司名称", 0.0), ("", 0.0), ("公司\ufffd", 1 / 3)],
)
def test_textclean_garbage_ratio(text: str, ratio: float) -> None:
    assert garbage_ratio(text) == pytest.approx(ratio)


def test_textclean_threshold_is_a_parameter() -> None:
    text = "公司简介\ufffd"  # one bad character in five
    assert (is_garbage(text), is_garbage(text, threshold=0.2)) == (False, True)


# fmt: off
NORMALIZE_CASES = [
    ("供 应 链 管 理", "供应链管理"),                 # spaces between two CJK characters go
    ("供\u00a0应\t链", "供应链"),
    ("公司\u3000简介", "公司简介"),                    # ideographic space counts as a space
    ("单位 ： 万元", "单位：万元"),                    # full-width punctuation is CJK too
    ("（ 万元 ）", "（万元）"),
    ("VMI 系统", "VMI 系统"),                        # Latin next to CJK keeps its space
    ("引入 VMI 模式", "引入 VMI 模式"),
    ("2024 年", "2024 年"),
    ("supply  chain", "supply  chain"),
    ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
    ("公司\x07简介\x00", "公司简介"),                  # control characters go
    ("公司\n简介", "公司\n简介"),                     # line breaks stay
]
# fmt: on


@pytest.mark.parametrize(("raw", "clean"), NORMALIZE_CASES)
def test_textclean_normalize(raw: str, clean: str) -> None:
    assert normalize(raw) == clean


LINE = "公司已建成远程运维平台累计接入设备三千五百台套为客户提供预测性维护"  # 33 characters, a full line

# fmt: off
PARAGRAPH_CASES = [
    # Word wraps a sentence across lines: joined without a space.
    (f"{LINE}\n{LINE}\n服务。\n第二段从这里开始。",
     [f"{LINE}{LINE}服务。", "第二段从这里开始。"]),
    # a short line ends a paragraph even without punctuation (a heading)
    (f"一、企业基本情况\n{LINE}\n{LINE}\n{LINE}。",
     ["一、企业基本情况", f"{LINE}{LINE}{LINE}。"]),
    # Latin words wrapped across lines get their space back
    ("the vendor managed inventory model is used by\nmany suppliers of the plant in Dalian today.",
     ["the vendor managed inventory model is used by many suppliers of the plant in Dalian today."]),
    # label：value lines of a cover page stay apart
    ("单位名称：大连示范装备有限公司大连示范装备\n联系人：张三李四王五赵六钱七孙八周九吴十\n联系电话：0411-84512345 0411-8451234",
     ["单位名称：大连示范装备有限公司大连示范装备", "联系人：张三李四王五赵六钱七孙八周九吴十", "联系电话：0411-84512345 0411-8451234"]),
    ("\n \n", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "paragraphs"), PARAGRAPH_CASES)
def test_textclean_lines_to_paragraphs(text: str, paragraphs: list[str]) -> None:
    assert lines_to_paragraphs(text) == paragraphs


def test_garbage_ratio_fast_path_agrees_with_the_character_check() -> None:
    import random
    import unicodedata

    from extractors.textclean import CID_RE, MOJIBAKE_CHARS, garbage_ratio

    def reference(text: str) -> float:
        visible = [ch for ch in text if not ch.isspace()]
        if not visible:
            return 0.0
        bad = sum(len(m) for m in CID_RE.findall(text))
        for ch in CID_RE.sub("", text):
            if not ch.isspace() and (unicodedata.category(ch) in ("Co", "Cs", "Cn") or ch == "\ufffd"
                                     or ch in MOJIBAKE_CHARS):
                bad += 1
        return bad / len(visible)

    ranges = [(0x09, 0x0E), (0x20, 0x250), (0x2000, 0x2070), (0x3000, 0x3040), (0x4E00, 0x4E40), (0x9FF0, 0xA000),
              (0xF900, 0xF910), (0xFA60, 0xFA80), (0xFF00, 0xFFF0), (0xE000, 0xE010), (0xFFFD, 0xFFFE)]
    pool = [chr(c) for lo, hi in ranges for c in range(lo, hi)] + ["(cid:12)"]
    rnd = random.Random(7)
    for _ in range(5000):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(0, 40)))
        assert garbage_ratio(text) == reference(text), repr(text)
