"""What the matchers produce: Evidence for modes and conditions, and Fields read from the forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ModeStatus = Literal["evidenced", "planned", "negated", "mentioned", "absent"]
ConditionStatus = Literal["met", "weak", "missing"]
MODE_STATUSES: tuple[ModeStatus, ...] = ("evidenced", "planned", "negated", "mentioned", "absent")
CONDITION_STATUSES: tuple[ConditionStatus, ...] = ("met", "weak", "missing")
# Precedence when a mode appears several ways: the strongest finding wins.
MODE_RANK = {s: i for i, s in enumerate(MODE_STATUSES)}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence that supports a finding for a mode or a condition."""

    target: str  # "M03", "M03.VMI" or "ENT-G4"
    status: str
    score: float
    file: str
    page: int | None
    text: str
    terms: tuple[str, ...] = ()
    reason: str = ""
    source: str = "text"  # "text" | "table" | "ocr"
    printed_page: int | None = None  # the number printed on a PDF page, when it differs from `page`

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "file": self.file, "page": self.page, "text": self.text, "status": self.status,
            "score": round(self.score, 3), "terms": list(self.terms), "reason": self.reason, "source": self.source}
        if self.printed_page is not None and self.printed_page != self.page:
            data["printed_page"] = self.printed_page
        return data


@dataclass(frozen=True, slots=True)
class Finding:
    """The verdict for one mode or condition, with its best evidence."""

    target: str
    status: str
    score: float
    evidence: tuple[Evidence, ...] = ()
    reason: str = ""
    # Sentences the sentence model found likely but not sure enough to decide on: leads for the reviewer, never a verdict.
    hints: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Fields:
    """Facts about the applicant read from the package."""

    applicant: str | None = None
    credit_code: str | None = None
    credit_code_valid: bool | None = None
    city: str | None = None
    in_liaoning: bool | None = None
    year: int | None = None
    total_revenue_wan: float | None = None
    service_revenue_wan: float | None = None
    service_ratio: float | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field name → "file p.N" it came from

    def to_json(self) -> dict[str, object]:
        return {
            "applicant": self.applicant, "credit_code": self.credit_code,
            "credit_code_valid": self.credit_code_valid, "city": self.city, "in_liaoning": self.in_liaoning,
            "year": self.year, "total_revenue_wan": self.total_revenue_wan,
            "service_revenue_wan": self.service_revenue_wan, "service_ratio": self.service_ratio,
        }
