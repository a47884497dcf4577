"""spaCy with jieba as its tokenizer, loaded once per process with the lexicon as user dictionary.

spaCy's own ChineseTokenizer uses the global jieba module, so loading a user dict
there changes every segmenter in the process; we keep a private jieba.Tokenizer.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import jieba
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from .catalog import Catalog, load_catalog

jieba.setLogLevel(logging.WARNING)
DEFAULT_TERM_FREQ = 2000


class JiebaTokenizer:
    """A spaCy tokenizer over a private jieba.Tokenizer (modelled on spaCy's ChineseTokenizer)."""

    def __init__(self, vocab: Vocab, segmenter: jieba.Tokenizer) -> None:
        self.vocab = vocab
        self.segmenter = segmenter

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.segmenter.cut(text, HMM=True) if w]
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)


def make_segmenter(catalog: Catalog) -> jieba.Tokenizer:
    """A jieba tokenizer that knows every lexicon term and cue as a word."""
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    for term in catalog.terms:
        segmenter.add_word(term.text, term.freq or DEFAULT_TERM_FREQ)
    for cues in catalog.cues.values():
        for cue in cues:
            segmenter.add_word(cue)
    return segmenter


@functools.cache
def load_nlp(lexicon_dir: Path | None = None) -> tuple[Language, PhraseMatcher]:
    """spaCy pipeline and a PhraseMatcher of the status cues (labels: negated, planned, concrete)."""
    catalog = load_catalog(lexicon_dir)
    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, make_segmenter(catalog))
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label in ("negated", "planned", "concrete"):
        # Cues are matched as whole tokens: 未 must not fire inside 未来.
        matcher.add(label, [nlp.make_doc(cue) for cue in catalog.cues[label]])
    return nlp, matcher
