"""Addresses → one of Liaoning's 14 prefecture-level cities, via lexicon/cities.yaml."""

from __future__ import annotations

import pytest

from matchers.catalog import Catalog
from matchers.places import city_of, city_of_code, load_places


@pytest.fixture(scope="module")
def places(catalog: Catalog) -> tuple[dict[str, str], dict[str, str]]:
    return load_places(catalog.root / "cities.yaml")


# fmt: off
CITY_CASES = [
    ("辽宁省大连市甘井子区", ("大连", True)),
    ("海城市", ("鞍山", True)),
    ("瓦房店市", ("大连", True)),
    ("兴城市", ("葫芦岛", True)),
    ("北票市", ("朝阳", True)),
    ("新民市", ("沈阳", True)),
    ("本溪满族自治县", ("本溪", True)),
    ("营口市鲅鱼圈区", ("营口", True)),
    ("沈阳市铁西区", ("沈阳", True)),
    ("鞍山市铁西区", ("鞍山", True)),
    ("辽宁省朝阳市", ("朝阳", True)),
    ("辽宁省朝阳市双塔区", ("朝阳", True)),
    ("北京市朝阳区", (None, False)),         # 朝阳区 is Beijing's
    ("江苏省苏州市", (None, False)),
    ("上海市浦东新区", (None, False)),
    ("天津市和平区", (None, False)),         # 和平区 is also Shenyang's
    ("吉林省辽源市", (None, False)),
    ("义乌市", (None, None)),
    ("", (None, None)),
]
# fmt: on


@pytest.mark.parametrize(("address", "expected"), CITY_CASES)
def test_places_city_of(places: tuple[dict[str, str], dict[str, str]], address: str, expected: tuple) -> None:
    names, _ = places
    assert city_of(address, names) == expected


def test_places_every_city_has_code(places: tuple[dict[str, str], dict[str, str]]) -> None:
    _, codes = places
    assert len(codes) == 14
    assert all(code.startswith("21") and len(code) == 4 for code in codes)


@pytest.mark.parametrize(
    ("code", "city"),
    [("91210200MA0Q12345X", "大连"), ("91211400MA0Q12345X", "葫芦岛"), ("91110000600037341L", None), (None, None),
     ("9121", None)],
)
def test_places_city_of_code(places: tuple[dict[str, str], dict[str, str]], code: str | None, city: str | None) -> None:
    _, codes = places
    assert city_of_code(code, codes) == city
