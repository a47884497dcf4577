"""Fields of the applicant: name, credit code, city, revenues and service ratio."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.model import Document

from . import creditcode
from .catalog import Catalog
from .form import Pair
from .model import Fields
from .money import YearFigures, best_year, prose_figures, table_figures
from .places import city_of, city_of_code, load_places

APPLICANT_LABELS = ("申报单位名称", "申报单位", "单位名称", "企业名称", "公司名称", "申报企业", "平台运营单位",
                    "运营单位名称", "运营单位", "项目承担单位", "项目单位", "承担单位", "实施单位", "建设单位", "申请单位",
                    "机构名称")
ADDRESS_LABELS = ("所在地市", "所在城市", "所在地区", "所属地区", "所在地", "注册地址", "注册地", "通讯地址", "单位地址",
                  "地址", "所属市", "地市")
ORG_SUFFIX = r"(?:集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|集团公司|集团|研究院|研究所|协会|商会|促进会|中心|公司|工厂|厂|大学|学院)"
RATIO_CONFLICT = 0.05  # a stated share this far from service/total means the amount is only a part
UNIT_NOTE_RE = re.compile(r"(?:单位|金额单位|货币单位)\s*[:：]\s*(?:人民币)?\s*(亿元|万元|千元|元)")
OPENING_ORG_RE = re.compile(r"(?:^|[：:，,。\s])([\u4e00-\u9fa5（）()]{2,30}?(?:集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|研究院|协会))")
PROSE_APPLICANT_RE = re.compile(rf"(?:申报单位|单位名称|企业名称)[（(]?(?:盖章|公章)?[)）]?[:：]\s*([^\s，。；:：]{{2,40}}?{ORG_SUFFIX})")


def read_fields(pairs: Sequence[Pair], documents: Sequence[Document], catalog: Catalog) -> Fields:
    applicant = _applicant(pairs, documents)
    code = _credit_code(pairs, documents)
    names, codes = load_places(catalog.root / "cities.yaml")
    city, in_liaoning = _city(pairs, applicant, names)
    if city is None and in_liaoning is None:
        city = city_of_code(code, codes)
        in_liaoning = True if city else (code[2:4] == "21" if code and len(code) == 18 else None)
    figures = best_year(_figures(documents))
    total = figures.total_wan if figures else None
    service = figures.service_wan if figures else None
    ratio = figures.ratio if figures else None
    from_prose = figures is not None and not figures.from_table  # a table's rows beat any sentence
    if from_prose and total and service is not None and ratio is not None and abs(service / total - ratio) > RATIO_CONFLICT:
        # '服务收入占比31.5%' beside '检测服务收入2650万元': the amount is one service line, the
        # stated share is the applicant's own figure for all service revenue.
        service = None
    if total and service is not None:
        ratio = round(service / total, 4)
    elif total and ratio is not None and service is None:
        service = round(total * ratio, 4)
    return Fields(
        applicant=applicant, credit_code=code, credit_code_valid=creditcode.is_valid(code) if code else None,
        city=city, in_liaoning=in_liaoning, year=figures.year if figures else None,
        total_revenue_wan=total, service_revenue_wan=service, service_ratio=ratio,
        sources={"revenue": figures.where} if figures else {},
    )


def _applicant(pairs: Sequence[Pair], documents: Sequence[Document]) -> str | None:
    table_first = sorted(pairs, key=lambda p: not p.from_table)
    for label in APPLICANT_LABELS:
        for pair in table_first:
            if pair.label == label or (pair.label.startswith(label) and len(pair.label) <= len(label) + 4):
                value = _org_name(re.sub(r"[（(]\s*(?:盖章|公章)\s*[)）]", "", pair.value).strip())
                if 2 <= len(value) <= 60:
                    return value
    for doc in documents:
        for block in doc.blocks[:80]:
            match = PROSE_APPLICANT_RE.search(block.text)
            if match:
                return match.group(1)
    return _named_in_opening(documents)


def _named_in_opening(documents: Sequence[Document]) -> str | None:
    """A case narrative without a form names its company in the title or the first sentences."""
    for doc in documents:
        for block in doc.blocks[:6]:
            match = OPENING_ORG_RE.search(block.text)
            if match:
                return match.group(1)
    return None


def _org_name(value: str) -> str:
    """Cut a name that ran on into the next line of a cover page ('…有限公司申报日期：…')."""
    match = re.match(rf"^(\S{{2,40}}?{ORG_SUFFIX})", value)
    return match.group(1) if match and len(value) > len(match.group(1)) + 2 else value


def _credit_code(pairs: Sequence[Pair], documents: Sequence[Document]) -> str | None:
    # The form table is the declaration; a cover letter's line may carry an old or mistyped code.
    for pair in sorted(pairs, key=lambda p: not p.from_table):
        if "信用代码" in pair.label or "组织机构代码" in pair.label:
            codes = creditcode.find_codes(pair.value)
            if codes:
                return codes[0]
            if pair.value.strip():
                return pair.value.strip()
    for doc in documents:
        for block in doc.blocks:
            if "信用代码" in block.text:
                codes = creditcode.find_codes(block.text)
                if codes:
                    return codes[0]
    return None


def _city(pairs: Sequence[Pair], applicant: str | None, names: dict[str, str]) -> tuple[str | None, bool | None]:
    for label in ADDRESS_LABELS:
        for pair in pairs:
            if pair.label.startswith(label):
                city, inside = city_of(pair.value, names)
                if inside is not None:
                    return city, inside
    return city_of(applicant or "", names)


def _figures(documents: Sequence[Document]) -> list[YearFigures]:
    figures: list[YearFigures] = []
    for doc in documents:
        previous = ""
        for block in doc.blocks:
            where = f"{doc.path} 第{block.page}页" if block.page else doc.path
            if block.table:
                caption = previous + " " + _unit_note(doc, block.page)
                figures.extend(table_figures(block.table, caption, where))
            elif "收入" in block.text:
                for sentence in re.split(r"(?<=[。；！？])", block.text):
                    figures.extend(prose_figures(sentence, where))
            if not block.table:
                previous = block.text[-60:]
    return figures


def _unit_note(doc: Document, page: int | None) -> str:
    """'单位：元' printed on the table's page (PDF tables come after the page's text)."""
    if page is None:
        return ""
    notes = (UNIT_NOTE_RE.search(b.text) for b in doc.blocks if b.page == page and not b.table)
    return next((m.group(0) for m in notes if m), "")
