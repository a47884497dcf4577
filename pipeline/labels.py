"""Chinese labels for ids and statuses, shared by the writers and eval."""

from __future__ import annotations

STATUS_ZH = {
    "evidenced": "有证据", "planned": "仅计划", "negated": "明确未开展", "mentioned": "仅提及", "absent": "未发现",
    "met": "满足", "weak": "较弱", "missing": "缺失",
}
STATUS_COLOR = {  # fill colours, the same on every sheet
    "evidenced": "C6EFCE", "met": "C6EFCE", "planned": "DDEBF7", "weak": "FFEB9C", "negated": "F8CBAD",
    "mentioned": "EDEDED", "absent": "FFFFFF", "missing": "FFC7CE",
}
TRACK_ZH = {"enterprise": "示范企业", "project": "示范项目", "platform": "示范平台"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
CRITERIA_ZH = {
    "ENT-G1": "重视对服务的投入和模式创新", "ENT-G2": "具有明确稳定的服务对象",
    "ENT-G3": "提供特色化、专业化、高效化、绿色化的服务", "ENT-G4": "综合服务收入占总收入比例较高",
    "ENT-G5": "生产技术与工艺、服务能力和水平具有一定优势地位", "PRJ-C": "项目方向与建设内容", "PRJ-P": "项目绩效",
    "PLT-T1": "面向行业或领域的专业服务平台", "PLT-T2": "面向区域的综合服务平台",
    "PLT-C1": "健全的管理团队和人才队伍", "PLT-C2": "健全的管理制度", "PLT-C3": "规范的服务流程",
    "PLT-C4": "合理的收费标准", "PLT-C5": "完善的服务质量保证措施", "PLT-C6": "财务收支状况良好",
    "PLT-C7": "明确的发展规划和目标，良好的发展前景和可持续发展能力", "PLT-C8": "建有网络服务平台，具有在线服务、线上线下联动功能",
    "PLT-C9": "线下服务的良好业绩/为服务对象做出的积极成绩",
}
MODE_ZH = {
    "M01": "工业设计服务", "M02": "定制化服务", "M03": "供应链管理", "M04": "共享制造", "M05": "检验检测认证服务",
    "M06": "全生命周期管理", "M07": "总集成总承包", "M08": "节能环保服务", "M09": "生产性金融服务", "M10": "其他创新模式",
}


def target_zh(target: str) -> str:
    return MODE_ZH.get(target) or CRITERIA_ZH.get(target, target)
