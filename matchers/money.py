"""Revenue figures from tables and prose, normalised to 万元, per year."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

YEAR_RE = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)\s*年?")
PARTIAL_RE = re.compile(r"\d+\s*[-－~～至到—]\s*\d+\s*月|上半年|前三季度|季度|截至|截止|1-\d+|\d+月")
FULL_YEAR_RE = re.compile(r"1\s*[-－~～至到—]\s*12\s*月")
TOTAL_RE = re.compile(r"营业总收入|营业收入|主营业务收入|销售收入|总收入|收入合计|收入总额|营收")
SERVICE_RE = re.compile(r"服务(?:型制造)?(?:业务)?(?:性)?收入|综合服务收入|服务类收入")
RATIO_RE = re.compile(r"占比|比例|比重")
UNIT_RE = re.compile(r"(亿元|万元|千元|元)")
UNIT_TO_WAN = {"亿元": 10000.0, "万元": 1.0, "千元": 0.1, "元": 0.0001}
NUMBER_RE = re.compile(r"(-?\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|千元|元|亿|万)?")
PROSE_AMOUNT = r"[^。；;\d]{0,14}?(\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|千元|元|亿|万)"


@dataclass(frozen=True, slots=True)
class YearFigures:
    year: int
    complete: bool
    total_wan: float | None = None
    service_wan: float | None = None
    ratio: float | None = None
    where: str = ""
    from_table: bool = True


def parse_amount(cell: str, default_unit: str) -> float | None:
    """A money cell in 万元: '12,345.6' with the table's unit, or '3.2亿' / '4567万元' written in the cell."""
    match = NUMBER_RE.search(cell.replace(" ", ""))
    if not match:
        return None
    value = float(match.group(1).replace(",", "").replace("，", ""))
    unit = match.group(2) or default_unit
    unit = {"亿": "亿元", "万": "万元"}.get(unit, unit)
    return round(value * UNIT_TO_WAN.get(unit, 1.0), 4)


def parse_ratio(cell: str) -> float | None:
    match = re.search(r"(\d+(?:\.\d+)?)\s*[%％]", cell)
    if match:
        return round(float(match.group(1)) / 100, 4)
    match = re.search(r"^(0?\.\d+)$", cell.strip())
    return float(match.group(1)) if match else None


def table_figures(rows: tuple[tuple[str, ...], ...], caption: str, where: str) -> list[YearFigures]:
    """Figures per year from a table with years across the header (or down the first column)."""
    header_index = next((i for i, row in enumerate(rows[:4]) if _year_columns(row)), None)
    if header_index is None:
        transposed = tuple(zip(*rows, strict=False)) if rows and len({len(r) for r in rows}) == 1 else ()
        header_index = next((i for i, row in enumerate(transposed[:3]) if _year_columns(row)), None)
        if header_index is None:
            return []
        rows = transposed
    table_unit = _unit(caption + " " + " ".join(" ".join(r) for r in rows[: header_index + 1])) or "万元"
    figures = []
    for col, (year, complete) in _year_columns(rows[header_index]).items():
        values = _column_values(rows[header_index + 1 :], col, table_unit)
        if any(v is not None for v in values):
            figures.append(YearFigures(year, complete, *values, where=where))
    return figures


def _year_columns(row: Iterable[str]) -> dict[int, tuple[int, bool]]:
    columns = {}
    for col, cell in enumerate(row):
        match = YEAR_RE.search(cell or "")
        if match and col > 0:
            rest = cell[match.end() :]
            columns[col] = (int(match.group(1)), bool(FULL_YEAR_RE.search(rest)) or not PARTIAL_RE.search(rest))
    return columns


def _column_values(rows: Iterable[tuple[str, ...]], col: int, table_unit: str) -> tuple[float | None, ...]:
    total = service = ratio = None
    for row in rows:
        label = next((c for c in row[:col] if c), "")
        if col >= len(row) or not label:
            continue
        unit_cell = next((c.strip() for c in row if c and c.strip() in UNIT_TO_WAN), None)  # a 单位 column
        unit = _unit(label) or unit_cell or table_unit
        if RATIO_RE.search(label):
            ratio = ratio if ratio is not None else parse_ratio(row[col])
        elif SERVICE_RE.search(label):
            service = service if service is not None else parse_amount(row[col], unit)
        elif TOTAL_RE.search(label) and "服务" not in label:
            total = total if total is not None else parse_amount(row[col], unit)
    return total, service, ratio


def _unit(text: str) -> str | None:
    match = UNIT_RE.search(text)
    return match.group(1) if match else None


def prose_figures(sentence: str, where: str) -> list[YearFigures]:
    """'2024年公司实现营业收入3.2亿元，其中服务收入1.18亿元，占比36.9%' → one YearFigures."""
    year_match = re.search(r"(?<!\d)(20[0-4]\d)\s*年(?:度)?(?:\s*1\s*[-－~～至]\s*12\s*月)?(?!\s*\d+\s*[-－~～至]\s*\d+\s*月)(?!上半年)", sentence)
    if not year_match:
        return []
    total = _prose_amount(TOTAL_RE.pattern, sentence)
    service = _prose_amount(SERVICE_RE.pattern, sentence)
    ratio = _prose_ratio(sentence)
    if total is None and service is None and ratio is None:
        return []
    return [YearFigures(int(year_match.group(1)), True, total, service, ratio, where, from_table=False)]


PROSE_RATIO_RE = re.compile(r"占(?:比|(?:营业总收入|营业收入|总收入|主营业务收入)(?:的)?(?:比[重例])?)[^\d。；]{0,6}(\d+(?:\.\d+)?)\s*[%％]")


def _prose_ratio(sentence: str) -> float | None:
    """'服务收入占比42.3%' / '…服务收入合计1.13亿元，占营业收入的26.9%': a share said of service revenue only
    (研发投入占营业收入的5% is no service ratio)."""
    for match in PROSE_RATIO_RE.finditer(sentence):
        if "服务" in sentence[max(0, match.start() - 24) : match.start()]:
            return round(float(match.group(1)) / 100, 4)
    return None


def _prose_amount(label_pattern: str, sentence: str) -> float | None:
    for match in re.finditer(f"(?:{label_pattern}){PROSE_AMOUNT}", sentence):
        label_end = sentence[match.start() : match.start(1)]
        if label_pattern == TOTAL_RE.pattern and "服务" in label_end:
            continue
        return parse_amount(match.group(1) + match.group(2), "万元")
    return None


def best_year(figures: Iterable[YearFigures]) -> YearFigures | None:
    """The most recent complete year, merged over all sources; tables win over prose for the same year."""
    merged: dict[int, YearFigures] = {}
    # A table row labelled 营业收入 is more reliable than a figure picked out of a sentence.
    for fig in sorted(figures, key=lambda f: not f.from_table):
        if not fig.complete:
            continue
        old = merged.get(fig.year)
        merged[fig.year] = fig if old is None else YearFigures(
            fig.year, True, _first(old.total_wan, fig.total_wan), _first(old.service_wan, fig.service_wan),
            _first(old.ratio, fig.ratio), old.where or fig.where, old.from_table)
    usable = [f for f in merged.values() if f.total_wan is not None or f.ratio is not None]
    return max(usable, key=lambda f: (f.total_wan is not None and f.service_wan is not None, f.year), default=None)


def _first(a: float | None, b: float | None) -> float | None:
    return a if a is not None else b
