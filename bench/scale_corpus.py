"""A provincial-batch-sized corpus of Word-exported Chinese PDFs for scale benchmarks.

    .venv/bin/python bench/scale_corpus.py DEST [--submissions 300] [--pages 30000] [--seed 7]

Writes DEST/ with one sub-folder per submission: a 申报书 PDF (30–200 pages of prose with
headings, a form table and a revenue table), one to four 附件 PDFs, in about a third of the
submissions a kept .docx (2–6 files in all), and one package far larger than the rest (a 500-page 申报书 and
~150 small attachments), as real batches have. Text is recombined deterministically from the
sentences in samples/ and lexicon/policy.txt plus templates, so every file is distinct.

PDFs are made the way applicants make them: python-docx → LibreOffice `--convert-to pdf`
(subset-embedded Noto CJK fonts, footer page numbers), many files per soffice call and one
soffice per CPU, because start-up costs ~1 s and layout ~70 pages/s per process.
fpdf2/reportlab are not used: the only CJK fonts here are OTF/CFF (.ttc), which they cannot embed.

A finished build leaves DEST/.corpus.json (parameters, files, pages, bytes, content hash);
a second call with the same parameters returns at once. The manifest name starts with a dot
because smaudit skips hidden entries — a visible corpus.json would be reported as a loose file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from extractors.registry import sha256_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ".corpus.json"
BUILDING = ".building"  # present while a build runs: a folder with it (and no manifest) is ours to redo
VERSION = 1  # bump when the generator changes, so cached corpora are rebuilt
CHARS_PER_PAGE = 810  # A4, 小四 Noto Serif CJK, 1.5 lines, as LibreOffice lays it out (calibrated)
MARGIN = 1.01  # plan a little over the target; a short build is topped up with extra submissions
CHUNK_PAGES = 900  # planned pages per soffice call: amortises start-up, keeps memory low

# fmt: off
CITIES = {  # 辽宁 14 cities: region-code prefix and a few districts (for addresses and credit codes)
    "沈阳": ("2101", ["浑南区", "铁西区", "于洪区", "沈北新区", "大东区"]),
    "大连": ("2102", ["甘井子区", "金州区", "瓦房店市", "庄河市", "旅顺口区"]),
    "鞍山": ("2103", ["铁东区", "立山区", "海城市", "千山区"]),
    "抚顺": ("2104", ["顺城区", "望花区", "东洲区"]), "本溪": ("2105", ["平山区", "溪湖区", "桓仁满族自治县"]),
    "丹东": ("2106", ["振兴区", "东港市", "凤城市"]), "锦州": ("2107", ["太和区", "凌海市", "古塔区"]),
    "营口": ("2108", ["鲅鱼圈区", "大石桥市", "站前区"]), "阜新": ("2109", ["细河区", "海州区", "彰武县"]),
    "辽阳": ("2110", ["宏伟区", "灯塔市", "太子河区"]), "盘锦": ("2111", ["兴隆台区", "大洼区", "双台子区"]),
    "铁岭": ("2112", ["银州区", "开原市", "调兵山市"]), "朝阳": ("2113", ["双塔区", "北票市", "凌源市"]),
    "葫芦岛": ("2114", ["连山区", "兴城市", "绥中县"]),
}
MODES = {  # the ten modes and practice phrases applicants use for them
    "工业设计服务": ["工业设计", "外观与结构协同设计", "网络化设计协同平台", "设计成果转化"],
    "定制化服务": ["个性化定制", "大批量个性化定制", "柔性化生产线", "用户参与设计"],
    "供应链管理": ["供应商管理库存（VMI）", "JIT准时配送", "供应链协同平台", "集中采购与仓储配送"],
    "共享制造": ["共享制造", "共享工厂", "产能共享平台", "设备分时租用"],
    "检验检测认证服务": ["第三方检验检测", "CNAS认可实验室检测", "计量校准服务", "质量认证咨询"],
    "全生命周期管理": ["远程运维", "预测性维护", "备品备件快速供应", "设备健康管理"],
    "总集成总承包": ["EPC总承包", "交钥匙工程", "成套装备系统集成", "工程设计施工一体化"],
    "节能环保服务": ["合同能源管理", "节能诊断", "余热余压回收改造", "环保设施托管运营"],
    "生产性金融服务": ["融资租赁", "供应链金融", "设备分期付款", "保险与保理服务"],
    "其他创新模式": ["数字孪生交付", "工业互联网平台", "数字化交付", "服务外包"],
}
FIRST, SECOND = "恒瑞华宏鑫金通远盛德信泰新博航凯兴隆正天海辰永昌辽", "通锐源达晟峰安合力科宇创联胜拓铭嘉诚丰泽威驰"
INDUSTRIES = ["重工", "机床", "装备制造", "精密机械", "电气", "石化装备", "汽车零部件", "轴承", "阀门", "环保设备",
              "新材料", "智能装备", "液压", "泵业", "电缆", "医疗器械", "食品机械", "农业机械", "船舶配套", "冶金设备"]
PRODUCTS = ["数控机床", "大型轴承", "压力容器", "风电齿轮箱", "输变电设备", "液压元件", "工业阀门", "汽车零部件",
            "冶金装备", "除尘设备", "智能仓储装备", "耐火材料", "电线电缆", "农业机械", "工业机器人", "换热器"]
TEMPLATES = [
    "{co}围绕{prod}用户需求，于{y}年起开展{prac}业务，累计服务客户{h}家。",
    "{y}年，{co}{prac}相关收入达到{m}万元，同比增长{p}%。",
    "公司在{city}{dist}建成{prac}中心，配备专职技术人员{k}名，服务覆盖省内外{n}个城市。",
    "依托{prac}，公司为{cust}提供了{mode}，设备综合效率提高{p}%，客户停机时间减少{k}小时/年。",
    "截至{y}年底，{co}已与{cust}等{k}家企业签订{mode}合同，合同金额合计{m}万元。",
    "公司建立了覆盖售前咨询、方案设计、安装调试、运行维护的服务体系，{prac}响应时间缩短至{n}小时。",
    "通过{prac}，{cust}的库存周转天数由{k}天下降至{n}天，资金占用减少{m}万元。",
    "{co}现有员工{h}人，其中研发和服务人员{k}人，拥有有效发明专利{k}项、软件著作权{n}项。",
    "公司计划于{y}年进一步拓展{prac}，预计新增服务收入{m}万元。",
    "{y}年公司获评{city}市“专精特新”企业，{prod}产品市场占有率约{p}%。",
    "为解决中小企业{prod}购置成本高的问题，公司推出{prac}，已累计服务{h}台（套）设备。",
    "公司与高校共建{prod}联合实验室，开展{prac}关键技术攻关，形成企业标准{n}项。",
    "在{cust}项目中，公司采用{prac}模式，项目投资回收期缩短至{n}年，年节约成本{m}万元。",
    "服务团队实行7×24小时值守，{y}年累计处理服务工单{h}{n}件，客户满意度达到{p}%。",
    "公司{prac}平台已接入设备{h}台，采集运行数据{k}类，形成故障知识库条目{h}条。",
    "报告期内，服务收入占营业收入的比重由{y}年的{p}%提升至{p2}%。",
    "{co}坚持“制造+服务”发展路径，推动{prod}由单一产品销售向{mode}转变。",
    "公司建立了{mode}质量管理制度{k}项，服务过程全部纳入ISO 9001质量管理体系。",
    "面向{city}及周边{prod}产业集群，公司提供{prac}服务，带动上下游企业{k}家。",
    "本项目总投资{m}万元，其中设备投资{m2}万元，建设期{n}年，预计达产后年服务收入{m3}万元。",
]
NUMERALS = "一二三四五六七八九十"
# fmt: on


@dataclass
class CorpusInfo:
    submissions: int
    files: int
    pdf_files: list[Path]
    pages: int
    bytes: int
    seconds_to_build: float  # of the build that made the corpus (also when returned from the cache)


@dataclass
class FileSpec:
    rel: str  # path inside the submission folder
    kind: str  # 申报书, 财务, 案例, 方案, 合同, 资质
    pages: int  # planned pages (the layout decides the real count)


@dataclass
class Sub:
    index: int
    folder: str
    company: str
    short: str
    city: str
    track: str  # 示范企业 / 示范项目 / 示范平台
    big: bool = False  # the outlier package
    files: list[FileSpec] = field(default_factory=list)


# ---------------------------------------------------------------- sentence material
Material = tuple[list[str], list[str], list[str]]  # sample sentences, sample headings, policy sentences


def load_material() -> Material:
    """Sentences and short headings from the sample texts, and the policy's sentences."""
    import docx

    paragraphs: list[str] = []
    for path in sorted((ROOT / "samples").rglob("*")):
        if path.suffix == ".txt":
            paragraphs += path.read_text(encoding="utf-8", errors="replace").splitlines()
        elif path.suffix == ".docx":
            try:  # some sample .docx are broken on purpose (0 bytes, truncated)
                paragraphs += [p.text for p in docx.Document(str(path)).paragraphs]
            except Exception:
                continue
    split = re.compile(r"(?<=[。！？；])")
    sentences, headings = [], []
    # -- another company's name or credit code would make every package look inconsistent --
    foreign = re.compile(r"有限(责任)?公司|信用代码|[0-9A-Z]{18}")
    for para in (p.strip() for p in paragraphs if not foreign.search(p)):
        if 4 <= len(para) <= 30 and "。" not in para:
            head = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?\s*", "", para)
            if re.fullmatch(r"[\u4e00-\u9fff“”+A-Za-z0-9]{4,30}", head) and len(re.findall(r"[\u4e00-\u9fff]", head)) >= 4 \
                    and "申报" not in head:
                headings.append(head)  # a plain title, not a date, table row or bullet
        else:
            # -- a paragraph's last sentence may lack its full stop: add one so joined sentences stay apart --
            sentences += [s if s[-1] in "。！？；" else s + "。" for s in split.split(para) if len(s) >= 12]
    policy_text = (ROOT / "lexicon" / "policy.txt").read_text(encoding="utf-8")
    policy = [s for s in split.split(policy_text.replace("\n", "")) if len(s) >= 12]
    return sorted(set(sentences)), sorted(set(headings)), policy


def jitter_numbers(text: str, rng: random.Random) -> str:
    """New numbers of the same shape, so recombined sample sentences never repeat verbatim."""

    def new(m: re.Match[str]) -> str:
        s, unit = m.group(), m.string[m.end():m.end() + 1]
        if re.fullmatch(r"20[12]\d", s):
            return str(rng.randint(2016, 2025))
        if unit in ("月", "日") and "." not in s:  # keep dates possible
            return str(rng.randint(1, 12 if unit == "月" else 28))
        whole, _, frac = s.partition(".")
        lo = 10 ** (len(whole) - 1) if len(whole) > 1 else 1
        out = str(rng.randint(lo, 10 ** len(whole) - 1))
        return f"{out}.{rng.randint(0, 10 ** len(frac) - 1):0{len(frac)}d}" if frac else out

    return re.sub(r"\d+(?:\.\d+)?", new, text)


class Writer:
    """Composes the blocks of one document from a seeded stream (one per file: order-independent)."""

    def __init__(self, material: Material, sub: Sub, rng: random.Random):
        self.sentences, self.headings, self.policy = material
        self.sub, self.rng = sub, rng
        self.modes = rng.sample(list(MODES), rng.randint(2, 5))  # the modes this applicant claims

    def company(self) -> str:
        r = self.rng
        return f"{r.choice(list(CITIES))}{r.choice(FIRST)}{r.choice(SECOND)}{r.choice(INDUSTRIES)}有限公司"

    def sentence(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.5:
            return jitter_numbers(r.choice(self.sentences), r)
        if roll < 0.95:
            mode = r.choice(self.modes)
            return r.choice(TEMPLATES).format(
                co=r.choice([self.sub.short, "公司", self.sub.company]), city=self.sub.city,
                dist=r.choice(CITIES[self.sub.city][1]), y=r.randint(2018, 2025), n=r.randint(2, 9),
                k=r.randint(10, 99), h=r.randint(100, 999), p=round(r.uniform(5, 60), 1),
                p2=round(r.uniform(30, 80), 1), m=f"{r.uniform(50, 50000):.2f}", m2=f"{r.uniform(50, 9000):.2f}",
                m3=f"{r.uniform(100, 20000):.2f}", prac=r.choice(MODES[mode]), mode=mode,
                prod=r.choice(PRODUCTS), cust=self.company())
        return "按照申报条件要求，" + r.choice(self.policy)  # applicants quote the policy

    def paragraph(self) -> str:
        return "".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def revenue_table(self) -> list[list[str]]:
        r = self.rng
        total = r.uniform(3000, 300000)
        rows = [["指标", "2022年", "2023年", "2024年"]]
        years = [total * g for g in (1.0, r.uniform(0.9, 1.25), r.uniform(1.0, 1.45))]
        shares = [r.uniform(0.12, 0.65) for _ in years]
        rows.append(["营业收入（万元）", *(f"{v:,.2f}" for v in years)])
        rows.append(["其中：服务收入（万元）", *(f"{v * s:,.2f}" for v, s in zip(years, shares, strict=True))])
        rows.append(["服务收入占比", *(f"{s:.2%}" for s in shares)])
        rows.append(["利润总额（万元）", *(f"{v * r.uniform(0.02, 0.15):,.2f}" for v in years)])
        rows.append(["研发投入（万元）", *(f"{v * r.uniform(0.02, 0.08):,.2f}" for v in years)])
        return rows

    def form_table(self) -> list[list[str]]:
        r, s = self.rng, self.sub
        code, districts = CITIES[s.city]
        tracks = "  ".join(("☑" if t == s.track else "□") + t for t in ("示范企业", "示范项目", "示范平台"))
        return [
            ["单位名称", s.company], ["统一社会信用代码", credit_code(code, r)], ["所在城市", f"{s.city}市"],
            ["注册地址", f"辽宁省{s.city}市{r.choice(districts)}{r.choice(SECOND)}{r.choice('东西南北')}路{r.randint(1, 300)}号"],
            ["法定代表人", r.choice("王李张刘陈杨赵黄周吴") + r.choice("建国立新海峰志强晓明宏伟")],
            ["联系电话", f"0{r.randint(410, 429)}-{r.randint(2000000, 8999999)}"], ["申报类别", tracks],
            ["申报模式", "  ".join("☑" + m for m in self.modes)], ["职工人数", f"{r.randint(80, 6000)}人"],
        ]

    def list_table(self) -> list[list[str]]:
        r = self.rng
        if r.random() < 0.5:
            rows = [["序号", "客户名称", "服务内容", "合同金额（万元）", "签订年份"]]
            rows += [[str(i), self.company(), r.choice(MODES[r.choice(self.modes)]), f"{r.uniform(20, 5000):.2f}",
                      str(r.randint(2021, 2025))] for i in range(1, r.randint(5, 14))]
        else:
            rows = [["序号", "名称", "类型", "证书编号", "授权日期"]]
            rows += [[str(i), f"一种{r.choice(PRODUCTS)}的{r.choice(['远程监测', '节能', '定制', '检测'])}方法",
                      r.choice(["发明专利", "实用新型", "软件著作权"]), f"ZL{r.randint(2015, 2024)}{r.randint(10**7, 10**8 - 1)}",
                      f"{r.randint(2016, 2025)}年{r.randint(1, 12)}月"] for i in range(1, r.randint(5, 14))]
        return rows

    def compose(self, spec: FileSpec) -> list[tuple[str, object]]:
        """Blocks (kind, payload) for one file, filled up to its planned size."""
        r, s = self.rng, self.sub
        budget = spec.pages * CHARS_PER_PAGE
        title = {"申报书": f"辽宁省省级服务型制造{s.track}申报书", "财务": "近三年主要财务数据及说明",
                 "案例": "典型服务案例汇编", "方案": "项目实施方案", "合同": "服务合同汇编（摘录）",
                 "资质": "资质证书及知识产权清单"}[spec.kind]
        blocks: list[tuple[str, object]] = [("title", title), ("center", f"申报单位（盖章）：{s.company}")]
        if spec.kind == "申报书":
            blocks += [("center", f"申报日期：{r.randint(2025, 2026)}年{r.randint(1, 12)}月"), ("break", None),
                       ("h1", "一、申报单位基本情况"), ("table", self.form_table()), ("p", self.paragraph()),
                       ("h1", "二、近三年经营情况"), ("table", self.revenue_table()), ("p", self.paragraph())]
            chapters = ["服务型制造模式与主要做法", "服务能力与支撑体系", "典型案例", "取得的成效", "保障措施",
                        "下一步工作计划"]
        else:
            if spec.kind == "财务":
                blocks += [("p", "（单位：万元）"), ("table", self.revenue_table())]
            chapters = r.sample(["基本情况", "主要内容", "实施情况", "典型做法", "成效与效益", "附表"], 3)
        used = sum(len(str(p)) for _, p in blocks)
        start = 3 if spec.kind == "申报书" else 1
        for c, chapter in enumerate(chapters):
            blocks.append(("h1", f"{NUMERALS[start + c - 1]}、{chapter}"))
            share = (budget - used) / (len(chapters) - c)  # spread what is left over the chapters left
            spent, sec = 0.0, 0
            while spent < share or sec == 0:  # no chapter heading without a section
                sec += 1
                head = (f"案例{sec}：为{self.company()}提供{r.choice(MODES[r.choice(self.modes)])}服务"
                        if chapter == "典型案例" else r.choice(self.headings + list(self.modes)))
                blocks.append(("h2", f"（{NUMERALS[(sec - 1) % 10]}）{head}"))
                for _ in range(r.randint(2, 6)):
                    text = self.paragraph()
                    blocks.append(("p", text))
                    spent += len(text) + 20  # a paragraph's last line is half empty
                if r.random() < (0.5 if spec.kind in ("财务", "资质") else 0.08):
                    table = self.list_table()
                    blocks.append(("table", table))
                    spent += 60 * len(table)  # a table row takes about a line and a half
            used += spent
        return blocks


def credit_code(region: str, rng: random.Random) -> str:
    """A unified social credit code (GB 32100-2015) with a correct check character."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = f"91{region}{rng.randint(1, 13):02d}" + "".join(rng.choice(chars[:10]) for _ in range(8)) + rng.choice(chars)
    total = sum(chars.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + chars[(31 - total % 31) % 31]


# ---------------------------------------------------------------- Word files
WORD_FONTS = ("宋体", "黑体")  # what applicants' Word files name (kept .docx)
# -- LibreOffice lays out ~1.5x faster with fonts it has than with 宋体, which it resolves by fallback
# (to a sans face); Noto Serif is the stand-in a Word export of 宋体 would embed --
PDF_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")


def write_docx(blocks: list[tuple[str, object]], dest: Path, author: str, header: bool,
               fonts: tuple[str, str] = WORD_FONTS) -> None:
    """A Word file as applicants write them: A4, 宋体 小四 1.5 lines, 黑体 headings, page numbers."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = docx.Document()
    body, bold = fonts
    for name, font, size in (("Normal", body, 12), ("Title", bold, 22), ("Heading 1", bold, 16),
                             ("Heading 2", bold, 14)):
        style = doc.styles[name]
        # -- one font for Latin and CJK, as many Chinese templates do: with Times New Roman LibreOffice
        # substitutes DejaVu Serif, whose wide digits no real applicant's PDF has --
        style.font.name, style.font.size = font, Pt(size)
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), font)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # themes override eastAsia
            rfonts.attrib.pop(qn(attr), None)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.5
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.17)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("第 ")
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    page.append(run)
    foot._p.append(page)
    foot.add_run(" 页")
    if header:
        section.header.paragraphs[0].text = "辽宁省省级服务型制造示范申报材料"
    for kind, payload in blocks:
        if kind == "title":
            doc.add_paragraph(str(payload), style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "center":
            doc.add_paragraph(str(payload)).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h1":
            doc.add_heading(str(payload), 1)
        elif kind == "h2":
            doc.add_heading(str(payload), 2)
        elif kind == "p":
            doc.add_paragraph(str(payload)).paragraph_format.first_line_indent = Pt(24)
        elif kind == "break":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "table":
            rows: list[list[str]] = payload  # type: ignore[assignment]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]), style="Table Grid")  # ruled, like Word's
            for cells, row in zip(table.rows, rows, strict=True):
                for cell, value in zip(cells.cells, row, strict=True):
                    cell.text = value
    doc.core_properties.author = author
    doc.core_properties.title = str(blocks[0][1])
    doc.save(str(dest))


# ---------------------------------------------------------------- plan
def plan(submissions: int, pages: int, rng: random.Random, names: set[str], first: int = 0,
         big: bool = True) -> list[Sub]:
    """Folders, companies and per-file page targets summing to about `pages` PDF pages."""
    subs: list[Sub] = []
    big_at = rng.randrange(submissions) if big else -1
    for i in range(first, first + submissions):
        while True:  # distinct companies across the batch
            short = rng.choice(FIRST) + rng.choice(SECOND) + rng.choice(INDUSTRIES)
            if short not in names:
                names.add(short)
                break
        city = rng.choice(list(CITIES))
        track = rng.choices(["示范企业", "示范项目", "示范平台"], [6, 3, 1])[0]
        company = f"{city}{short}{rng.choice(['有限公司', '股份有限公司', '集团有限公司'])}"
        sub = Sub(i, f"{i + 1:03d}-{short}", company, short, city, track)
        style = rng.randrange(3)  # how the applicant names files
        main = [f"{short}-服务型制造{track}申报书", "申报书", f"01-{track}申报书"][style]
        sub.files.append(FileSpec(main + ".pdf", "申报书", round(min(200, max(30, rng.lognormvariate(4.2, 0.5))))))
        if i - first == big_at:  # the outlier package: huge 申报书 and a pile of small attachments
            sub.big = True
            sub.files[0].pages = max(30, min(500, pages // 20))
            for j in range(1, min(150, max(8, submissions // 2)) + 1):
                kind = rng.choice(["合同", "资质", "案例", "财务"])
                sub.files.append(FileSpec(f"附件/附件{j}-{kind}材料{j}.pdf", kind, rng.randint(1, 4)))
        else:
            kinds = rng.sample(["财务", "案例", "方案", "合同", "资质"], rng.choice([1, 1, 1, 2, 2, 3, 4]))
            for j, kind in enumerate(kinds, 1):
                folder = "附件/" if style == 1 else ""
                sub.files.append(FileSpec(f"{folder}附件{j}-{kind}.pdf", kind, round(min(80, rng.expovariate(1 / 10)) + 2)))
            if rng.random() < 0.34:  # some applicants also hand in Word files
                kind = rng.choice(["案例", "方案"])
                sub.files.append(FileSpec(f"附件{len(kinds) + 1}-{kind}.docx", kind, rng.randint(3, 20)))
        subs.append(sub)
    # -- scale the ordinary PDFs so the batch lands near the target (the outlier stays as it is) --
    ordinary = [f for s in subs if not s.big for f in s.files if f.rel.endswith(".pdf")]
    fixed = sum(f.pages for s in subs if s.big for f in s.files)
    for _ in range(4):  # clamping moves the sum, so repeat
        factor = (pages * MARGIN - fixed) / max(1, sum(f.pages for f in ordinary))
        for f in ordinary:
            lo, hi = (30, 200) if f.kind == "申报书" else (2, 120)
            f.pages = min(hi, max(lo, round(f.pages * factor)))
    return subs


# ---------------------------------------------------------------- build
def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise RuntimeError("LibreOffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    return exe


def build_chunk(subs: list[Sub], dest: Path, work: Path, material: Material, seed: int,
                profiles: threading.local, ids: count[int]) -> list[str]:
    """Write the Word sources of a few submissions, convert them in one soffice call, move PDFs in place."""
    if not hasattr(profiles, "uri"):  # one LibreOffice profile per thread: two soffice cannot share one
        profiles.uri = (work / f"profile-{next(ids)}").as_uri()
    chunk = Path(tempfile.mkdtemp(dir=work))
    jobs: list[tuple[Path, Path]] = []
    digests = []
    for sub in subs:
        for j, spec in enumerate(sub.files):
            rng = random.Random(f"{seed}/{sub.index}/{j}")
            blocks = Writer(material, sub, rng).compose(spec)
            digests.append(hashlib.sha256(repr(blocks).encode()).hexdigest())
            target = dest / sub.folder / spec.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            src = target if spec.rel.endswith(".docx") else chunk / f"{sub.index:04d}-{j:03d}.docx"
            write_docx(blocks, src, sub.company, rng.random() < 0.5, WORD_FONTS if src == target else PDF_FONTS)
            if src != target:
                jobs.append((src, target))
    cmd = [soffice(), f"-env:UserInstallation={profiles.uri}", "--headless", "--convert-to", "pdf",
           "--outdir", str(chunk / "pdf"), *(str(s) for s, _ in jobs)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=3600)
    for src, target in jobs:
        pdf = chunk / "pdf" / (src.stem + ".pdf")
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice did not convert {src.name} ({target})")
        shutil.move(pdf, target)
    shutil.rmtree(chunk)
    return digests


def chunks(subs: list[Sub]) -> list[list[Sub]]:
    out: list[list[Sub]] = [[]]
    size = 0
    for sub in subs:
        if size >= CHUNK_PAGES:
            out.append([])
            size = 0
        out[-1].append(sub)
        size += sum(f.pages for f in sub.files)
    return out


def visible_files(dest: Path) -> list[Path]:
    """The corpus files: everything but the manifest, the build marker and scratch space."""
    return sorted(p for p in dest.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(dest).parts))


def cached(dest: Path, params: dict) -> CorpusInfo | None:
    """The manifest's corpus if it was built with these parameters and every file is still there."""
    try:
        manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("params") != params:
        return None
    for f in manifest["files"]:
        path = dest / f["path"]
        if not path.is_file() or path.stat().st_size != f["bytes"]:
            return None
    return info_from(dest, manifest)


def info_from(dest: Path, manifest: dict) -> CorpusInfo:
    return CorpusInfo(manifest["submissions"], len(manifest["files"]),
                      [dest / f["path"] for f in manifest["files"] if f["path"].endswith(".pdf")],
                      manifest["pages"], manifest["bytes"], manifest["seconds_to_build"])


def build_corpus(dest: Path, submissions: int = 300, pages: int = 30000, seed: int = 7) -> CorpusInfo:
    """Build (or reuse) a batch folder of ≥ `submissions` submissions holding ≥ `pages` PDF pages."""
    import pypdfium2 as pdfium

    dest = Path(dest).resolve()  # soffice gets its profile as a file:// URI, which must be absolute
    params = {"version": VERSION, "submissions": submissions, "pages": pages, "seed": seed}
    if (hit := cached(dest, params)) is not None:
        return hit
    if dest.exists() and any(dest.iterdir()):
        ours = (dest / MANIFEST).exists() or (dest / BUILDING).exists()
        if not ours:  # never wipe a folder this script did not make
            raise RuntimeError(f"{dest} is not empty and holds no corpus built by {Path(__file__).name}")
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / BUILDING).write_text(json.dumps(params), encoding="utf-8")
    start = time.perf_counter()
    material = load_material()
    rng = random.Random(seed)
    names: set[str] = set()  # distinct companies across the batch, top-ups included
    subs = plan(submissions, pages, rng, names)
    done: list[Sub] = []
    digests: list[str] = []
    total = 0
    # -- scratch space inside DEST (hidden, so smaudit skips it): a rebuild after a crash wipes it too --
    with tempfile.TemporaryDirectory(prefix=".work-", dir=dest) as tmp:
        profiles, ids = threading.local(), count()
        workers = max(1, min(4, os.cpu_count() or 1))
        while subs:
            with ThreadPoolExecutor(workers) as pool:  # threads suffice: the time is spent inside soffice
                for result in pool.map(lambda c: build_chunk(c, dest, Path(tmp), material, seed, profiles, ids),
                                       chunks(subs)):
                    digests += result
            done += subs
            total = sum(len(pdfium.PdfDocument(p)) for p in visible_files(dest) if p.suffix == ".pdf")
            short = pages - total
            # -- the layout decides real page counts: top up with extra submissions until the target is met --
            subs = plan(max(1, math.ceil(short / 120)), round(short * 1.05), rng, names, len(done), big=False) if short > 0 else []
    if len(set(digests)) != len(digests):
        raise AssertionError("two files were composed from the same text")
    entries, page_total = [], 0
    for path in visible_files(dest):
        n = len(pdfium.PdfDocument(path)) if path.suffix == ".pdf" else 0
        page_total += n
        entries.append({"path": path.relative_to(dest).as_posix(), "bytes": path.stat().st_size, "pages": n,
                        "sha256": sha256_of(path)})
    hashes = [e["sha256"] for e in entries]
    assert len(set(hashes)) == len(hashes), "duplicate file contents"
    assert page_total >= pages, f"only {page_total} PDF pages"
    assert len(done) >= submissions
    manifest = {
        "params": params, "submissions": len(done), "pages": page_total,
        "bytes": sum(e["bytes"] for e in entries), "seconds_to_build": round(time.perf_counter() - start, 1),
        "content_hash": hashlib.sha256("".join(f"{e['path']}\t{e['sha256']}\n" for e in entries).encode()).hexdigest(),
        "files": entries,
    }
    tmp_manifest = dest / (MANIFEST + ".tmp")
    tmp_manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp_manifest.replace(dest / MANIFEST)  # the manifest appears last and whole: its presence means complete
    (dest / BUILDING).unlink()
    return info_from(dest, manifest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--pages", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    info = build_corpus(args.dest, args.submissions, args.pages, args.seed)
    pdf_bytes = sum(p.stat().st_size for p in info.pdf_files)
    print(f"{args.dest}: {info.submissions} submissions, {info.files} files ({len(info.pdf_files)} PDF), "
          f"{info.pages} PDF pages, {info.bytes / 1e6:.1f} MB ({pdf_bytes / 1e6:.1f} MB PDF), "
          f"built in {info.seconds_to_build:.0f} s")


if __name__ == "__main__":
    main()
