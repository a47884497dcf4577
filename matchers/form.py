"""The application form: label/value pairs, ticked boxes, track, declared modes and platform type."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extractors.model import Document

from .catalog import Catalog

TICKS = "☑✓✔√■☒▣✅◼●"
BOXES = "□☐◻○◯"
TICKED_RE = re.compile(rf"[{TICKS}]\s*([^{TICKS}{BOXES}\s，,；;/|]+)|([^{TICKS}{BOXES}\s，,；;/|（(]+)\s*[（(]\s*[√✓✔]\s*[)）]")
TICK_AFTER_RE = re.compile(rf"([^{TICKS}{BOXES}\s，,；;/|]+?)\s*[{TICKS}]")
LINE_PAIR_RE = re.compile(r"^([^:：。，,\t]{2,16})(?:[:：]|\t+)\s*(\S.*)$")  # "label：value" or "label<TAB>value"
LABEL_CLEAN_RE = re.compile(r"[\s:：*＊]|（[^）]*）|\([^)]*\)")
TRACK_WORDS = {"enterprise": ("示范企业",), "project": ("示范项目",), "platform": ("示范平台",)}
MODE_LABELS = ("服务模式", "申报模式", "服务领域", "示范模式", "模式类别", "项目类型", "项目方向", "申报方向", "项目类别", "所属模式",
               "模式名称", "服务型制造模式")
# '本企业申报的服务模式为全生命周期管理和供应链管理' / '申报方向：总集成总承包': the choice written as a sentence.
DECLARED_TEXT_RE = re.compile(r"申报(?:的|之)?(?:服务型制造)?(?:示范)?(?:服务)?(?:模式|方向|类型|类别|领域)\s*(?:为|是|属于|：|:)\s*"
                              r"([^。；;\n]{2,80})")
MARK_ONLY_RE = re.compile(rf"^\s*(?:[{TICKS}]|[（(]\s*[√✓✔]\s*[)）])\s*$")
NAME_CELL_MAX = 14  # a cell that only names a mode (全生命周期管理服务), not a sentence that mentions one
PLATFORM_LABELS = ("平台类型", "平台类别", "平台性质")
TRACK_LABELS = ("申报类别", "申报类型", "申报类", "类别")
SHORT_NAMES = {"M01": ("工业设计",), "M02": ("定制化", "个性化定制"), "M03": ("供应链",), "M04": ("共享制造",),
               "M05": ("检验检测", "检测认证"), "M06": ("全生命周期",), "M07": ("总集成", "总承包"),
               "M08": ("节能环保",), "M09": ("生产性金融", "金融服务"), "M10": ("其他创新", "创新模式")}


@dataclass(frozen=True, slots=True)
class Pair:
    label: str
    value: str
    file: str
    page: int | None
    from_table: bool = True


def iter_pairs(documents: Sequence[Document]) -> Iterator[Pair]:
    """Label/value pairs from form tables (2 or 4 columns) and 'label：value' lines."""
    for doc in documents:
        for block in doc.blocks:
            if block.table:
                for row in block.table:
                    cells = _dedupe(row)
                    for i in range(0, len(cells) - 1, 2):
                        if cells[i] and cells[i + 1]:
                            yield Pair(clean_label(cells[i]), cells[i + 1], doc.path, block.page)
            else:
                match = LINE_PAIR_RE.match(block.text)
                if match:
                    yield Pair(clean_label(match.group(1)), match.group(2).strip(), doc.path, block.page, False)


def _dedupe(row: tuple[str, ...]) -> list[str]:
    """Cells of a form row, ready to pair as label/value.

    Some readers repeat a cell merged across columns, others leave blanks beside it; when
    dropping the repeats and the blanks leaves an even count, labels and values pair up exactly.
    """
    cells = [c for i, c in enumerate(row) if i == 0 or not c or c != row[i - 1]]
    filled = [c for c in cells if c]
    return filled if len(filled) % 2 == 0 else cells


def clean_label(label: str) -> str:
    return LABEL_CLEAN_RE.sub("", label)


def ticked(value: str) -> list[str]:
    """Items marked with ☑/√/■ (or '(√)' after them) in a form cell; marks may also follow their label."""
    if marks_follow_labels(value):
        return [m.group(1) for m in TICK_AFTER_RE.finditer(value)]
    return [a or b for a, b in TICKED_RE.findall(value)]


def marks_follow_labels(value: str) -> bool:
    """'示范企业☑ 示范项目□' rather than '☑示范企业 □示范项目': most marks end an item instead of starting one."""
    marks = [i for i, ch in enumerate(value) if ch in TICKS + BOXES]
    if not marks or re.search(r"[（(]\s*[√✓✔ ]?\s*[)）]", value):
        return False
    seps = " \t\n，,；;/|:：" + TICKS + BOXES
    ending = sum(1 for i in marks
                 if i > 0 and value[i - 1] not in seps and (i + 1 >= len(value) or value[i + 1] in seps))
    return ending > len(marks) / 2


def detect_track(pairs: Sequence[Pair], documents: Sequence[Document], catalog: Catalog) -> str | None:
    for pair in pairs:
        if any(pair.label.startswith(lbl) or pair.label == lbl for lbl in TRACK_LABELS):
            items = ticked(pair.value) if any(t in pair.value for t in TICKS) or "√" in pair.value else [pair.value]
            for track, words in TRACK_WORDS.items():
                if any(w in item for item in items for w in words):
                    return track
    return _track_from_titles(documents, catalog)


def _track_from_titles(documents: Sequence[Document], catalog: Catalog) -> str | None:
    counts = dict.fromkeys(catalog.tracks, 0)
    for doc in documents:
        head = doc.path + "\n" + "\n".join(b.text for b in doc.blocks[:15])
        for track, cues in catalog.tracks.items():
            counts[track] += sum(head.count(cue) for cue in cues)
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else None


PROSE_SUBJECTS = {"project": ("本项目", "该项目", "项目建成", "项目实施后", "项目总投资"),
                  "platform": ("本平台", "该平台", "平台运营", "平台注册用户", "平台累计服务")}


def document_text(documents: Sequence[Document]) -> str:
    """All analysed text of a submission, for rules that read the whole of it (what kind of document is this?)."""
    return "\n".join(b.text for d in documents for b in d.blocks if b.source != "furniture")


def infer_track(documents: Sequence[Document]) -> str | None:
    """Without form or title (a case narrative), the track the prose speaks as; an enterprise by default."""
    text = document_text(documents)
    if not text.strip():
        return None
    counts = {track: sum(text.count(w) for w in words) for track, words in PROSE_SUBJECTS.items()}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= 3 else "enterprise"


def declared_modes(pairs: Sequence[Pair], catalog: Catalog, documents: Sequence[Document] = ()) -> list[str]:
    """Modes the applicant declares, however the form marks them: ticked or named in a 服务模式/项目类型 row
    (and the rows a merged label cell spans), ticked under a header row of mode names, ticked beside a mode
    name in a checklist row, or written as a sentence (申报的服务模式为…)."""
    found: set[str] = set()
    for pair in pairs:
        if any(lbl in pair.label for lbl in MODE_LABELS):
            found.update(_modes_in_value(pair.value, catalog))
    for doc in documents:
        for block in doc.blocks:
            if block.table:
                found.update(_modes_in_table(block.table, catalog))
            elif block.source != "furniture":
                for match in DECLARED_TEXT_RE.finditer(block.text):
                    found.update(_modes_in_value(match.group(1), catalog))
    return sorted(found)


def _modes_in_value(value: str, catalog: Catalog) -> list[str]:
    has_boxes = any(ch in value for ch in TICKS + BOXES) or "√" in value
    items = ticked(value) if has_boxes else re.split(r"[、，,；;/\s和及与]+", value)
    return [m for m in (mode_of_name(item, catalog) for item in items) if m]


def _modes_in_table(table: Sequence[Sequence[str]], catalog: Catalog) -> set[str]:
    found: set[str] = set()
    label = ""
    for r, row in enumerate(table):
        first = row[0].strip() if row else ""
        label = first or label  # an empty first cell continues the label above (a merged cell)
        if not first and any(lbl in clean_label(label) for lbl in MODE_LABELS):
            for cell in row[1:]:
                found.update(_modes_in_value(cell, catalog))
        names = [_named_mode(cell, catalog) for cell in row]
        marks = [bool(MARK_ONLY_RE.match(cell)) for cell in row]
        if sum(1 for n in names if n) == 1 and any(marks):
            found.add(next(n for n in names if n))  # checklist row: 全生命周期管理 | √
        if sum(1 for n in names if n) >= 2 and r + 1 < len(table):
            below = table[r + 1]  # header row of mode names, ticks in the row under them
            found.update(n for i, n in enumerate(names) if n and i < len(below) and MARK_ONLY_RE.match(below[i]))
    return found


def _named_mode(cell: str, catalog: Catalog) -> str | None:
    """The mode a short cell names on its own (a checklist or header cell), without any box in it."""
    text = cell.strip()
    if not text or len(text) > NAME_CELL_MAX or any(ch in text for ch in TICKS + BOXES):
        return None
    return mode_of_name(text, catalog)


def mode_of_name(text: str, catalog: Catalog) -> str | None:
    for mode, name in catalog.mode_names.items():
        if name in text or any(s in text for s in SHORT_NAMES.get(mode, ())):
            return mode
    return None


def platform_type(pairs: Sequence[Pair], documents: Sequence[Document], catalog: Catalog) -> str | None:
    for pair in pairs:
        if any(lbl in pair.label for lbl in PLATFORM_LABELS):
            has_boxes = any(ch in pair.value for ch in TICKS + BOXES)
            for item in ticked(pair.value) if has_boxes else [pair.value]:
                kind = _platform_kind(item)
                if kind:
                    return kind
    text = "\n".join(b.text for d in documents for b in d.blocks[:40] if not any(ch in b.text for ch in BOXES))
    t1 = sum(text.count(c) for c in catalog.criteria["PLT-T1"].cues)
    t2 = sum(text.count(c) for c in catalog.criteria["PLT-T2"].cues)
    return None if t1 == t2 == 0 else ("PLT-T1" if t1 >= t2 else "PLT-T2")


def _platform_kind(text: str) -> str | None:
    """The type named first in a ticked item (a badly ordered cell may run on into the next option)."""
    positions = {kind: min((p for p in (text.find(w) for w in words) if p >= 0), default=None)
                 for kind, words in (("PLT-T2", ("区域", "综合服务", "园区")), ("PLT-T1", ("行业", "领域", "专业服务")))}
    found = {k: p for k, p in positions.items() if p is not None}
    return min(found, key=found.__getitem__) if found else None
