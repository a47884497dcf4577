"""Rules the policy text names outright: standards drafting is M05 (（五）参与相关标准制定) and a listing on an
exchange is M09 (（九）上市). The office can switch either off by commenting its line in criteria.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractors.model import Block, Document
from matchers.analyze import analyze
from matchers.catalog import default_dir


def _modes(lexicon: Path | None, text: str):
    doc = Document("a.txt", "text", (Block(0, 1, text),))
    return analyze([doc], lexicon).modes


def _lexicon_copy(tmp_path: Path) -> Path:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(default_dir(), lexicon, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return lexicon


def _lexicon_without_patterns_of(tmp_path: Path, marker: str) -> Path:
    """A copy of the shipped lexicon with every pattern line containing `marker` commented out, as an office would."""
    lexicon = _lexicon_copy(tmp_path)
    catalog = lexicon / "criteria.yaml"
    lines = catalog.read_text(encoding="utf-8").splitlines()
    edited = [
        line.replace("- '", "# - '", 1) if line.lstrip().startswith("- '") and marker in line else line
        for line in lines
    ]
    assert edited != lines, f"criteria.yaml should carry a pattern with {marker}"
    catalog.write_text("\n".join(edited) + "\n", encoding="utf-8")
    return lexicon


def test_drafting_a_standard_is_inspection_and_certification_practice() -> None:
    assert _modes(None, "公司积极参与多项再制造国家标准编制，已发布3项。")["M05"].status == "evidenced"
    assert _modes(None, "公司主持或参与制定国家和行业标准11项。")["M05"].status == "evidenced"
    assert _modes(None, "公司先后主导、参与制修订52项国家、行业及团体标准。")["M05"].status == "evidenced"
    text = "该产品国家标准由某某阀门股份有限公司、某省特种设备检验研究院等5家单位起草，已于2020年发布实施。"
    assert _modes(None, text)["M05"].status == "evidenced"


def test_working_to_a_standard_is_not_drafting_one() -> None:
    assert _modes(None, "公司严格按照国家标准组织生产，产品合格率99.8%。")["M05"].status == "absent"


def test_listing_needs_an_exchange() -> None:
    assert _modes(None, "公司于2021年4月在深交所创业板上市，募集资金8亿元。")["M09"].status == "evidenced"
    assert _modes(None, "公司新款SUV已于2020年正式上市，销量突破3万台。")["M09"].status == "absent"
    assert _modes(None, "公司成立于2001年，2007 年于 A 股上市。")["M09"].status == "evidenced"
    assert _modes(None, "某某玻璃集团，1993年上市，现为全球最大的汽车玻璃供应商之一。")["M09"].status == "evidenced"
    # an identity, a ranking among listed firms and a product launch are not the company's listing
    assert _modes(None, "公司在A股上市公司中研发投入排名第一。")["M09"].status != "evidenced"
    assert _modes(None, "公司2020年上市新品12款，销量突破3万台。")["M09"].status == "absent"


def test_spending_raised_funds_shows_the_offering_is_done() -> None:
    text = "截至2019年3月7日，合同能源管理营运资金项目累计使用募集资金684.80万元，剩余10,762.34万元。"
    assert _modes(None, text)["M09"].status == "evidenced"
    assert _modes(None, "本次发行募集资金将用于智能工厂建设项目。")["M09"].status != "evidenced"


def test_landing_on_an_exchange_is_a_listing() -> None:
    assert _modes(None, "2010年1月，格林美登陆深交所中小板。")["M09"].status == "evidenced"
    assert _modes(None, "2017年3月，某某电器成功登陆A股。")["M09"].status == "evidenced"


def test_acquiring_a_company_is_capital_operation_being_acquired_is_not() -> None:
    assert _modes(None, "2019年公司已收购奥地利公司LMF，并在美国设立子公司。")["M09"].status == "evidenced"
    assert _modes(None, "这家由香港上市公司收购股权的丝绸企业，外销占90%。")["M09"].status != "evidenced"
    assert _modes(None, "公司每年收购废旧电池2万吨。")["M09"].status == "absent"


def test_the_office_can_switch_the_standards_rule_off(tmp_path: Path) -> None:
    lexicon = _lexicon_without_patterns_of(tmp_path, "(?:国家|行业|团体|国际|地方)标准")
    text = "公司积极参与多项再制造国家标准编制，已发布3项。"
    # The sentence model learned the practice from labelled real text too: switching a practice off
    # entirely means switching the model off as well (deleting its section of criteria.yaml).
    assert _modes(lexicon, text)["M05"].status == "evidenced"
    assert "模型判断" in _modes(lexicon, text)["M05"].reason
    lexicon = _lexicon_without_patterns_of(tmp_path / "rules-only", "(?:国家|行业|团体|国际|地方)标准")
    catalog = lexicon / "criteria.yaml"
    text_yaml = catalog.read_text(encoding="utf-8")
    start = text_yaml.index("sentence_model:")
    end = text_yaml.index("\n\n", start)
    catalog.write_text(text_yaml[:start] + text_yaml[end + 2 :], encoding="utf-8")
    assert _modes(lexicon, text)["M05"].status == "absent"


# The labelling convention of every real set: a prospectus or an offering plan is the planned stage of a listing.
PROSPECTUS = ("德州某石油科技股份有限公司拟申请首次公开发行股票并在创业板上市（以下简称“本次发行”），"
              "并已聘请华融证券股份有限公司作为本次发行的保荐人。")


def test_an_offering_document_plans_the_offering_it_applies_for() -> None:
    finding = _modes(None, PROSPECTUS)["M09"]
    assert finding.status == "planned"
    assert "发行文件" in finding.evidence[0].reason


def test_an_offering_document_that_reports_completion_is_evidence() -> None:
    text = PROSPECTUS + "公司已于2021年完成首次公开发行，股票在深交所创业板上市交易，募集资金净额8.2亿元。"
    assert _modes(None, text)["M09"].status == "evidenced"
    # a capital-verification report (验资报告) exists only once the money is in
    text = PROSPECTUS + "本次发行募集资金已经会计师事务所出具的《验资报告》验证。"
    assert _modes(None, text)["M09"].status == "evidenced"


def test_quotation_on_the_neeq_is_a_listing() -> None:
    assert _modes(None, "2015年10月8日，公司股票在全国股转系统挂牌转让。")["M09"].status == "evidenced"


def test_other_finance_in_an_offering_document_stays_evidence() -> None:
    text = PROSPECTUS + "报告期内，公司通过控股的融资租赁公司为下游客户提供融资租赁服务，累计投放3.6亿元。"
    assert _modes(None, text)["M09"].status == "evidenced"


def test_the_office_can_switch_the_offering_document_rule_off(tmp_path: Path) -> None:
    lexicon = _lexicon_copy(tmp_path)
    catalog = lexicon / "criteria.yaml"
    lines = catalog.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "plan_documents:")
    catalog.write_text("\n".join(lines[:at] + lines[at + 4:]) + "\n", encoding="utf-8")
    assert _modes(lexicon, PROSPECTUS)["M09"].status == "evidenced"


# News of a listing under way (辅导备案, 递交上市申请, 闯关IPO) is the same planned stage as a prospectus.
@pytest.mark.parametrize("text", [
    "2023年6月，某某智能装备股份有限公司在辽宁证监局办理辅导备案登记，由中信证券担任辅导机构。",
    "2024年3月18日，某某重工第二次向香港联合交易所递交主板上市申请，独家保荐人为中金公司。",
    "近日，某某设计股份有限公司更新财务资料，继续闯关科创板IPO。",
])
def test_a_listing_under_way_is_planned(text: str) -> None:
    assert _modes(None, text)["M09"].status == "planned"


def test_a_completed_listing_outweighs_news_of_the_application() -> None:
    text = ("2019年某某装备向深交所递交上市申请。" "2021年4月公司完成首次公开发行，股票在深交所创业板上市交易。")
    assert _modes(None, text)["M09"].status == "evidenced"
