"""Small pure functions that turn raw extracted characters into clean text."""

from __future__ import annotations

import re
import unicodedata

CID_RE = re.compile(r"\(cid:\d+\)")
CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef"
# Word→PDF output and some extractors put spaces between Chinese characters.
SPACE_BETWEEN_CJK_RE = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ \t\u00a0]+(?=[{CJK}{CJK_PUNCT}])")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
LABEL_LINE_RE = re.compile(r"^[^：:，。,]{2,10}[：:]")
SENTENCE_END = "。！？；：!?;:"
# Latin-1 letters that show up when GBK bytes are decoded as Latin-1 or cp1252.
# cp1252's 0x80–0x9F punctuation too, but not “”‘’…—–• which Chinese text uses.
MOJIBAKE_CHARS = set("‚ƒ„†‡ˆ‰Š‹ŒŽ˜™š›œžŸÃÂÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿")


def normalize(text: str) -> str:
    """NFKC-free cleanup: drop control characters, unify line ends, remove spaces between CJK."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    text = CONTROL_RE.sub("", text)
    return SPACE_BETWEEN_CJK_RE.sub("", text)


# Characters that can never count as garbage (assigned CJK, ASCII, CJK and full-width punctuation):
# most pages hold nothing else, and the per-character check below cost ~1 ms a page.
PLAIN_TEXT_RE = re.compile(r"[^\s\x20-\x7e\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff65“”‘’…—–•]")


def garbage_ratio(text: str) -> float:
    """Share of visible characters that are not real text: (cid:N), private use, replacement, mojibake."""
    if "(cid:" not in text and not PLAIN_TEXT_RE.search(text):
        return 0.0
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    cid_chars = sum(len(m) for m in CID_RE.findall(text))
    bad = cid_chars
    for ch in CID_RE.sub("", text):
        if ch.isspace():
            continue
        cat = unicodedata.category(ch)
        if cat in ("Co", "Cs", "Cn") or ch == "\ufffd" or ch in MOJIBAKE_CHARS:
            bad += 1
    return bad / len(visible)


def is_garbage(text: str, threshold: float = 0.3) -> bool:
    """True when a page's text is mostly placeholders or mojibake, i.e. not usable as text."""
    return garbage_ratio(text) >= threshold


def lines_to_paragraphs(text: str) -> list[str]:
    """Join visual lines of a PDF page into paragraphs.

    Word wraps lines mid-sentence; a line is a paragraph end when it ends with
    sentence punctuation or is clearly shorter than the page's usual line.
    """
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        return []
    full = sorted(len(ln) for ln in lines)[int(len(lines) * 0.8)] if len(lines) >= 3 else max(len(ln) for ln in lines)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current and LABEL_LINE_RE.match(line):
            paragraphs.append(current)  # 'label：value' lines of a cover page or form stay apart
            current = ""
        current = _join(current, line)
        if line[-1] in SENTENCE_END or len(line) < 0.7 * full:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _join(left: str, right: str) -> str:
    if not left:
        return right
    # Latin words wrapped across lines need their space back; Chinese needs none.
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right
