"""Map an address or a name to one of Liaoning's 14 prefecture-level cities."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建", "江西",
             "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃",
             "青海", "宁夏", "新疆", "香港", "澳门", "台湾")


@functools.cache
def load_places(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(place name → city, 4-digit division prefix → city) from lexicon/cities.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for city, info in data.items():
        codes[str(info["code"])] = city
        names[f"{city}市"] = city
        names[city] = city
        for place in info.get("places", []):
            names[place] = city
            short = re.sub(r"(满族自治县|蒙古族自治县|自治县|新区|区|县|市)$", "", place)
            if len(short) >= 2 and short not in names:
                names.setdefault(short, city)
    return names, codes


def city_of(text: str, places: dict[str, str]) -> tuple[str | None, bool | None]:
    """(city, in_liaoning) for an address; the earliest, longest place name wins."""
    if not text:
        return None, None
    best: tuple[int, int, str] | None = None
    for name, city in places.items():
        pos = text.find(name)
        if pos >= 0 and _not_other_place(text, pos, name) and (best is None or (pos, -len(name)) < (best[0], -best[1])):
            best = (pos, len(name), city)
    other = next((p for p in PROVINCES if p in text), None)
    if best and (other is None or "辽宁" in text or text.find(other) > best[0]):
        return best[2], True
    if other:
        return None, False
    return None, None


def _not_other_place(text: str, pos: int, name: str) -> bool:
    # 朝阳区 is in Beijing, 铁西区 exists in two Liaoning cities: only take them with their city.
    after = text[pos + len(name) : pos + len(name) + 1]
    return not (name == "朝阳" and after == "区")


def city_of_code(code: str | None, codes: dict[str, str]) -> str | None:
    if not code or len(code) < 8:
        return None
    return codes.get(code[2:6])
