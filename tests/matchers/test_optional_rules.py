"""The catalog's optional rules (commented out, for the review office to switch on) stay valid and do what they say."""

from __future__ import annotations

import shutil
from pathlib import Path

from extractors.model import Block, Document
from matchers.analyze import analyze
from matchers.catalog import default_dir

OPTIONAL_PREFIX = "      # - '"


def _lexicon_with_optional_rules(tmp_path: Path) -> Path:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(default_dir(), lexicon, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    catalog = lexicon / "criteria.yaml"
    lines = catalog.read_text(encoding="utf-8").splitlines()
    switched = [line.replace("# - '", "- '", 1) if line.startswith(OPTIONAL_PREFIX) else line for line in lines]
    assert switched != lines, "criteria.yaml should carry the optional rules"
    catalog.write_text("\n".join(switched) + "\n", encoding="utf-8")
    return lexicon


def _modes(lexicon: Path | None, text: str):
    doc = Document("a.txt", "text", (Block(0, 1, text),))
    return analyze([doc], lexicon).modes


def test_optional_standards_rule_makes_drafting_standards_evidence(tmp_path: Path) -> None:
    text = "公司积极参与多项再制造国家标准编制，已发布3项。"
    assert _modes(None, text)["M05"].status == "absent"
    assert _modes(_lexicon_with_optional_rules(tmp_path), text)["M05"].status == "evidenced"


def test_optional_listing_rule_needs_an_exchange(tmp_path: Path) -> None:
    lexicon = _lexicon_with_optional_rules(tmp_path)
    assert _modes(lexicon, "公司于2021年4月在深交所创业板上市，募集资金8亿元。")["M09"].status == "evidenced"
    assert _modes(lexicon, "公司新款SUV已于2020年正式上市，销量突破3万台。")["M09"].status == "absent"
