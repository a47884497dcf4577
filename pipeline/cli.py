"""The smaudit command line: a thin skin over the pipeline's library functions."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from multiprocessing.process import BaseProcess
from pathlib import Path

from tqdm import tqdm

from extractors.model import Document, Limits
from matchers.catalog import CatalogError, default_dir, load_catalog

from . import __version__
from .cache import CACHE_NAME, Cache, open_cache
from .discover import find_submissions
from .model import AuditResult, Submission
from .report import start_layout, write_report
from .run import AuditOptions, Progress, run_batch
from .writers.atomic import atomic_path
from .writers.excel import RunInfo, write_workbook
from .writers.jsonl import write_jsonl
from .writers.review import Reviews, read_reviews

log = logging.getLogger("smaudit")

MAIN_HELP = """smaudit：辽宁省省级服务型制造示范企业（项目、平台）申报材料审核工具。

Example:
  smaudit audit samples/packages -o out/audit.xlsx --json out/audit.jsonl
  smaudit eval samples/packages --gold samples/gold.jsonl
"""
AUDIT_HELP = """审核一个目录中的全部申报材料（每个子文件夹或 .zip 为一份），写出 Excel 审核表和 JSONL。

Example:
  smaudit audit samples/packages -o out/audit.xlsx --json out/audit.jsonl --workers 2
"""
EVAL_HELP = """用人工标注（gold JSONL）评估审核结果：各模式 evidenced 的精确率/召回率/F1、五类状态准确率、字段与条件准确率。

Example:
  smaudit eval samples/packages --gold samples/gold.jsonl
  smaudit eval out/audit.jsonl --gold samples/gold.jsonl     # 评估已有结果，不重新审核
"""


STATS_HELP = """合并一批或多批审核结果（JSONL），按模式×状态、类别、城市、批次统计，并统计模式共现；写出带图表的工作簿和供 pandas 使用的 CSV。

Example:
  smaudit stats out/2025.jsonl out/2026.jsonl -o out/stats.xlsx
"""
AGREEMENT_HELP = """读取审核人在“证据”表中填写的结论，按模式/条件统计机审结果与审核人一致的比例。
有“人工状态”时比较状态；否则“通过”视为同意机审、“不通过”视为不同意，其余不计。

Example:
  smaudit agreement out/audit.xlsx
"""


TRAIN_HELP = """用人工标注的句子训练句子模型（lexicon/model/sentences.json）。

句子模型与规则并用：规则判为“未见/仅提及”的模式，若某句的模型概率达到 criteria.yaml 中
sentence_model.threshold，即判为“有证据”，证据原因写明“模型判断”。训练数据格式见 samples/train/README.md。
需要 scikit-learn：pip install -e '.[train]'。

Example:
  smaudit train-model samples/train -o lexicon/model/sentences.json
"""
REVIEW_SENTENCES_HELP = """把审核人在“证据”表“人工状态”列认定的结论变成训练句子（samples/train 的格式）。

每个填了人工状态的服务模式行：原文与更多证据中的句子按审核人的状态标注（只标这一模式）；审核人认定不是“有证据”时，
待复核线索中的句子也作为反例。输出文件与 samples/train 一起交给 smaudit train-model，模型即学会本处申报材料的写法。

Example:
  smaudit review-sentences out/2025/audit.xlsx out/2026/audit.xlsx -o samples/train/office-reviews.jsonl
  smaudit train-model samples/train
"""


class UsageError(Exception):
    """Bad arguments or an unusable output path: exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smaudit", description=MAIN_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"smaudit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    audit = sub.add_parser("audit", help="审核申报材料", description=AUDIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("input", type=Path, help="输入目录：每个子文件夹或 .zip 为一份申报材料（也可直接给一个 .zip）")
    audit.add_argument("-o", "--output", type=Path, default=Path("audit.xlsx"), help="Excel 审核表路径（默认 audit.xlsx）")
    audit.add_argument("--json", type=Path, default=None, help="JSONL 结果路径（可选）")
    audit.add_argument("--report", type=Path, default=None, metavar="DIR",
                       help="生成证据页面（HTML）：每条证据在原文页面图像上高亮；审核表的页码链接到它")
    _shared_options(audit)
    ev = sub.add_parser("eval", help="对照人工标注评估", description=EVAL_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("input", type=Path, help="输入目录（将先审核），或已有的 audit .jsonl 结果")
    ev.add_argument("--gold", type=Path, required=True, help="人工标注 JSONL（与输出同一格式）")
    ev.add_argument("--json", type=Path, default=None, help="把评估结果另存为 JSON")
    _shared_options(ev)
    st = sub.add_parser("stats", help="合并多批结果统计模式普及情况", description=STATS_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    st.add_argument("results", type=Path, nargs="+", help="一个或多个 audit 的 JSONL 结果（每个文件为一批，如一个年度）")
    st.add_argument("-o", "--output", type=Path, default=Path("stats.xlsx"), help="统计工作簿（同名 .csv 一并写出）")
    ag = sub.add_parser("agreement", help="统计机审与审核人结论的一致率", description=AGREEMENT_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ag.add_argument("workbook", type=Path, help="审核人填写过的 audit.xlsx")
    rs = sub.add_parser("review-sentences", help="把审核人认定的结论变成训练句子", description=REVIEW_SENTENCES_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    rs.add_argument("workbooks", type=Path, nargs="+", help="审核人填写过“人工状态”的 audit.xlsx")
    rs.add_argument("-o", "--output", type=Path, required=True, help="写出的训练句子 JSONL（如 samples/train/office-reviews.jsonl）")
    tm = sub.add_parser("train-model", help="用标注句子训练句子模型", description=TRAIN_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    tm.add_argument("data", type=Path, nargs="*", default=[Path("samples/train")],
                    help="标注句子 JSONL 文件或目录（默认 samples/train）")
    tm.add_argument("-o", "--output", type=Path, default=None, help="模型文件（默认：内置 lexicon/model/sentences.json）")
    tm.add_argument("--C", type=float, default=2.0, help="正则化强度的倒数（默认 2.0，开发集交叉验证选定）")
    return parser


def _shared_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="并行进程数（默认：CPU 核数）")
    parser.add_argument("--lexicon", type=Path, default=None, help="使用编辑过的词典/条件目录（默认：内置 lexicon/）")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help=f"缓存目录：未变的文件不再重读、未变的材料不再重新分析（文件 {CACHE_NAME}；"
                             "audit 默认放在输出文件旁）")
    parser.add_argument("--no-cache", action="store_true", help="不读也不写缓存，全部重新读取")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="在 Dask 集群上运行（调度器地址，如 tcp://10.0.0.5:8786；需 pip install 'smaudit[cluster]'）")
    parser.add_argument("--file-timeout", type=float, default=120.0, help="单个文件读取时限（秒，默认 120；0 表示不隔离）")
    parser.add_argument("--abort-on-error", action="store_true", help="遇到程序错误立即停止（开发调试用）")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO, format="%(message)s")
    try:
        if args.command == "audit":
            return cmd_audit(args)
        if args.command == "eval":
            return cmd_eval(args)
        if args.command == "stats":
            return cmd_stats(args)
        if args.command == "agreement":
            return cmd_agreement(args)
        if args.command == "train-model":
            return cmd_train_model(args)
        if args.command == "review-sentences":
            return cmd_review_sentences(args)
    except (UsageError, CatalogError) as exc:
        print(f"smaudit: 错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Outputs are only ever replaced whole at the end, and the cache commits entry by entry.
        print("smaudit: 已中断：审核表和 JSONL 未改动；已读取的文件保存在缓存中，重新运行时不再重读。", file=sys.stderr)
        return 130
    return 2


class Interrupt:
    """Ctrl-C, remembered: a KeyboardInterrupt raised inside a finalizer (__del__) is swallowed by Python,
    so the batch also checks this flag at every file and package and before writing any output."""

    seen = False

    @classmethod
    def install(cls) -> None:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # leave SIG_IGN (nohup, &) alone
            signal.signal(signal.SIGINT, cls._handler)

    @classmethod
    def _handler(cls, signum: int, frame: object) -> None:
        cls.seen = True
        raise KeyboardInterrupt

    @classmethod
    def check(cls) -> None:
        if cls.seen:
            raise KeyboardInterrupt


class CliProgress(Progress):
    """A tqdm bar (files, pages/s, ETA) on a terminal; a line per package in a log."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: tqdm | None = None
        self.pages = self.finished = self.total = 0
        self.t0 = time.perf_counter()

    def planned(self, files: int, packages: int, cached_packages: int) -> None:
        self.total = packages
        if not self.quiet:
            log.info("%d 份申报材料，其中 %d 份结果取自缓存；需读取 %d 个文件", packages, cached_packages, files)
        self.bar = tqdm(total=files, unit="文件", desc="读取", dynamic_ncols=True,
                        disable=self.quiet or not sys.stderr.isatty())

    def file_read(self, doc: Document) -> None:
        Interrupt.check()
        self.pages += doc.pages
        if self.bar is not None and not self.bar.disable:
            rate = self.pages / max(time.perf_counter() - self.t0, 1e-6)
            self.bar.set_postfix_str(f"{self.pages} 页，{rate:.0f} 页/秒", refresh=False)
            self.bar.update(1)

    def package_done(self, result: AuditResult) -> None:
        Interrupt.check()
        self.finished += 1
        if not self.quiet and (self.bar is None or self.bar.disable):
            log.info("[%d/%d] %s：%d 个文件，%d 页，%d 个问题，%.1f 秒", self.finished, self.total, result.submission,
                     len(result.files), result.pages, len(result.problems), result.seconds)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cache_path(args: argparse.Namespace) -> Path | None:
    """Where the cache lives: --cache DIR, else beside the audit's output; none for --no-cache."""
    if getattr(args, "no_cache", False):
        return None
    if args.cache is not None:
        return args.cache / CACHE_NAME
    output = getattr(args, "output", None) if args.command == "audit" else None
    return output.parent / CACHE_NAME if output is not None else None


def run_audit(input_dir: Path, args: argparse.Namespace,
              before: Callable[[list[Submission]], object] | None = None) -> tuple[list[AuditResult], RunInfo]:
    """Audit every submission of input_dir; `before` is called with them before any file is read."""
    if not input_dir.is_dir() and not (input_dir.is_file() and input_dir.suffix.lower() == ".zip"):
        raise UsageError(f"输入目录不存在，或不是目录或 .zip 文件：{input_dir}")
    catalog = load_catalog(args.lexicon)
    limits = Limits(timeout_s=args.file_timeout)
    where = cache_path(args)
    options = AuditOptions(workers=max(1, args.workers), lexicon=args.lexicon, limits=limits,
                           abort_on_error=args.abort_on_error, scheduler=args.scheduler)
    subs, loose = find_submissions(input_dir) if input_dir.is_dir() else ([Submission(input_dir.name, input_dir)], [])
    started, t0 = datetime.now().isoformat(timespec="seconds"), time.perf_counter()
    if before is not None:
        before(subs)
    cache: Cache | None = open_cache(where) if where is not None else None
    progress = CliProgress(args.quiet)
    try:
        results = run_batch(subs, options, progress=progress, cache=cache)
    finally:
        progress.close()
        if cache is not None:
            cache.close()
    for p in loose:
        log.warning("%s", p.message)
    problems = [*loose, *(cache.problems if cache else [])]
    if cache is not None and not args.quiet:
        s = cache.stats
        log.info("缓存 %s：%d 份材料、%d 个文件取自缓存，新存入 %d 份、%d 个", where, s.results_hit, s.documents_hit,
                 s.results_stored, s.documents_stored)
    info = RunInfo(__version__, catalog.version, catalog.digest, str(input_dir), started,
                   round(time.perf_counter() - t0, 1), tuple(problems))
    return results, info


def _check_writable(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建输出目录 {parent}：{exc.strerror}") from exc
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"输出文件不可写：{path}")


def previous_reviews(output: Path) -> tuple[Reviews, Path | None]:
    """Reviewer columns of the workbook about to be replaced, after copying it to a backup."""
    if not output.exists():
        return Reviews(), None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = output.with_name(f"{output.stem}.备份-{stamp}{output.suffix}")
    shutil.copy2(output, backup)
    try:
        return read_reviews(output), backup
    except Exception as exc:  # not a workbook we can read: refuse rather than lose a reviewer's work
        raise UsageError(f"无法读取已有审核表 {output}（{type(exc).__name__}），为避免丢失审核意见已停止。"
                         f"请换一个输出文件名，或检查该文件（已备份为 {backup}）") from exc


def cmd_audit(args: argparse.Namespace) -> int:
    for path in (args.output, args.json):
        if path is not None:
            _check_writable(path)
    Interrupt.install()
    reviews, backup = previous_reviews(args.output)
    limits = Limits(timeout_s=args.file_timeout)
    layout: list[BaseProcess | None] = []
    start = (lambda subs: layout.append(start_layout(args.input, subs, args.report, limits))) if args.report else None
    results, info = run_audit(args.input, args, start)
    Interrupt.check()
    report = None
    if args.report is not None:
        # Before the workbook: what the evidence view could not show goes on the 问题 sheet and into the JSONL.
        report = write_report(results, args.input, args.report, limits, layout[0] if layout else None)
        results = [replace(r, problems=(*r.problems, *report.problems.get(r.submission, ()))) for r in results]
        info = replace(info, report_dir=str(args.report))
        Interrupt.check()
    write_workbook(results, args.output, info, reviews)
    if args.json:
        write_jsonl(results, args.json)
    files = sum(len(r.files) for r in results)
    pages = sum(r.pages for r in results)
    problems = sum(len(r.problems) for r in results)
    if backup:
        print(f"已保留审核人填写的 {len(reviews.rows)} 行意见；原审核表已备份为 {backup}")
    if report is not None:
        print(f"证据页面：{report.evidence} 条证据与待复核线索，{report.located} 条已在页面上定位，{report.images} 张页面图像，"
              f"{report.bytes / 1e6:.1f} MB，用时 {report.seconds} 秒 → {args.report / 'index.html'}")
    print(f"完成：{len(results)} 份申报材料，{files} 个文件，{pages} 页，{problems} 个问题，用时 {info.seconds} 秒"
          f" → {args.output}" + (f"，{args.json}" if args.json else ""))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .eval import evaluate, format_report, write_report
    from .writers.jsonl import read_jsonl

    if not args.gold.is_file():
        raise UsageError(f"标注文件不存在：{args.gold}")
    if args.input.is_file():
        predicted = read_jsonl(args.input)
    else:
        results, _ = run_audit(args.input, args)
        predicted = [r.to_json() for r in results]
    report = evaluate(predicted, read_jsonl(args.gold))
    print(format_report(report))
    if args.json:
        write_report(report, args.json)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .writers.jsonl import read_jsonl
    from .writers.stats_book import write_stats_book

    missing = [str(p) for p in args.results if not p.is_file()]
    if missing:
        raise UsageError(f"结果文件不存在：{'、'.join(missing)}")
    _check_writable(args.output)
    batches = [(path.stem, read_jsonl(path)) for path in args.results]
    csv_path = write_stats_book(batches, args.output)
    print(f"统计完成：{len(batches)} 批，{sum(len(b) for _, b in batches)} 份申报材料 → {args.output}，{csv_path}")
    return 0


def cmd_train_model(args: argparse.Namespace) -> int:
    try:
        from .train import train_files
    except ImportError as exc:  # scikit-learn is only needed here
        raise UsageError(f"训练需要 scikit-learn：pip install -e '.[train]'（{exc}）") from exc
    paths = sorted(p for d in args.data for p in ([d] if d.is_file() else d.glob("*.jsonl")))
    if not paths:
        raise UsageError(f"没有找到训练数据（*.jsonl）：{', '.join(map(str, args.data))}")
    out = args.output or default_dir() / "model" / "sentences.json"
    try:
        meta = train_files(paths, out, args.C)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    print(f"训练完成：{meta['sentences']} 句，{meta['ngrams']} 个字片段 → {out}")
    print("各模式“有证据”句数：" + "，".join(f"{m} {n}" for m, n in meta["evidenced"].items()))  # type: ignore[union-attr]
    return 0


def cmd_review_sentences(args: argparse.Namespace) -> int:
    from .review_sentences import harvest_workbook, summary

    missing = [str(p) for p in args.workbooks if not p.is_file()]
    if missing:
        raise UsageError(f"审核表不存在：{'、'.join(missing)}")
    _check_writable(args.output)
    lines = []
    for path in args.workbooks:
        harvest = harvest_workbook(path)
        for note in harvest.skipped:
            print(f"smaudit: 跳过：{note}", file=sys.stderr)
        print(f"{path}：{summary(harvest)}")
        lines += [json.dumps(e, ensure_ascii=False) for e in harvest.excerpts(path.name)]
    if not lines:
        raise UsageError("审核表中没有填写“人工状态”的服务模式行，没有可写的训练句子")
    with atomic_path(args.output) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"已写出 {len(lines)} 份申报材料的训练句子 → {args.output}；用 smaudit train-model 重新训练")
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from .agreement import agreement, format_agreement

    if not args.workbook.is_file():
        raise UsageError(f"审核表不存在：{args.workbook}")
    try:
        tallies = agreement(args.workbook)
    except (KeyError, ValueError, StopIteration) as exc:
        raise UsageError(f"{args.workbook} 不是 smaudit 审核表（缺少“证据”表或其表头）：{exc}") from exc
    print(format_agreement(tallies))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
