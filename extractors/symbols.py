"""Tick boxes drawn with symbol fonts in Word forms, as the Unicode characters they show.

Chinese application forms tick a box with Wingdings 2 'R' (☑) beside '£' (□), or with a Symbol-font
radical (√), either typed in a run set in that font or inserted as <w:sym w:font=… w:char="F052"/>.
python-docx's text drops w:sym and keeps the letter 'R': without this map every such form reads as
unticked, or as 'R工业设计服务'. Only glyphs that carry meaning in a form are mapped (boxes, ticks, crosses,
bullets) from the dingbat fonts, whose other glyphs are dropped rather than read as Latin letters; Symbol's
Greek letters and math signs are mapped too (a run set in Symbol with 'a' shows α).
"""

from __future__ import annotations

# (font family, glyph code 0x20–0xFF) → character shown. Codes are those of the fonts' own encodings.
SYMBOL_GLYPHS: dict[str, dict[int, str]] = {
    "wingdings": {0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x72: "❒", 0x78: "☒", 0x9F: "•", 0xA1: "○",
                  0xA8: "□", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑"},
    "wingdings 2": {0x4F: "✗", 0x50: "✓", 0x51: "☒", 0x52: "☑", 0x53: "☒", 0x54: "☒", 0x96: "●", 0x97: "●",
                    0x98: "●", 0x99: "○", 0xA0: "■", 0xA3: "□", 0xA2: "■", 0xA8: "▣"},
    # Symbol is a text font too: Greek letters and math signs in its own code positions (γ is 'g').
    "symbol": {**dict(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=True)),
               **dict(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True)),
               0xA3: "≤", 0xA5: "∞", 0xAE: "→", 0xB0: "°", 0xB1: "±", 0xB3: "≥", 0xB4: "×", 0xB7: "•", 0xB8: "÷",
               0xB9: "≠", 0xBB: "≈", 0xD6: "√"},
}
# In Symbol, codes it does not remap (digits, punctuation) show as themselves; in the dingbat fonts they are
# pictures and are dropped.
IDENTITY_FONTS = ("symbol",)
# Webdings and Wingdings 3 hold no form marks we read; their glyphs are dropped like unknown ones.
DROPPED_FONTS = ("webdings", "wingdings 3")


def symbol_font(name: str | None) -> str | None:
    """The symbol font a run is set in ('Wingdings 2', 'Symbol'…), or None for a text font."""
    if not name:
        return None
    key = name.strip().lower()
    if key in SYMBOL_GLYPHS or key in DROPPED_FONTS:
        return key
    return None


def glyph(font: str, code: int) -> str:
    """What one glyph of a symbol font shows; '' when it is no form mark.

    Word stores symbol-font codes either as the font's byte (0x52) or in the private-use row U+F000–U+F0FF.
    """
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    fallback = chr(code) if font in IDENTITY_FONTS and 0x20 <= code < 0x7F else ""
    return SYMBOL_GLYPHS.get(font, {}).get(code, fallback)


def decode(font: str, text: str) -> str:
    """A run's text set in a symbol font, as the marks it shows."""
    return "".join(glyph(font, ord(ch)) for ch in text)


def sym_mark(font_name: str | None, code_hex: str | None) -> str:
    """The mark of a <w:sym w:font="Wingdings 2" w:char="F052"/>; '' for a text font or a malformed code."""
    font = symbol_font(font_name)
    if font is None or not code_hex:
        return ""
    try:
        return glyph(font, int(code_hex, 16))
    except ValueError:
        return ""
