"""Checks on the mode term lists (lexicon/terms/M01.txt … M10.txt) and the status cue lists.

The term files are jieba user dictionaries (`词 频率 标记`). jieba reads each line with
`^(.+?)( [0-9]+)?( [a-z]+)?$`, so a term with a space or an upper-case tag silently becomes
a different word; these tests make such mistakes fail loudly.
"""

import re
from collections import defaultdict
from pathlib import Path

import pytest

jieba = pytest.importorskip("jieba")

LEXICON = Path(__file__).resolve().parents[1] / "lexicon"
TERMS_DIR = LEXICON / "terms"
CUES_DIR = LEXICON / "cues"
MODES = [f"M{i:02d}" for i in range(1, 11)]
MODE_NAMES = {
    "M01": "工业设计服务",
    "M02": "定制化服务",
    "M03": "供应链管理",
    "M04": "共享制造",
    "M05": "检验检测认证服务",
    "M06": "全生命周期管理",
    "M07": "总集成总承包",
    "M08": "节能环保服务",
    "M09": "生产性金融服务",
    "M10": "其他创新模式",
}
TAGS = {"name", "practice", "abbr", "weak"}
MIN_TERMS = 40
IN_SENTENCE_MIN_RATE = 0.85
CARRIERS = [
    "公司{}业务",
    "公司已开展{}，",
    "为客户提供{}服务",
    "通过{}实现降本增效",
    "采用{}模式",
    "积极推进{}建设",
    "主要从事{}等",
]
# Words that occur in almost any company text; as terms they would give every mode evidence.
TOO_GENERIC = {
    "设计",
    "服务",
    "管理",
    "平台",
    "采购",
    "检测",
    "质量",
    "金融",
    "数字化",
    "智能制造",
    "供应链",
    "物流",
    "创新",
    "融资",
    "租赁",
    "共享",
    "定制",
    "认证",
    "节能",
    "环保",
    "运维",
    "售后服务",
    "研发",
    "生产",
    "制造",
    "工业互联网",
    "信息化",
    "MES",
    "ERP",
    "ISO9001",
    "服务型制造",
}
LINE_RE = re.compile(r"^(?P<term>\S+) (?P<freq>[1-9][0-9]*) (?P<tag>[a-z]+)$")
AMBIGUOUS_RE = re.compile(r"^# ambiguous:(?P<terms>.*)$")
CUE_FILES = ["negated", "planned", "underway", "concrete", "enumeration"]


def _read_terms(mode: str) -> tuple[list[tuple[str, int, str]], set[str], list[str]]:
    """Parse one term file into (entries, ambiguous terms named in the header, bad lines)."""
    entries: list[tuple[str, int, str]] = []
    ambiguous: set[str] = set()
    bad: list[str] = []
    for raw in (TERMS_DIR / f"{mode}.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            m = AMBIGUOUS_RE.match(line)
            if m:
                ambiguous |= {t.strip() for t in m["terms"].split(",") if t.strip() not in ("", "(none)")}
            continue
        m = LINE_RE.match(line)
        if m is None:
            bad.append(raw)
        else:
            entries.append((m["term"], int(m["freq"]), m["tag"]))
    return entries, ambiguous, bad


TERMS = {mode: _read_terms(mode) for mode in MODES}
ALL_TERMS = sorted({term for entries, _, _ in TERMS.values() for term, _, _ in entries})


def _read_cues(name: str) -> list[str]:
    lines = (CUES_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]


@pytest.fixture(scope="module")
def tokenizer():
    tok = jieba.Tokenizer()
    for mode in MODES:
        # Load the raw files, comments included, exactly as a careless loader would.
        tok.load_userdict(str(TERMS_DIR / f"{mode}.txt"))
    return tok


@pytest.mark.parametrize("mode", MODES)
def test_lexicon_terms_lines_parse(mode):
    _, _, bad = TERMS[mode]
    assert bad == [], f"{mode}: lines not of the form '词 频率 标记': {bad}"


@pytest.mark.parametrize("mode", MODES)
def test_lexicon_terms_comments_are_harmless(mode):
    # jieba does not skip '#' lines: it adds them as words. A comment that starts with
    # '# ' holds a space, and a word with a space can never match running text.
    for line in (TERMS_DIR / f"{mode}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            assert line.startswith("# "), f"{mode}: comment must start with '# ': {line!r}"
            assert not re.search(r" ([0-9]+|[a-z]+)$", line), f"{mode}: comment parsed as freq/tag: {line!r}"


@pytest.mark.parametrize("mode", MODES)
def test_lexicon_terms_count(mode):
    entries, _, _ = TERMS[mode]
    assert len(entries) >= MIN_TERMS, f"{mode} has {len(entries)} terms"


@pytest.mark.parametrize("mode", MODES)
def test_lexicon_terms_tags(mode):
    entries, _, _ = TERMS[mode]
    wrong = [(t, tag) for t, _, tag in entries if tag not in TAGS]
    assert wrong == []


@pytest.mark.parametrize("mode", MODES)
def test_lexicon_terms_abbr_is_upper_latin(mode):
    entries, _, _ = TERMS[mode]
    wrong = [t for t, _, tag in entries if tag == "abbr" and not re.fullmatch(r"[A-Z0-9]+", t)]
    assert wrong == [], f"{mode}: abbr terms must be upper-case Latin: {wrong}"
    lower = [t for t, _, _ in entries if re.search(r"[a-z]", t)]
    assert lower == [], f"{mode}: write Latin letters in upper case: {lower}"


@pytest.mark.parametrize("mode", MODES)
def test_lexicon_terms_mode_name_present(mode):
    entries, _, _ = TERMS[mode]
    assert (MODE_NAMES[mode], "name") in {(t, tag) for t, _, tag in entries}


@pytest.mark.parametrize("mode", MODES)
def test_lexicon_terms_not_generic(mode):
    # a generic word may stand only as a root of the mode's name (tag `name`): alone it is a mention, never evidence
    entries, _, _ = TERMS[mode]
    assert [t for t, _, tag in entries if t in TOO_GENERIC and tag != "name"] == []


@pytest.mark.parametrize("mode", MODES)
def test_lexicon_terms_unique_within_file(mode):
    entries, _, _ = TERMS[mode]
    terms = [t for t, _, _ in entries]
    assert sorted({t for t in terms if terms.count(t) > 1}) == []


def test_lexicon_terms_cross_file_duplicates_are_declared():
    where = defaultdict(list)
    for mode, (entries, _, _) in TERMS.items():
        for term, _, _ in entries:
            where[term].append(mode)
    undeclared = {
        term: modes
        for term, modes in where.items()
        if len(modes) > 1 and not all(term in TERMS[m][1] for m in modes)
    }
    assert undeclared == {}, "terms in several files must be listed in '# ambiguous:' of each"
    # The header must not claim an ambiguity that is not there.
    for mode, (_, ambiguous, _) in TERMS.items():
        for term in ambiguous:
            assert len(where[term]) > 1 and mode in where[term], f"{mode}: '# ambiguous: {term}' is stale"
    assert set(where["EPC"]) == {"M07", "M08"}


@pytest.mark.parametrize("term", ALL_TERMS)
def test_lexicon_terms_one_token(tokenizer, term):
    assert list(tokenizer.cut(term, HMM=False)) == [term]


def test_lexicon_terms_one_token_in_sentence(tokenizer):
    # A term counts as kept when one token holds all of it: the term itself, or a longer
    # lexicon term around it (为客户提供全生命周期服务 → 全生命周期服务 is right).
    failures = []
    for carrier in CARRIERS:
        for term in ALL_TERMS:
            tokens = list(tokenizer.cut(carrier.format(term), HMM=False))
            if not any(term in token for token in tokens):
                failures.append(f"{term} in {carrier}: {'/'.join(tokens)}")
    total = len(ALL_TERMS) * len(CARRIERS)
    rate = 1 - len(failures) / total
    print(f"\nin-sentence one-token rate: {rate:.1%} ({total - len(failures)}/{total})")
    for failure in failures:
        print("  split:", failure)
    assert rate >= IN_SENTENCE_MIN_RATE, failures


@pytest.mark.parametrize("name", CUE_FILES)
def test_lexicon_cues_format(name):
    cues = _read_cues(name)
    assert len(cues) >= 9
    assert [c for c in cues if " " in c or "\t" in c] == []
    assert sorted({c for c in cues if cues.count(c) > 1}) == []


def test_lexicon_cues_status_lists_disjoint():
    lists = {n: set(_read_cues(n)) for n in ("negated", "planned", "underway", "concrete")}
    assert {(a, b): lists[a] & lists[b] for a in lists for b in lists if a < b and lists[a] & lists[b]} == {}


def test_lexicon_cues_enumeration_has_every_mode_name():
    assert set(MODE_NAMES.values()) <= set(_read_cues("enumeration"))


@pytest.mark.parametrize("name", ["negated", "planned", "underway", "concrete"])
def test_lexicon_cues_one_token_once_added(name):
    # A loader adds each cue with tok.add_word(cue) so that 不涉及 is one token, not 不/涉及.
    tok = jieba.Tokenizer()
    for mode in MODES:
        tok.load_userdict(str(TERMS_DIR / f"{mode}.txt"))
    cues = _read_cues(name)
    for cue in cues:
        tok.add_word(cue)
    split = {c: list(tok.cut(c, HMM=False)) for c in cues}
    assert {c: s for c, s in split.items() if s != [c]} == {}
