"""Flags when the files of one package disagree on who the applicant is."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from extractors.model import Document, Problem
from extractors.problems import problem

from . import creditcode
from .form import Pair
from .model import Fields


def consistency_problems(pairs: Sequence[Pair], documents: Sequence[Document], fields: Fields,
                         code_city: str | None = None) -> Iterator[Problem]:
    """Credit codes and applicant names that differ between files; a city that the code's division contradicts."""
    if fields.city and code_city and fields.city != code_city and fields.credit_code_valid:
        yield problem("inconsistent", "", detail=f"所在城市（{fields.city}）与统一社会信用代码中的行政区划（{code_city}）不一致")
    codes: dict[str, set[str]] = {}
    for doc in documents:
        for block in doc.blocks:
            if "信用代码" in block.text:
                for code in creditcode.find_codes(block.text):
                    codes.setdefault(code, set()).add(doc.path)
    if len(codes) > 1:
        detail = "；".join(f"{c}（{'、'.join(sorted(files))}）" for c, files in sorted(codes.items()))
        yield problem("inconsistent", "", detail=f"统一社会信用代码不一致：{detail}")
    names = {p.value.strip() for p in pairs if p.label in ("申报单位名称", "申报单位", "单位名称", "企业名称")}
    if fields.applicant and len(names) > 1:
        yield problem("inconsistent", "", detail=f"申报单位名称不一致：{'、'.join(sorted(names))}")
