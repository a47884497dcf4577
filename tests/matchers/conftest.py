"""Session fixtures for the matcher tests: the packaged catalog and its scanner (jieba + spaCy, ~1 s)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extractors.model import Block, Document
from matchers.analyze import scanner_for
from matchers.catalog import Catalog
from matchers.model import Finding
from matchers.modes import mode_findings, submission_evidence
from matchers.scan import Scanner, scan


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    return scanner_for(None)


@pytest.fixture(scope="session")
def catalog(scanner: Scanner) -> Catalog:
    return scanner.catalog


@pytest.fixture(scope="session")
def find_modes(scanner: Scanner) -> Callable[..., dict[str, Finding]]:
    """Run scan → submission_evidence → mode_findings on a Document made by hand, one block per text.

    catalog: an edited copy of the packaged catalog (other thresholds), judged with the same scanner."""

    def run(*texts: str, catalog: Catalog | None = None) -> dict[str, Finding]:
        catalog = catalog or scanner.catalog
        doc = Document("a.docx", "docx", tuple(Block(i, 1, text) for i, text in enumerate(texts)))
        evidence = submission_evidence(scan([doc], scanner), [doc], catalog)
        return mode_findings(evidence, catalog)

    return run
