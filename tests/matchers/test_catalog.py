"""The lexicon catalog: the packaged one loads and covers the contract; broken copies fail loudly."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from matchers.catalog import MODE_IDS, TERM_TAGS, Catalog, CatalogError, default_dir, load_catalog
from matchers.model import CONDITION_STATUSES, MODE_STATUSES

CRITERIA_IDS_MD = Path(__file__).resolve().parents[3] / "shared" / "criteria-ids.md"
TABLE_ID_RE = re.compile(r"^\|\s*`([^`]+)`\s*\|", re.MULTILINE)


def _contract_ids() -> list[str]:
    if not CRITERIA_IDS_MD.exists():
        pytest.skip(f"{CRITERIA_IDS_MD} not found")
    return TABLE_ID_RE.findall(CRITERIA_IDS_MD.read_text(encoding="utf-8"))


def test_catalog_packaged_loads(catalog: Catalog) -> None:
    assert tuple(catalog.mode_names) == MODE_IDS
    assert {t.mode for t in catalog.terms} == set(MODE_IDS)
    assert {t.tag for t in catalog.terms} <= set(TERM_TAGS)
    assert all(catalog.cues[name] for name in ("negated", "planned", "concrete", "enumeration"))
    assert catalog.policy_text and len(catalog.digest) == 12


def test_catalog_covers_every_contract_id(catalog: Catalog) -> None:
    ids = _contract_ids()
    assert len(ids) >= 35  # 3 tracks, 10 modes, 18 conditions, 5 statuses: a parse that finds none must fail
    known = set(catalog.tracks) | set(catalog.mode_names) | set(catalog.criteria) | set(MODE_STATUSES) | set(CONDITION_STATUSES)
    assert [i for i in ids if i not in known] == []


def test_catalog_load_is_deterministic(catalog: Catalog) -> None:
    again = load_catalog(None)
    assert (again.digest, again.terms) == (catalog.digest, catalog.terms)


@pytest.fixture
def lexicon_copy(tmp_path: Path) -> Path:
    root = tmp_path / "lexicon"
    shutil.copytree(default_dir(), root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


def _edit_yaml(root: Path, change: Callable[[dict], None]) -> None:
    path = root / "criteria.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _append(path: Path, line: str) -> int:
    """Append a line to a text file; return its physical line number."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.splitlines())


def _drop_criterion(data: dict) -> None:
    data["criteria"] = [c for c in data["criteria"] if c["id"] != "ENT-G3"]


def _bad_track(data: dict) -> None:
    data["criteria"][0]["track"] = "company"


def _bad_ambiguous_mode(data: dict) -> None:
    data["ambiguous"]["EPC"][0]["mode"] = "M11"


def _mode_without_name(data: dict) -> None:
    del data["modes"][4]["name"]


def _unknown_mode(data: dict) -> None:
    data["modes"].append({"id": "M11", "name": "新模式", "terms": "terms/M10.txt"})


# fmt: off
YAML_BREAKS = [
    (_drop_criterion, ("criteria.yaml", "criteria", "ENT-G3")),
    (_bad_track, ("criteria.yaml", "ENT-G1", "company")),
    (_bad_ambiguous_mode, ("criteria.yaml", "EPC", "M11")),
    (_mode_without_name, ("criteria.yaml", "'name'")),
    (_unknown_mode, ("criteria.yaml", "modes", "M11")),
]
# fmt: on


@pytest.mark.parametrize(("change", "named"), YAML_BREAKS)
def test_catalog_broken_yaml_names_file_and_key(lexicon_copy: Path, change: Callable[[dict], None],
                                                named: tuple[str, ...]) -> None:
    _edit_yaml(lexicon_copy, change)
    with pytest.raises(CatalogError) as info:
        load_catalog(lexicon_copy)
    assert all(part in str(info.value) for part in named), str(info.value)


def test_catalog_invalid_yaml_syntax(lexicon_copy: Path) -> None:
    _append(lexicon_copy / "criteria.yaml", "modes: [unclosed")
    with pytest.raises(CatalogError, match=r"criteria\.yaml.*YAML"):
        load_catalog(lexicon_copy)


@pytest.mark.parametrize(("missing", "named"), [("terms/M05.txt", "M05.txt"), ("cues/negated.txt", "negated.txt"),
                                                ("criteria.yaml", "criteria.yaml")])
def test_catalog_missing_file_named(lexicon_copy: Path, missing: str, named: str) -> None:
    (lexicon_copy / missing).unlink()
    with pytest.raises(CatalogError, match=re.escape(named)):
        load_catalog(lexicon_copy)


# fmt: off
BAD_TERM_LINES = [
    # (file, line appended, what the message must quote)
    ("M03.txt", "VMI 10 M03", "VMI 10 M03"),                # an id as tag: jieba would read the word "VMI 10 M03"
    ("M03.txt", "供应链 管理 5000 name", "供应链 管理 5000 name"),  # a space inside the word
    ("M06.txt", "远程运维 3000 prac", "prac"),                # an unknown tag
    ("M06.txt", "远程运维 3000", "None"),                     # no tag
]
# fmt: on


@pytest.mark.parametrize(("file", "line", "quoted"), BAD_TERM_LINES)
def test_catalog_bad_term_line_names_file_and_line(lexicon_copy: Path, file: str, line: str, quoted: str) -> None:
    _append(lexicon_copy / "terms" / file, line)
    with pytest.raises(CatalogError) as info:
        load_catalog(lexicon_copy)
    message = str(info.value)
    assert re.search(rf"{re.escape(file)}:\d+:", message) and f"'{quoted}'" in message, message


@pytest.mark.parametrize(("file", "line"), [("M03.txt", "VMI 10 M03")])
def test_catalog_bad_term_line_number_is_physical(lexicon_copy: Path, file: str, line: str) -> None:
    lineno = _append(lexicon_copy / "terms" / file, line)
    with pytest.raises(CatalogError, match=rf"{re.escape(file)}:{lineno}:"):
        load_catalog(lexicon_copy)


def test_catalog_delivery_constructions_load(catalog: Catalog) -> None:
    assert catalog.delivery and catalog.hedges and catalog.capability
    assert any(p.search("公司为下游客户提供运维服务") for p in catalog.delivery)


def test_catalog_bad_delivery_pattern_named(lexicon_copy: Path) -> None:
    _edit_yaml(lexicon_copy, lambda d: d["delivery"]["patterns"].append("为(客户"))
    with pytest.raises(CatalogError, match="delivery"):
        load_catalog(lexicon_copy)


def test_catalog_delivery_must_be_mapping(lexicon_copy: Path) -> None:
    _edit_yaml(lexicon_copy, lambda d: d.__setitem__("delivery", ["为客户提供"]))
    with pytest.raises(CatalogError, match="delivery"):
        load_catalog(lexicon_copy)


def test_catalog_received_and_naming_constructions_load(catalog: Catalog) -> None:
    assert any(p.search("某公司为公司下属工厂提供节能服务") for p in catalog.received)
    assert not any(p.search("团队为公司客户提供运维服务") for p in catalog.received)
    assert any(p.search("双方就联合采购等议题进行深入交流") for p in catalog.naming)
    # purpose 为 is no beneficiary
    assert not any(p.search("为实现节能目标向用能单位提供服务") for p in catalog.delivery if p.pattern.startswith("为"))


@pytest.mark.parametrize("key", ["received", "naming"])
def test_catalog_bad_received_or_naming_pattern_named(lexicon_copy: Path, key: str) -> None:
    _edit_yaml(lexicon_copy, lambda d: d["delivery"][key].append("关于(议案"))
    with pytest.raises(CatalogError, match=f"delivery 的 {key}"):
        load_catalog(lexicon_copy)


@pytest.mark.parametrize("broken", [{"document": "本次发行(", "done": "完成发行", "terms": "发行"}, {"document": "本次发行"}])
def test_catalog_bad_plan_documents_names_the_mode(lexicon_copy: Path, broken: dict) -> None:
    def change(data: dict) -> None:
        next(m for m in data["modes"] if m["id"] == "M09")["plan_documents"] = broken

    _edit_yaml(lexicon_copy, change)
    with pytest.raises(CatalogError, match=r"M09 的 plan_documents"):
        load_catalog(lexicon_copy)


def test_catalog_ships_the_offering_document_rule_for_m09(catalog: Catalog) -> None:
    assert [r.mode for r in catalog.plan_documents] == ["M09"]
