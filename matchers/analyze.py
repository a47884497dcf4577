"""The matchers' entry point: documents of one submission in, findings and fields out."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.model import Block, Document, Problem
from extractors.problems import problem

from .catalog import Catalog, load_catalog
from .conditions import condition_findings
from .consistency import consistency_problems
from .fields import read_fields
from .form import declared_modes, detect_track, infer_track, iter_pairs, platform_type
from .learned import model_findings
from .model import Fields, Finding
from .modes import mode_findings, submission_evidence
from .places import city_of_code, load_places
from .scan import Scanner, make_scanner, scan


@dataclass(frozen=True, slots=True)
class Analysis:
    track: str | None
    declared_modes: tuple[str, ...]
    platform_type: str | None
    fields: Fields
    modes: dict[str, Finding]
    criteria: dict[str, Finding]
    problems: tuple[Problem, ...]


@functools.cache
def scanner_for(lexicon_dir: Path | None) -> Scanner:
    return make_scanner(load_catalog(lexicon_dir))


@functools.cache
def warm(lexicon_dir: Path | None = None) -> None:
    """Load the lexicon, spaCy and jieba now, in the parent: every forked analysis then starts warm."""
    analyze([Document("warm-up.txt", "text", (Block(0, 1, "公司为客户提供远程运维服务，尚未开展融资租赁。"),))], lexicon_dir)


def analyze(documents: Sequence[Document], lexicon_dir: Path | None = None) -> Analysis:
    """Everything the audit finds in one submission's documents."""
    scanner = scanner_for(lexicon_dir)
    catalog: Catalog = scanner.catalog
    pairs = list(iter_pairs(documents))
    track = detect_track(pairs, documents, catalog)
    inferred = track is None and (track := infer_track(documents)) is not None
    declared = declared_modes(pairs, catalog, documents)
    if track == "project" and len(declared) > 1:
        declared = [m for m in declared if m in catalog.project_types][:1] or declared[:1]
    ptype = platform_type(pairs, documents, catalog) if track == "platform" else None
    fields = read_fields(pairs, documents, catalog)
    sentences = scan(documents, scanner)
    evidence = submission_evidence(sentences, documents, catalog)
    modes = model_findings(mode_findings(evidence, catalog), documents, scanner)
    criteria = condition_findings(track, sentences, evidence, fields, declared, ptype, catalog)
    _, division_codes = load_places(catalog.root / "cities.yaml")
    problems = list(consistency_problems(pairs, documents, fields, city_of_code(fields.credit_code, division_codes)))
    if track is None:
        problems.append(problem("track-unknown", ""))
    elif inferred:
        problems.append(problem("track-inferred", "", detail=catalog.track_labels.get(track, track)))
    if fields.credit_code and fields.credit_code_valid is False:
        problems.append(problem("credit-code-invalid", "", detail=fields.credit_code))
    elif not fields.credit_code:
        problems.append(problem("credit-code-missing", ""))
    return Analysis(track, tuple(declared), ptype, fields, modes, criteria, tuple(problems))
