from __future__ import annotations

from extractors.model import Block, Document
from matchers.analyze import analyze

FORM = "申报类别\t☑示范企业 □示范项目 □示范平台"


def _doc(*texts: str) -> Document:
    return Document("a.docx", "docx", tuple(Block(i, 1, t) for i, t in enumerate((FORM, *texts))))


def test_conditions_service_practice_shows_investment_and_model_change() -> None:
    analysis = analyze([_doc("2022年起公司为42家客户实施供应商管理库存（VMI），库存周转天数由38天降至21天。",
                             "公司建成远程运维中心，累计接入设备1200台，开展预测性维护服务。")])
    assert analysis.track == "enterprise"
    g1 = analysis.criteria["ENT-G1"]
    assert g1.status == "met" and "M03" in g1.reason and "M06" in g1.reason


def test_conditions_one_mode_practised_shows_service_investment() -> None:
    # thresholds.service_practice_modes (1): a service run with customers and figures is the investment.
    analysis = analyze([_doc("公司建成远程运维中心，累计接入设备1200台，开展预测性维护服务。")])
    assert analysis.criteria["ENT-G1"].status == "met" and "M06" in analysis.criteria["ENT-G1"].reason


def test_conditions_no_mode_practised_and_no_cue_is_not_enough() -> None:
    analysis = analyze([_doc("公司计划建设远程运维中心。")])
    assert analysis.criteria["ENT-G1"].status == "missing"


def test_conditions_customers_counted_show_stable_service_objects() -> None:
    counted = analyze([_doc("目前入园企业86家，共享设备平均利用率由45%提高到78%。")])
    assert counted.criteria["ENT-G2"].status == "met"


def test_conditions_form_rows_are_no_evidence() -> None:
    # 其他创新模式 contains 新模式; a ticked form row says nothing about investment or innovation.
    analysis = analyze([_doc("服务模式\t☑其他创新模式 □工业设计服务")])
    assert analysis.criteria["ENT-G1"].status == "missing"


PLATFORM_FORM = "申报类别：□示范企业 □示范项目 ☑示范平台"


def _platform(*texts: str):
    doc = Document("p.docx", "docx", tuple(Block(i, 1, t) for i, t in enumerate((PLATFORM_FORM, *texts))))
    return analyze([doc]).criteria


def test_conditions_named_rules_needed_for_management_system() -> None:
    general = _platform("平台建立了较为完善的管理制度，2024年运行良好。")
    named = _platform("平台制定了《平台服务管理办法》《专家库管理制度》等12项制度。")
    assert general["PLT-C2"].status == "weak" and named["PLT-C2"].status == "met"


def test_conditions_prices_needed_for_fee_standard() -> None:
    general = _platform("平台收费合理，2024年服务企业300家。")
    priced = _platform("平台检测服务按次收费，会员企业享受8折优惠，初次诊断免费。")
    assert general["PLT-C4"].status == "weak" and priced["PLT-C4"].status == "met"


def test_conditions_one_general_sentence_does_not_satisfy_three() -> None:
    # 收入, 服务流程 and 注册用户 cue three platform conditions; the sentence states them, it does not show them.
    broad = _platform("平台已建立规范的服务流程，收入稳步增长，线上注册用户不断增加。")
    assert [broad[c].status for c in ("PLT-C3", "PLT-C6", "PLT-C8")] == ["weak", "weak", "weak"]
    figures = _platform("平台已建立规范的服务流程，2024年收入1,260万元，线上注册用户3,200家。")
    assert figures["PLT-C6"].status == "met" and figures["PLT-C8"].status == "met"


def test_conditions_flow_steps_needed_for_service_process() -> None:
    general = _platform("平台已建立规范的服务流程。")
    steps = _platform("平台服务按照“线上受理—需求确认—派单对接—服务实施—验收评价”流程办理。")
    assert general["PLT-C3"].status == "weak" and steps["PLT-C3"].status == "met"


def test_conditions_figures_needed_for_finances() -> None:
    general = _platform("平台近年来收入逐年增长，财务收支状况良好。")
    figures = _platform("2024年平台实现营业收入3,684万元，资产负债率32%。")
    assert general["PLT-C6"].status == "weak" and figures["PLT-C6"].status == "met"
