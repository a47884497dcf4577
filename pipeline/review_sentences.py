"""Training sentences from worked workbooks: the reviewers' 人工状态 on the sentences the machine showed them.

The sentence model was trained on press and case-collection prose; an office's own applications are the text it
must read. Every mode a reviewer settles in the 证据 sheet (人工状态) labels the sentences quoted for it (原文,
更多证据) and, where the reviewer found no practice, the model's leads (待复核线索). The output is the
samples/train format, so `smaudit train-model` takes it beside the shipped data.

A sentence is labelled only for the mode it was reviewed under; for the other modes it is `unlabelled` (a sentence
quoted for M06 and judged not M06 may still describe M07). When a reviewer finds a practice the machine missed,
which lead shows it is unknown, so the leads teach nothing then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from matchers.catalog import MODE_IDS
from matchers.model import MODE_STATUSES

from .train import SKIP
from .writers.excel import LEADS_HEADER, MODE_CATEGORY

# The lines pipeline.writers.excel.quote_line writes: "文件 第3页：句子" (更多证据), "（0.62）文件 第3页：句子" (待复核线索)
LINE_RE = re.compile(r"^(?:（[\d.]+）)?.+? 第[^页：]*页：(?P<text>.+)$")


@dataclass
class Harvest:
    """Sentences per submission, each with its reviewed modes; and what was read, for the summary line."""

    sentences: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # submission → text → mode → status
    reviewed: int = 0
    skipped: list[str] = field(default_factory=list)

    def add(self, submission: str, text: str, mode: str, status: str) -> None:
        text = text.strip()
        if text:
            self.sentences.setdefault(submission, {}).setdefault(text, {})[mode] = status

    def excerpts(self, source: str) -> list[dict[str, object]]:
        return [{"source": f"{source}#{submission}", "submission": submission,
                 "sentences": [{"text": text, "modes": {m: modes.get(m, SKIP) for m in MODE_IDS}}
                               for text, modes in texts.items()]}
                for submission, texts in self.sentences.items()]


def lines_of(cell: object) -> list[str]:
    """The sentences of a 更多证据 or 待复核线索 cell (one "file 第N页：text" per line)."""
    out = []
    for line in str(cell or "").splitlines():
        match = LINE_RE.match(line.strip())
        if match:
            out.append(match.group("text"))
    return out


def harvest_workbook(path: Path) -> Harvest:
    harvest = Harvest()
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if "证据" not in wb.sheetnames:
            harvest.skipped.append(f"{path.name}：没有“证据”表，不是 smaudit 审核表")
            return harvest
        rows = wb["证据"].iter_rows(values_only=True)
        headers = [str(h) if h is not None else "" for h in next(rows, ())]
        need = ("申报材料", "编号", "类别", "原文", "更多证据", "人工状态")
        if not all(h in headers for h in need):
            harvest.skipped.append(f"{path.name}：“证据”表缺少列 {'、'.join(h for h in need if h not in headers)}")
            return harvest
        col = {h: i for i, h in enumerate(headers)}
        for row in rows:
            _row(harvest, {h: row[i] for h, i in col.items() if i < len(row)})
    finally:
        wb.close()
    return harvest


def _row(harvest: Harvest, row: dict[str, object]) -> None:
    reviewer = str(row.get("人工状态") or "").strip()
    mode = str(row.get("编号") or "")
    if row.get("类别") != MODE_CATEGORY or mode not in MODE_IDS or not reviewer:
        return
    submission = str(row.get("申报材料") or "")
    if reviewer not in MODE_STATUSES:
        harvest.skipped.append(f"{submission} {mode}：人工状态“{reviewer}”不是状态词（{' / '.join(MODE_STATUSES)}）")
        return
    harvest.reviewed += 1
    for text in [str(row.get("原文") or ""), *lines_of(row.get("更多证据"))]:
        harvest.add(submission, text, mode, reviewer)
    if reviewer != "evidenced":
        for text in lines_of(row.get(LEADS_HEADER)):
            harvest.add(submission, text, mode, reviewer)


def summary(harvest: Harvest) -> str:
    texts = [modes for subs in harvest.sentences.values() for modes in subs.values()]
    positive = sum("evidenced" in modes.values() for modes in texts)
    return (f"审核人认定的模式 {harvest.reviewed} 个 → {len(texts)} 句（其中作为“有证据”正例 {positive} 句），"
            f"来自 {len(harvest.sentences)} 份申报材料")
