from __future__ import annotations

from pipeline.eval import evaluate, format_report


def _record(name: str, modes: dict[str, str], **fields: object) -> dict[str, object]:
    return {"submission": name, "track": "enterprise", "declared_modes": ["M03"],
            "modes": {m: {"status": s} for m, s in modes.items()}, "criteria": {"ENT-G4": {"status": "met"}},
            "fields": fields, "problems": [{"file": "a.pdf", "kind": "corrupt"}]}


def test_eval_counts_evidenced_and_status() -> None:
    gold = [_record("a", {"M01": "evidenced", "M02": "planned", "M03": "evidenced"}, city="大连", service_ratio=0.35)]
    pred = [_record("a", {"M01": "evidenced", "M02": "mentioned", "M04": "evidenced"}, city="大连", service_ratio=0.352)]
    report = evaluate(pred, gold)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 1, 1)
    assert report.overall.f1 == 0.5
    assert report.status_total == 10
    assert report.status_right == 10 - 3  # M02, M03, M04 differ
    assert report.field_right["city"] == 1 and report.field_right["service_ratio"] == 1
    assert report.condition_right == 1 and report.problems_found == 1


def test_eval_missing_submission_counts_as_absent() -> None:
    gold = [_record("a", {"M01": "evidenced"})]
    report = evaluate([], gold)
    assert report.missing == ["a"]
    assert report.evidenced["M01"].fn == 1
    assert "M01" in format_report(report)


def test_eval_counts_the_misses_a_reviewer_would_find_from_the_leads() -> None:
    gold = [_record("a", {"M01": "evidenced", "M02": "evidenced", "M03": "absent"})]
    pred = _record("a", {"M01": "absent", "M02": "absent", "M03": "absent"})
    lead = {"file": "a.pdf", "page": 1, "text": "……"}
    pred["modes"]["M01"]["hints"] = [lead, lead]
    pred["modes"]["M03"]["hints"] = [lead]
    report = evaluate([pred], gold)
    assert (report.missed_with_hint, report.hints_read, report.overall.fn) == (1, 3, 2)
    assert "漏判中有模型线索             0.500 (1/2)，线索共 3 句" in format_report(report)
