"""Static HTML of the evidence view: an index, a page per submission and a page per mode or condition.

Plain HTML and CSS, no script: it opens from a shared drive or a USB stick with no server. A
highlight is a box positioned in percent over the page image, so it lands on the same characters
at any zoom. The crop above each quote is the same page image shifted inside a clipped frame:
no second image is stored.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.locate import Box, Located
from matchers.catalog import MODE_IDS
from matchers.model import Evidence, Finding

from ..labels import MODE_ZH, STATUS_COLOR, STATUS_ZH, TRACK_ZH, target_zh
from ..model import AuditResult
from .atomic import atomic_path

CROP_MARGIN = 0.035  # page fraction shown above and below the quote's lines


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """One evidence row as the report shows it: the page image, the boxes on it, or why there is none."""

    evidence: Evidence
    image: str | None = None  # path relative to the report folder
    located: Located | None = None
    aspect: float = 1.414  # page height / width
    shown_page: int | None = None
    note: str = ""


def submission_slug(name: str) -> str:
    """A folder name for a submission: its ASCII part, made unique by a short hash of the full name."""
    ascii_part = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:40]
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return f"{ascii_part}-{digest}" if ascii_part else f"s-{digest}"


def target_page(submission: str, target: str) -> str:
    """The report page of one mode or condition, relative to the report folder (the workbook links to it)."""
    return f"{submission_slug(submission)}/{target}.html"


def write_html(results: Sequence[AuditResult], views: dict[str, list[EvidenceView]], folder: Path) -> None:
    _write(folder / "index.html", _index(results))
    for r in results:
        by_key = {(v.evidence.file, v.evidence.page, v.evidence.text): v for v in views.get(r.submission, [])}
        targets = _targets(r)
        _write(folder / submission_slug(r.submission) / "index.html", _submission(r, targets))
        for i, (target, finding) in enumerate(targets):
            nav = (targets[i - 1][0] if i else None, targets[i + 1][0] if i + 1 < len(targets) else None)
            shown = [by_key.get((e.file, e.page, e.text)) or EvidenceView(e) for e in finding.evidence]
            leads = [by_key.get((e.file, e.page, e.text)) or EvidenceView(e) for e in finding.hints]
            _write(folder / target_page(r.submission, target), _target(r, target, finding, shown, nav, leads))


def _targets(r: AuditResult) -> list[tuple[str, Finding]]:
    return [*((m, r.modes[m]) for m in MODE_IDS), *sorted(r.criteria.items())]


def _write(path: Path, body: str) -> None:
    data = body.encode("utf-8")
    try:
        if path.read_bytes() == data:  # a re-run mostly writes the same pages
            return
    except OSError:
        pass
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0 auto;max-width:980px;
padding:12px 20px;color:#222;line-height:1.55}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#1f4e78;color:#fff;text-align:left}
.st{display:inline-block;padding:0 6px;border:1px solid #999;border-radius:3px}
nav{font-size:14px;margin:6px 0}nav a{margin-right:14px}
.ev{border:1px solid #bbb;border-radius:4px;margin:14px 0;padding:8px}
.meta{font-size:13px;color:#555}.quote{background:#fffbe0;padding:6px;margin:6px 0}
.note{color:#b45309;font-size:13px}
.crop{position:relative;overflow:hidden;width:100%;border:1px solid #ddd;background:#fff}
.page{position:absolute;left:0;width:100%}
.full{position:relative;width:100%;border:1px solid #ddd}
.page img,.full img{display:block;width:100%;height:auto}
.hl{position:absolute;background:rgba(255,221,0,.35);outline:2px solid #e11d48;outline-offset:1px}
details{margin-top:6px}summary{cursor:pointer;color:#0563c1}
"""


def _html(title: str, body: str, depth: int) -> str:
    home = "../" * depth
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{STYLE}</style></head>'
            f'<body><nav><a href="{home}index.html">全部申报材料</a></nav>{body}</body></html>\n')


def _status(status: str) -> str:
    return (f'<span class="st" style="background:#{STATUS_COLOR.get(status, "FFFFFF")}">'
            f'{_e(STATUS_ZH.get(status, status))}</span>')


def _index(results: Sequence[AuditResult]) -> str:
    rows = []
    for r in results:
        evidenced = "、".join(f"{m}{MODE_ZH[m]}" for m in MODE_IDS if r.modes[m].status == "evidenced") or "无"
        met = sum(c.status == "met" for c in r.criteria.values())
        rows.append(f'<tr><td><a href="{submission_slug(r.submission)}/index.html">{_e(r.submission)}</a></td>'
                    f"<td>{_e(r.fields.applicant)}</td><td>{_e(TRACK_ZH.get(r.track or '', '未识别'))}</td>"
                    f"<td>{_e(evidenced)}</td><td>{met}/{len(r.criteria)}</td><td>{len(r.problems)}</td></tr>")
    body = ("<h1>证据页面：申报材料一览</h1><table><tr><th>申报材料</th><th>申报单位</th><th>类别</th>"
            f"<th>有证据的模式</th><th>条件满足</th><th>问题数</th></tr>{''.join(rows)}</table>")
    return _html("证据页面", body, 0)


def _submission(r: AuditResult, targets: list[tuple[str, Finding]]) -> str:
    f = r.fields
    facts = [("申报单位", f.applicant), ("统一社会信用代码", f.credit_code), ("所在城市", f.city),
             ("申报类别", TRACK_ZH.get(r.track or "", "未识别")),
             ("申报模式/项目类型", "、".join(f"{m}{MODE_ZH.get(m, '')}" for m in r.declared_modes) or "—"),
             ("服务收入占比", f"{f.service_ratio:.1%}" if f.service_ratio is not None else None),
             ("文件 / 页数", f"{len(r.files)} 个文件，{r.pages} 页")]
    fact_rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v if v is not None else '未找到')}</td></tr>" for k, v in facts)
    rows = []
    for target, finding in targets:
        best = finding.evidence[0] if finding.evidence else None
        where = f"{best.file} 第{best.page or '-'}页" if best else ""
        rows.append(f'<tr><td><a href="{_e(target)}.html">{_e(target)}</a></td><td>{_e(target_zh(target))}</td>'
                    f"<td>{_status(finding.status)}</td><td>{_e(where)}</td><td>{_e(best.text if best else '')}</td></tr>")
    problems = "".join(f"<li>{_e(p.file or '（整份材料）')}：{_e(p.message)}</li>" for p in r.problems)
    body = (f"<h1>{_e(r.submission)}</h1><table>{fact_rows}</table>"
            "<h2>服务模式与申报条件</h2><table><tr><th>编号</th><th>名称</th><th>状态</th><th>出处</th><th>原文</th></tr>"
            f"{''.join(rows)}</table>" + (f"<h2>问题</h2><ul>{problems}</ul>" if problems else ""))
    return _html(r.submission, body, 1)


def _target(r: AuditResult, target: str, finding: Finding, shown: list[EvidenceView],
            nav: tuple[str | None, str | None], leads: Sequence[EvidenceView] = ()) -> str:
    links = ['<a href="index.html">返回本申报材料</a>']
    if nav[0]:
        links.append(f'<a href="{_e(nav[0])}.html">上一项 {_e(nav[0])}</a>')
    if nav[1]:
        links.append(f'<a href="{_e(nav[1])}.html">下一项 {_e(nav[1])}</a>')
    evidence = "".join(_evidence(i, v) for i, v in enumerate(shown, start=1)) or "<p>机器未找到证据。</p>"
    if leads:
        # Leads are not evidence: their own heading and ids (h1, h2 …), so no count or link of evidence shifts.
        evidence += ("<h2>待复核线索（句子模型认为可能相关，不是机审结论）</h2>"
                     + "".join(_evidence(i, v, "线索", "h") for i, v in enumerate(leads, start=1)))
    body = (f"<nav>{''.join(links)}</nav><h1>{_e(target)} {_e(target_zh(target))} {_status(finding.status)}</h1>"
            f'<p class="meta">{_e(r.submission)}　判定理由：{_e(finding.reason or "—")}　得分 {finding.score:.2f}</p>'
            f"{evidence}")
    return _html(f"{target} {r.submission}", body, 1)


def _evidence(i: int, v: EvidenceView, label: str = "证据", prefix: str = "e") -> str:
    e = v.evidence
    page = f"第{v.shown_page or e.page or '-'}页"
    if e.printed_page is not None and e.printed_page != e.page:
        page += f"（印刷页码{e.printed_page}）"
    what = f"概率 {e.score:.2f}" if prefix == "h" else _status(e.status)
    meta = (f'<p class="meta">{label}{i}：{_e(e.file)}　{_e(page)}　{what}　'
            f"命中词：{_e('、'.join(e.terms) or '—')}　来源：{_e({'ocr': 'OCR识别', 'table': '表格'}.get(e.source, '文字'))}</p>")
    quote = f'<div class="quote">{_e(e.text)}</div>'
    note = f'<p class="note">{_e(v.note)}</p>' if v.note else ""
    located = v.located
    if located is not None and located.found < 0.999:
        note += f'<p class="note">引文与页面文字部分相符（{located.found:.0%}），高亮为最接近的位置。</p>'
    if v.image is None:
        return f'<div class="ev" id="{prefix}{i}">{meta}{quote}{note}</div>'
    image = f"../{v.image}"
    full = _page_div("full", image, v, "")
    if located is None:
        return f'<div class="ev" id="{prefix}{i}">{meta}{quote}{note}{full}</div>'
    top = max(0.0, min(b.y0 for b in located.boxes) - CROP_MARGIN)
    bottom = min(1.0, max(b.y1 for b in located.boxes) + CROP_MARGIN)
    band = max(bottom - top, 0.02)
    crop = (f'<div class="crop" style="aspect-ratio:1/{v.aspect * band:.4f}">'
            f'{_page_div("page", image, v, f"top:-{top / band * 100:.3f}%")}</div>')
    return (f'<div class="ev" id="{prefix}{i}">{meta}{crop}{quote}{note}'
            f"<details><summary>显示整页</summary>{full}</details></div>")


def _page_div(cls: str, image: str, v: EvidenceView, style: str) -> str:
    boxes = "".join(_box(b) for b in (v.located.boxes if v.located else ()))
    lazy = ' loading="lazy"' if cls == "full" else ""  # whole pages sit in closed <details> until asked for
    return (f'<div class="{cls}" style="{style}"><img src="{_e(image)}" alt="{_e(v.evidence.file)} 第{v.shown_page}页"'
            f'{lazy}>{boxes}</div>')


def _box(b: Box) -> str:
    return (f'<span class="hl" data-box="{b.x0:.5f},{b.y0:.5f},{b.x1:.5f},{b.y1:.5f}" style="left:{b.x0 * 100:.3f}%;'
            f'top:{b.y0 * 100:.3f}%;width:{(b.x1 - b.x0) * 100:.3f}%;height:{(b.y1 - b.y0) * 100:.3f}%"></span>')

