"""spaCy with jieba as its tokenizer, loaded once per process with the lexicon as user dictionary.

spaCy's own ChineseTokenizer uses the global jieba module, so loading a user dict
there changes every segmenter in the process; we keep a private jieba.Tokenizer.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import jieba
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from .catalog import Catalog, load_catalog

try:
    import rjieba
except ImportError:  # pragma: no cover - rjieba is a declared dependency; jieba is the fallback
    rjieba = None

jieba.setLogLevel(logging.WARNING)
Segmenter = Any  # rjieba.Jieba or jieba.Tokenizer: both have add_word(word, freq) and cut(text, hmm)
DEFAULT_TERM_FREQ = 2000


class JiebaTokenizer:
    """A spaCy tokenizer over a private jieba segmenter (modelled on spaCy's ChineseTokenizer).

    rjieba (jieba's algorithm in Rust, same dictionary and tokens, ~15× faster) when it is
    installed; the pure-Python jieba.Tokenizer otherwise.
    """

    def __init__(self, vocab: Vocab, segmenter: Segmenter) -> None:
        self.vocab = vocab
        self.segmenter = segmenter

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.segmenter.cut(text, True) if w]
        if not any(ch.isspace() for ch in text):
            # Most Chinese sentences hold no whitespace: the tokens are the text, no alignment needed.
            return Doc(self.vocab, words=words, spaces=[False] * len(words))
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)


class _PyJieba:
    """jieba.Tokenizer behind rjieba's call shape (its second positional argument is cut_all, not HMM)."""

    def __init__(self) -> None:
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None:
        self.tokenizer.add_word(word, freq, tag)

    def cut(self, text: str, hmm: bool) -> list[str]:
        return list(self.tokenizer.cut(text, HMM=hmm))


def make_segmenter(catalog: Catalog, fast: bool = True) -> Segmenter:
    """A jieba segmenter that knows every lexicon term and cue as a word."""
    segmenter: Segmenter = rjieba.Jieba() if fast and rjieba is not None else _PyJieba()
    for term in catalog.terms:
        segmenter.add_word(term.text, term.freq or DEFAULT_TERM_FREQ, None)
    for cues in catalog.cues.values():
        for cue in cues:
            segmenter.add_word(cue, None, None)
    return segmenter


@functools.cache
def load_nlp(lexicon_dir: Path | None = None) -> tuple[Language, PhraseMatcher]:
    """spaCy pipeline and a PhraseMatcher of the status cues (labels: negated, planned, underway, concrete)."""
    catalog = load_catalog(lexicon_dir)
    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, make_segmenter(catalog))
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label in ("negated", "planned", "underway", "concrete"):
        # Cues are matched as whole tokens: 未 must not fire inside 未来.
        matcher.add(label, [nlp.make_doc(cue) for cue in catalog.cues[label]])
    return nlp, matcher
