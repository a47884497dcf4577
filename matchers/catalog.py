"""Load and validate the lexicon folder: criteria catalog, term files, cue lists, policy text.

A broken catalog is our data, not the applicant's, so it stops the run with the
file and the key named (CatalogError), before any submission is read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

MODE_IDS = tuple(f"M{i:02d}" for i in range(1, 11))
CRITERIA_BY_TRACK = {
    "enterprise": ("ENT-G1", "ENT-G2", "ENT-G3", "ENT-G4", "ENT-G5"),
    "project": ("PRJ-C", "PRJ-P"),
    "platform": ("PLT-T1", "PLT-T2", *(f"PLT-C{i}" for i in range(1, 10))),
}
TRACKS = tuple(CRITERIA_BY_TRACK)
# name: the mode's own name; practice: concrete practice; abbr: Latin abbreviation;
# weak: a generic word (安装调试) that supports a mode only beside another of its terms.
TERM_TAGS = ("name", "practice", "abbr", "weak")
# jieba's own user-dict line format: word, optional frequency, optional lowercase tag.
TERM_LINE_RE = re.compile(r"^(\S+?)(?: ([0-9]+))?(?: ([a-z]+))?$")
CUE_FILES = ("negated", "planned", "underway", "concrete", "enumeration", "neutral")


class CatalogError(ValueError):
    """The lexicon folder is broken; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    mode: str
    tag: str  # name | practice | abbr
    freq: int | None


@dataclass(frozen=True, slots=True)
class TermPattern:
    """A family of terms one list cannot enumerate (共享喷涂中心, 共享裁剪车间 …), as a regular expression."""

    mode: str
    tag: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class PlanDocuments:
    """Offering documents (招股说明书, 募集说明书, 本次发行 …) speak of the offering being applied for.

    While the text never says that an offering was completed, a sentence held up only by offering terms is a plan."""

    mode: str
    document: re.Pattern[str]  # the text is an offering document
    done: re.Pattern[str]  # the text says an offering is completed (完成发行, 上市交易, 募集资金净额 …)
    terms: re.Pattern[str]  # every term of the sentence names the offering (发行, 上市, 保荐 …)


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    track: str
    label: str
    policy: str
    cues: tuple[str, ...]
    kind: str = "cues"  # cues | ratio | project_content | performance | platform_type
    min_met: int = 2
    allow_planned: bool = False
    evidence: re.Pattern[str] | None = None  # what a sentence must show to count as concrete for this condition
    cue_patterns: tuple[re.Pattern[str], ...] = ()  # regular-expression cues (入园企业86家) beside the words


@dataclass(frozen=True, slots=True)
class AmbiguityRule:
    mode: str | None
    near: tuple[str, ...]  # empty for the default rule


@dataclass(frozen=True, slots=True)
class Catalog:
    root: Path
    version: str
    digest: str
    mode_names: dict[str, str]
    project_types: tuple[str, ...]
    terms: tuple[Term, ...]
    patterns: tuple[TermPattern, ...]
    ambiguous: dict[str, tuple[AmbiguityRule, ...]]
    criteria: dict[str, Criterion]
    tracks: dict[str, tuple[str, ...]]  # track → title cues
    track_labels: dict[str, str]
    cues: dict[str, tuple[str, ...]]
    thresholds: dict[str, float]
    policy_text: str
    # Service-delivery constructions (为客户提供…, 为200家企业…, 按使用时长收费): who is served marks a practice.
    delivery: tuple[re.Pattern[str], ...] = ()
    hedges: tuple[str, ...] = ()  # 可/能够/致力于 just before a construction make it a capability, not a delivery
    capability: tuple[str, ...] = ()  # modal words (可进行…测试) that make a term in their clause a capability
    # The company receives the service (为公司下属子公司提供节能服务): another party does the practice.
    received: tuple[re.Pattern[str], ...] = ()
    # Spans that only name things: titles (关于…的议案), discussion topics (就…进行交流), business segments, feature lists.
    naming: tuple[re.Pattern[str], ...] = ()
    plan_documents: tuple[PlanDocuments, ...] = ()
    # The sentence model (matchers/learned.py) and the probability at which it makes a mode evidenced; None: off.
    sentence_model: Path | None = None
    model_threshold: float = 1.0
    # Below the threshold, a sentence scoring at hint_threshold is shown to the reviewer as a lead; it never sets a status.
    hint_threshold: float | None = None

    def criteria_for(self, track: str | None) -> tuple[Criterion, ...]:
        return tuple(self.criteria[c] for c in CRITERIA_BY_TRACK.get(track or "", ()))


def default_dir() -> Path:
    return Path(str(resources.files("lexicon")))


def load_catalog(root: Path | None = None) -> Catalog:
    """Read and check the whole lexicon folder (default: the packaged lexicon/)."""
    root = Path(root) if root else default_dir()
    catalog_file = root / "criteria.yaml"
    data = _read_yaml(catalog_file)
    modes = _require(data, "modes", list, catalog_file)
    mode_names = {_require(m, "id", str, catalog_file): _require(m, "name", str, catalog_file) for m in modes}
    _check_ids(set(mode_names), set(MODE_IDS), catalog_file, "modes")
    terms = tuple(t for m in modes for t in _read_terms(root / _require(m, "terms", str, catalog_file), m["id"]))
    criteria = {c.id: c for c in (_criterion(c, catalog_file) for c in _require(data, "criteria", list, catalog_file))}
    _check_ids(set(criteria), {c for ids in CRITERIA_BY_TRACK.values() for c in ids}, catalog_file, "criteria")
    if not (root / "cities.yaml").is_file():
        raise CatalogError(f"{root / 'cities.yaml'}: 文件不存在（地级市与区县名单）")
    tracks_data = _require(data, "tracks", dict, catalog_file)
    delivery_data = data.get("delivery") or {}
    delivery = _delivery(delivery_data, catalog_file)
    received = _delivery(delivery_data, catalog_file, "received")
    naming = _delivery(delivery_data, catalog_file, "naming")
    _check_ids(set(tracks_data), set(TRACKS), catalog_file, "tracks")
    return Catalog(
        root=root,
        version=str(data.get("version", "")),
        digest=_digest(root),
        mode_names=mode_names,
        project_types=tuple(m["id"] for m in modes if m.get("project_type")),
        terms=terms,
        patterns=tuple(p for m in modes for p in _patterns(m, catalog_file)),
        plan_documents=tuple(p for m in modes if (p := _plan_documents(m, catalog_file)) is not None),
        ambiguous=_ambiguous(data.get("ambiguous") or {}, catalog_file),
        criteria=criteria,
        tracks={k: tuple(v.get("cues", [])) for k, v in tracks_data.items()},
        track_labels={k: str(v.get("label", k)) for k, v in tracks_data.items()},
        cues={name: _read_list(root / "cues" / f"{name}.txt") for name in CUE_FILES},
        thresholds={k: float(v) for k, v in _require(data, "thresholds", dict, catalog_file).items()},
        policy_text=(root / "policy.txt").read_text(encoding="utf-8") if (root / "policy.txt").exists() else "",
        delivery=delivery,
        hedges=_words(delivery_data, "hedges"),
        capability=_words(delivery_data, "capability"),
        received=received,
        naming=naming,
        sentence_model=_sentence_model(data.get("sentence_model"), root, catalog_file),
        model_threshold=float((data.get("sentence_model") or {}).get("threshold", 1.0)),
        hint_threshold=_hint_threshold(data.get("sentence_model")),
    )


def _sentence_model(raw: Any, root: Path, path: Path) -> Path | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("file"), str) or not isinstance(raw.get("threshold"), int | float):
        raise CatalogError(f"{path}: sentence_model 应为映射，含 file（模型文件）和 threshold（0–1 的概率）")
    if not 0 < float(raw["threshold"]) <= 1:
        raise CatalogError(f"{path}: sentence_model.threshold 应在 0 与 1 之间，现为 {raw['threshold']}")
    model = root / raw["file"]
    if "hint_threshold" in raw and not (isinstance(raw["hint_threshold"], int | float)
                                        and 0 < float(raw["hint_threshold"]) <= float(raw["threshold"])):
        raise CatalogError(f"{path}: sentence_model.hint_threshold 应在 0 与 threshold 之间，现为 {raw['hint_threshold']}")
    if not model.is_file():
        raise CatalogError(f"{model}: 文件不存在（句子模型；用 smaudit train-model 生成，或删去 sentence_model 一段以停用）")
    return model


def _hint_threshold(raw: Any) -> float | None:
    # Checked with the rest of the section in _sentence_model; absent means no leads.
    return float(raw["hint_threshold"]) if isinstance(raw, dict) and "hint_threshold" in raw else None


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise CatalogError(f"{path}: 文件不存在 (criteria catalog not found)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: YAML 格式错误: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: 顶层应为映射 (top level must be a mapping)")
    return data


def _require(mapping: dict[str, Any], key: str, typ: type, path: Path) -> Any:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, typ):
        raise CatalogError(f"{path}: 键 '{key}' 缺失或类型错误，应为 {typ.__name__} (in {mapping!r:.80})")
    return value


def _check_ids(found: set[str], expected: set[str], path: Path, key: str) -> None:
    missing, unknown = expected - found, found - expected
    if missing or unknown:
        raise CatalogError(f"{path}: '{key}' 缺少 {sorted(missing)}，或有未知编号 {sorted(unknown)}")


def _criterion(raw: dict[str, Any], path: Path) -> Criterion:
    cid = _require(raw, "id", str, path)
    track = _require(raw, "track", str, path)
    if track not in TRACKS:
        raise CatalogError(f"{path}: criteria '{cid}' 的 track '{track}' 无效，应为 {TRACKS}")
    return Criterion(
        id=cid, track=track, label=_require(raw, "label", str, path), policy=str(raw.get("policy", "")),
        cues=tuple(str(c) for c in _require(raw, "cues", list, path)), kind=str(raw.get("kind", "cues")),
        min_met=int(raw.get("min_met", 2)), allow_planned=bool(raw.get("allow_planned", False)),
        evidence=_regex(raw.get("evidence"), f"criteria '{cid}' 的 evidence", path),
        cue_patterns=tuple(p for p in (_regex(src, f"criteria '{cid}' 的 cue_patterns", path)
                                       for src in raw.get("cue_patterns") or []) if p is not None),
    )


def _regex(source: object, where: str, path: Path) -> re.Pattern[str] | None:
    if source is None:
        return None
    try:
        return re.compile(str(source))
    except re.error as exc:
        raise CatalogError(f"{path}: {where} 正则表达式 '{source}' 有误：{exc}") from exc


def _ambiguous(raw: dict[str, Any], path: Path) -> dict[str, tuple[AmbiguityRule, ...]]:
    rules: dict[str, tuple[AmbiguityRule, ...]] = {}
    for term, items in raw.items():
        parsed = []
        for item in items:
            mode = item.get("mode", item.get("default"))
            if mode is not None and mode not in MODE_IDS:
                raise CatalogError(f"{path}: ambiguous '{term}' 的模式 '{mode}' 无效")
            parsed.append(AmbiguityRule(mode, tuple(item.get("near", ()))))
        rules[str(term).upper()] = tuple(parsed)
    return rules


def _delivery(raw: dict[str, Any], path: Path, key: str = "patterns") -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, dict):
        raise CatalogError(f"{path}: 键 'delivery' 应为映射（patterns, hedges）")
    compiled = (_regex(source, f"delivery 的 {key}", path) for source in raw.get(key) or ())
    return tuple(p for p in compiled if p is not None)


def _words(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(w) for w in raw.get(key) or ())


def _plan_documents(mode: dict[str, Any], path: Path) -> PlanDocuments | None:
    raw = mode.get("plan_documents")
    if raw is None:
        return None
    keys = ("document", "done", "terms")
    if not isinstance(raw, dict) or any(not isinstance(raw.get(k), str) for k in keys):
        raise CatalogError(f"{path}: 模式 {mode['id']} 的 plan_documents 应为映射，含 document、done、terms 三个正则表达式")
    document, done, terms = (_regex(raw[k], f"模式 {mode['id']} 的 plan_documents.{k}", path) for k in keys)
    return PlanDocuments(mode["id"], document, done, terms)


def _patterns(mode: dict[str, Any], path: Path) -> list[TermPattern]:
    patterns = []
    for source in mode.get("patterns") or []:
        try:
            patterns.append(TermPattern(mode["id"], "practice", re.compile(str(source))))
        except re.error as exc:
            raise CatalogError(f"{path}: 模式 {mode['id']} 的 patterns 正则表达式 '{source}' 有误：{exc}") from exc
    return patterns


def _read_terms(path: Path, mode: str) -> list[Term]:
    terms = []
    for lineno, line in _numbered_lines(path):
        match = TERM_LINE_RE.match(line)
        if not match:
            raise CatalogError(f"{path}:{lineno}: 无法解析 '{line}'（格式：词 频率 标记，词中不能有空格）")
        word, freq, tag = match.groups()
        if tag not in TERM_TAGS:
            raise CatalogError(f"{path}:{lineno}: 标记 '{tag}' 无效，应为 {TERM_TAGS} 之一")
        terms.append(Term(word, mode, tag, int(freq) if freq else None))
    return terms


def _read_list(path: Path) -> tuple[str, ...]:
    return tuple(_lines(path))


def _numbered_lines(path: Path) -> list[tuple[int, str]]:
    """(line number in the file, text) of each non-comment line, so errors point at the right line."""
    if not path.exists():
        raise CatalogError(f"{path}: 文件不存在")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(i, ln.strip()) for i, ln in enumerate(lines, start=1) if ln.strip() and not ln.lstrip().startswith("#")]


def _lines(path: Path) -> list[str]:
    if not path.exists():
        raise CatalogError(f"{path}: 文件不存在")
    text = path.read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".txt")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
