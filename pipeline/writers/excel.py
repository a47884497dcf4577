"""The reviewers' workbook: 汇总, 证据, 问题, 模式统计, 说明 (Chinese sheet names and headers)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from extractors.model import Problem
from matchers.catalog import MODE_IDS
from matchers.model import MODE_STATUSES, Evidence, Finding

from ..labels import MODE_ZH, SEVERITY_ZH, STATUS_COLOR, STATUS_ZH, TRACK_ZH, target_zh
from ..model import AuditResult
from ..stats import mode_frame
from .atomic import atomic_path
from .cells import HEADER_FILL, HEADER_FONT, print_setup, put, style
from .report_html import target_page
from .review import (
    CHANGE_HEADER,
    FINGERPRINT_HEADER,
    HISTORY_HEADERS,
    REVIEW_HEADERS,
    VERDICTS,
    Review,
    Reviews,
    change_note,
    orphaned,
)
from .stats_sheet import write_statistics

WRAP = Alignment(wrap_text=True, vertical="top")
REVIEW_FILL = PatternFill("solid", fgColor="FFF2CC")
CHANGED_FILL = PatternFill("solid", fgColor="F4B084")
STATUS_FILLS = {status: PatternFill("solid", fgColor=color) for status, color in STATUS_COLOR.items()}
WHITE_FILL = PatternFill("solid", fgColor="FFFFFF")
LINK_FONT = Font(color="0563C1", underline="single")
REVIEW_TAIL = [*REVIEW_HEADERS, CHANGE_HEADER, FINGERPRINT_HEADER]


@dataclass(frozen=True, slots=True)
class RunInfo:
    tool_version: str
    catalog_version: str
    catalog_digest: str
    input_dir: str
    started: str
    seconds: float
    problems: tuple[Problem, ...] = ()  # about the input folder itself (loose files), not any submission
    report_dir: str = ""  # the evidence view (--report): 页码 cells link to its pages


SUMMARY_HEADERS = ["申报材料", "申报单位", "统一社会信用代码", "代码校验", "所在城市", "辽宁省内", "申报类别", "申报模式/项目类型",
                   "平台类型", "数据年度", "总收入（万元）", "服务收入（万元）", "服务收入占比",
                   *(f"{m} {MODE_ZH[m]}" for m in MODE_IDS), "条件满足", "问题数", "文件数", "页数"]
LEADS_HEADER = "待复核线索（模型）"
MODE_CATEGORY = "服务模式"
EVIDENCE_HEADERS = ["申报材料", "编号", "名称", "类别", "状态", "状态说明", "得分", "文件", "页码", "原文", "命中词", "判定理由",
                    "来源", "更多证据", LEADS_HEADER]
PROBLEM_HEADERS = ["申报材料", "文件", "问题类型", "严重程度", "说明"]


def write_workbook(results: Sequence[AuditResult], path: Path, info: RunInfo, reviews: Reviews | None = None) -> None:
    """Write the workbook to a temporary file, then rename it over the target.

    reviews: reviewer columns read from the previous workbook at this path; they are
    carried over by (submission, id), and rows whose key is gone go to 历史意见.
    """
    reviews = reviews or Reviews()
    wb = Workbook()
    wb.remove(wb.active)
    links = _Links(Path(info.input_dir), path.parent, Path(info.report_dir) if info.report_dir else None)
    keys = _summary(wb.create_sheet("汇总"), results, reviews)
    keys += _evidence(wb.create_sheet("证据"), results, reviews, links)
    _problems(wb.create_sheet("问题"), results, info.problems)
    _statistics(wb.create_sheet("模式统计"), results)
    _history(wb.create_sheet("历史意见"), orphaned(reviews, keys, info.started))
    _about(wb.create_sheet("说明"), results, info)
    _lists(wb)
    with atomic_path(path) as tmp:
        wb.save(tmp)


@dataclass(frozen=True, slots=True)
class _Links:
    """Relative hyperlinks from the workbook to the source files, so both can move together."""

    input_dir: Path
    workbook_dir: Path
    report_dir: Path | None = None

    def target(self, submission: str, file: str | None) -> str | None:
        if not file:
            return None
        base = self.input_dir if self.input_dir.is_file() else self.input_dir / submission
        source = base if base.is_file() else base / file  # files inside a .zip link to the zip
        if not source.exists() and self.input_dir.name == submission:
            source = self.input_dir / file
        return self._href(source)

    def report(self, submission: str, target: str) -> str | None:
        return self._href(self.report_dir / target_page(submission, target)) if self.report_dir else None

    def _href(self, path: Path) -> str:
        try:
            return Path(os.path.relpath(path.resolve(), self.workbook_dir.resolve())).as_posix()
        except ValueError:  # another drive on Windows
            return path.resolve().as_uri()


def _lists(wb: Workbook) -> None:
    """Drop-down values on a hidden sheet (an inline list breaks on commas and has a length limit)."""
    ws = wb.create_sheet("选项")
    for i, verdict in enumerate(VERDICTS, start=1):
        ws.cell(row=i, column=1, value=verdict)
    for i, status in enumerate((*MODE_STATUSES, "met", "weak", "missing"), start=1):
        ws.cell(row=i, column=2, value=status)
    ws.sheet_state = "hidden"


def _review_columns(ws: Worksheet, first_col: int, rows: int) -> None:
    """Drop-downs for 审核结论 and 人工状态 on every data row."""
    if rows < 1:
        return
    verdict = DataValidation(type="list", formula1="=选项!$A$1:$A$4", allow_blank=True)
    status = DataValidation(type="list", formula1="=选项!$B$1:$B$8", allow_blank=True)
    verdict.add(f"{get_column_letter(first_col)}2:{get_column_letter(first_col)}{rows + 1}")
    col = first_col + REVIEW_HEADERS.index("人工状态")
    status.add(f"{get_column_letter(col)}2:{get_column_letter(col)}{rows + 1}")
    ws.add_data_validation(verdict)
    ws.add_data_validation(status)


def _put_review(ws: Worksheet, row: int, col: int, review: Review | None, machine: str) -> None:
    for i, value in enumerate(review.values if review else (None,) * len(REVIEW_HEADERS)):
        cell = style(put(ws, row, col + i, value), fill=REVIEW_FILL)
        if REVIEW_HEADERS[i] == "审核日期" and value is not None:
            cell.number_format = "yyyy-mm-dd"
    note = change_note(review, machine)
    cell = put(ws, row, col + len(REVIEW_HEADERS), note)
    if note:
        style(cell, fill=CHANGED_FILL)
    put(ws, row, col + len(REVIEW_HEADERS) + 1, machine)


def _header(ws: Worksheet, headers: Sequence[str], widths: dict[str, int] | None = None) -> None:
    for col, name in enumerate(headers, start=1):
        cell = put(ws, 1, col, name)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = (widths or {}).get(name, 14)
    ws.freeze_panes = "B2"


def _finish(ws: Worksheet) -> None:
    print_setup(ws)
    if ws.max_row >= 1 and ws.max_column >= 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


def _status_cell(ws: Worksheet, row: int, col: int, status: str) -> None:
    style(put(ws, row, col, status), fill=STATUS_FILLS.get(status, WHITE_FILL))


def _summary(ws: Worksheet, results: Sequence[AuditResult], reviews: Reviews) -> list[tuple[str, str]]:
    headers = [*SUMMARY_HEADERS, *REVIEW_TAIL]
    _header(ws, headers, {"申报材料": 30, "申报单位": 30, "统一社会信用代码": 22, "申报模式/项目类型": 18, "审核意见": 40,
                          CHANGE_HEADER: 30, FINGERPRINT_HEADER: 30})
    for row, r in enumerate(results, start=2):
        f = r.fields
        met = sum(c.status == "met" for c in r.criteria.values())
        values = [r.submission, f.applicant, f.credit_code, _valid(f.credit_code_valid), f.city, _yes(f.in_liaoning),
                  TRACK_ZH.get(r.track or "", "未识别"), "、".join(f"{m}{MODE_ZH[m]}" for m in r.declared_modes),
                  r.platform_type, f.year, f.total_revenue_wan, f.service_revenue_wan, f.service_ratio,
                  *(r.modes[m].status for m in MODE_IDS), f"{met}/{len(r.criteria)}", len(r.problems), len(r.files), r.pages]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value)
        ws.cell(row=row, column=SUMMARY_HEADERS.index("服务收入占比") + 1).number_format = "0.0%"
        first_mode = SUMMARY_HEADERS.index(f"M01 {MODE_ZH['M01']}") + 1
        for i, mode in enumerate(MODE_IDS):
            _status_cell(ws, row, first_mode + i, r.modes[mode].status)
        _put_review(ws, row, len(SUMMARY_HEADERS) + 1, reviews.rows.get((r.submission, "")), summary_fingerprint(r))
    _review_columns(ws, len(SUMMARY_HEADERS) + 1, len(results))
    _finish(ws)
    return [(r.submission, "") for r in results]


def summary_fingerprint(r: AuditResult) -> str:
    """The machine's overall finding for a submission, short enough to compare between runs."""
    evidenced = ",".join(m for m in MODE_IDS if r.modes[m].status == "evidenced") or "无"
    met = sum(c.status == "met" for c in r.criteria.values())
    return f"有证据模式:{evidenced}；条件满足{met}/{len(r.criteria)}"


def _valid(flag: bool | None) -> str:
    return {True: "正确", False: "校验位错误", None: "未找到"}[flag]


def _yes(flag: bool | None) -> str:
    return {True: "是", False: "否", None: "未知"}[flag]


def _evidence(ws: Worksheet, results: Sequence[AuditResult], reviews: Reviews, links: _Links) -> list[tuple[str, str]]:
    headers = [*EVIDENCE_HEADERS, *REVIEW_TAIL]
    _header(ws, headers, {"申报材料": 26, "名称": 22, "文件": 26, "原文": 70, "判定理由": 28, "更多证据": 60,
                          LEADS_HEADER: 50, "审核意见": 40, CHANGE_HEADER: 24})
    row = 2
    keys = []
    for r in results:
        targets = sorted([*((m, r.modes[m], MODE_CATEGORY) for m in MODE_IDS), *((c, f, "申报条件") for c, f in r.criteria.items())])
        for target, finding, category in targets:
            _evidence_row(ws, row, r.submission, target, finding, category, links)
            _put_review(ws, row, len(EVIDENCE_HEADERS) + 1, reviews.rows.get((r.submission, target)), finding.status)
            keys.append((r.submission, target))
            row += 1
    _review_columns(ws, len(EVIDENCE_HEADERS) + 1, row - 2)
    _finish(ws)
    return keys


def _evidence_row(ws: Worksheet, row: int, submission: str, target: str, finding: Finding, category: str,
                  links: _Links) -> None:
    best = finding.evidence[0] if finding.evidence else None
    more = "\n".join(quote_line(e) for e in finding.evidence[1:])
    leads = "\n".join(quote_line(e, with_score=True) for e in finding.hints)
    values = [submission, target, target_zh(target), category, finding.status, STATUS_ZH.get(finding.status, ""),
              round(finding.score, 3), best.file if best else None, _page_label(best),
              best.text if best else None, "、".join(best.terms) if best else None, finding.reason,
              SOURCE_ZH.get(best.source, "文字") if best else None, more or None, leads or None]
    for col, value in enumerate(values, start=1):
        cell = put(ws, row, col, value)
        if col in (10, 12, 14, 15):
            style(cell, alignment=WRAP)
    _status_cell(ws, row, 5, finding.status)
    for column, link in ((8, links.target(submission, best.file if best else None)),
                         (9, links.report(submission, target) if best else None)):
        if link:
            cell = ws.cell(row=row, column=column)
            cell.hyperlink = link
            style(cell, font=LINK_FONT)


def quote_line(e: Evidence, with_score: bool = False) -> str:
    """One line of a 更多证据 / 待复核线索 cell; pipeline.review_sentences.lines_of reads it back."""
    return (f"（{e.score:.2f}）" if with_score else "") + f"{e.file} 第{e.page or '-'}页：{e.text}"


def _page_label(evidence: Evidence | None) -> int | str | None:
    """The PDF page index, with the page number printed on the page when it differs (封面不编页码)."""
    if evidence is None or evidence.page is None:
        return None
    if evidence.printed_page is not None and evidence.printed_page != evidence.page:
        return f"{evidence.page}（印刷页码{evidence.printed_page}）"
    return evidence.page


SOURCE_ZH = {"ocr": "OCR识别（请核对原件）", "table": "表格", "text": "文字"}


def _history(ws: Worksheet, rows: Sequence[tuple[object, ...]]) -> None:
    _header(ws, HISTORY_HEADERS, {"申报材料": 26, "审核意见": 40, "当时机审结论": 30})
    for i, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            put(ws, i, col, value)
    _finish(ws)


def _problems(ws: Worksheet, results: Sequence[AuditResult], batch: Sequence[Problem]) -> None:
    _header(ws, PROBLEM_HEADERS, {"申报材料": 26, "文件": 30, "说明": 80})
    rows = [("（输入目录）", p) for p in batch] + [(r.submission, p) for r in results for p in r.problems]
    for row, (submission, p) in enumerate(rows, start=2):
        values = [submission, p.file or "（整份材料）", p.kind, SEVERITY_ZH.get(p.severity, p.severity), p.message]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value).alignment = WRAP
    _finish(ws)


def _statistics(ws: Worksheet, results: Sequence[AuditResult]) -> None:
    write_statistics(ws, mode_frame(r.to_json() for r in results))


def _about(ws: Worksheet, results: Sequence[AuditResult], info: RunInfo) -> None:
    rows = [
        ("运行信息", ""), ("工具版本", f"smaudit {info.tool_version}"), ("审核目录版本", info.catalog_version),
        ("词典与目录指纹", info.catalog_digest), ("输入目录", info.input_dir), ("运行时间", info.started),
        ("耗时（秒）", info.seconds), ("申报材料数", len(results)), ("文件数", sum(len(r.files) for r in results)),
        ("已记录哈希的文件数", sum(1 for r in results for f in r.files if f.sha256)), ("", ""),
        ("状态说明", ""),
        *((f"{code}（{zh}）", _STATUS_HELP[code]) for code, zh in STATUS_ZH.items()),
        ("", ""), ("得分", "0–1：越高表示证据越具体（实践术语、数据、已完成的动作）；仅供排序参考，以审核人判断为准。"),
        ("颜色", "绿色=有证据/满足，蓝色=仅计划，黄色=较弱，橙色=明确未开展，灰色=仅提及，红色=缺失。"),
        (LEADS_HEADER, "机审仍为“未发现/仅提及”的模式，句子模型认为可能是该模式实践的句子（概率达到 criteria.yaml 的 "
                           "hint_threshold、未到 threshold），每个模式最多两句，括号内为概率。线索不改变机审结论，请阅读后判断。"),
        ("", ""), ("审核人填写", ""),
        ("审核结论", "下拉选择：通过 / 需补充材料 / 不通过 / 待复核。"),
        ("人工状态", "（可选）审核人认定的状态，与机审“状态”同一套词；用于 smaudit agreement 统计机审与人工的一致率。"),
        ("重新运行", "对同一输出文件再次运行 smaudit audit 时，审核人填写的各列按（申报材料，编号）保留；"
                    "机审结论与填写时不同的行在“机审结果变化”列标出；已不存在的行移到“历史意见”表；旧文件自动备份。"),
        ("文件链接", "“证据”表的文件名可点击打开原文件（相对路径：审核表与申报材料目录一起移动即可）；zip 内的文件链接到 zip。"),
        ("证据页面", f"“证据”表的页码可点击打开证据页面：原文页面图像上高亮引文（{info.report_dir}）。"
                    if info.report_dir else "运行时加 --report 目录 可生成证据页面（原文页面图像上高亮引文），页码即可点击打开。"),
    ]
    for i, (key, value) in enumerate(rows, start=1):
        put(ws, i, 1, key).font = Font(bold=key in ("运行信息", "状态说明", "审核人填写"))
        put(ws, i, 2, value).alignment = WRAP
        if "（" in key and key.split("（")[0] in STATUS_COLOR:
            ws.cell(row=i, column=1).fill = STATUS_FILLS[key.split("（")[0]]
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90


_STATUS_HELP = {
    "evidenced": "材料描述了实际开展该模式：具体做法、系统、客户、数据或证书。",
    "planned": "仅作为今后的计划或打算出现（拟、计划、将、预计……）。",
    "negated": "材料明确说明未开展（未、尚未、没有、暂不……）。",
    "mentioned": "只是顺带提及：引用政策原文、列举全部模式、表格勾选而无具体内容。",
    "absent": "材料中未发现相关内容。",
    "met": "申报条件有具体证据支持。",
    "weak": "有相关表述，但缺少具体内容或数据（或服务收入占比低于阈值）。",
    "missing": "未找到相关内容。",
}
