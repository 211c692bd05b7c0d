"""The report store (both databases), receipt codes, the daily limiter and the coarse calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import yaml

from bot.reports import categories, receipt
from bot.reports.limits import DailyLimiter
from bot.reports.periods import cutoff_week, iso_week, months_ago, week_month
from bot.store import Store
from bot.store.reports import ReportStore
from tests.reports.generated import generated_reports

FLOWS = Path(__file__).resolve().parents[2] / "flows"
DAY = date(2026, 11, 25)


def test_a_code_is_found_only_by_itself(store: Store) -> None:
    reports = ReportStore.of(store)
    first, second = generated_reports(2)
    code = receipt.new_code()
    reports.add(first, receipt.seal(code, b"pepper"), day=DAY)
    reports.add(second, receipt.seal(receipt.new_code(), b"pepper"), day=DAY)
    found = [
        rid
        for rid, sealed in reports.candidates(receipt.tag(code, b"pepper"))
        if receipt.matches(code, sealed, b"pepper")
    ]
    assert found == [first.id]
    assert not [
        sealed
        for _, sealed in reports.candidates(receipt.tag(code, b"other"))
        if receipt.matches(code, sealed, b"other")
    ]
    assert reports.append(first.id, "mehr", "2026-W48", day=DAY)  # still in the pool: found there
    assert reports.mix(today=DAY) == 0  # three entries wait for company
    assert reports.reports() == []
    assert reports.mix(today=DAY + timedelta(days=7)) == 3  # ... at most a week
    assert not reports.append("00000000-0000-4000-8000-000000000000", "mehr", "2026-W48", day=DAY)
    assert {report.id: report.additions for report in reports.reports()}[first.id] == ("mehr",)


def test_purge_removes_old_reports_and_old_texts(store: Store) -> None:
    reports = ReportStore.of(store)
    old, recent = generated_reports(2)
    old = replace(old, reported_week="2024-W01", text="alt")
    recent = replace(recent, reported_week="2026-W40", text="neu")
    for report in (old, recent):
        reports.add(report, receipt.seal(receipt.new_code(), b""), day=DAY)
    reports.append(recent.id, "später", "2026-W41", day=DAY)
    assert reports.mix(today=DAY, force=True) == 3
    assert reports.purge_texts("2026-W45") == 3  # two texts and one addition
    assert [report.text for report in reports.reports()] == [None, None]
    assert reports.purge("2025-W01") == 1
    assert [report.id for report in reports.reports()] == [recent.id]
    assert reports.reports()[0].additions == ()


def test_codes_are_sixteen_digits_and_read_in_any_script() -> None:
    code = receipt.new_code()
    assert len(code) == 16 and code.isdigit()
    assert receipt.normalize(receipt.display(code)) == code
    assert receipt.normalize("١٢٣٤-٥٦٧٨-٩٠١٢-٣٤٥٦") == "1234567890123456"
    assert receipt.normalize("۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۶") == "1234567890123456"
    assert receipt.normalize("1234") is None
    sealed = receipt.seal(code, b"p")
    assert code.encode() not in sealed.digest + sealed.salt
    assert receipt.matches(code, sealed, b"p") and not receipt.matches(code, sealed, b"q")


def test_the_limiter_counts_per_sender_and_forgets_at_midnight() -> None:
    day = [date(2026, 11, 25)]
    limiter = DailyLimiter(2, today=lambda: day[0])
    assert limiter.take("telegram:1") and limiter.take("telegram:1")
    assert not limiter.take("telegram:1") and not limiter.allows("telegram:1")
    assert limiter.allows("telegram:2")
    day[0] += timedelta(days=1)
    assert limiter.allows("telegram:1")
    assert all("telegram" not in repr(key) for key in limiter._counts)


def test_the_calendar_is_coarse() -> None:
    assert months_ago(date(2026, 1, 15), 1) == "2025-12"
    assert months_ago(date(2026, 11, 25), 0) == "2026-11"
    assert iso_week(date(2026, 11, 25)) == "2026-W48"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
    assert week_month("2026-W48") == "2026-11"
    assert cutoff_week(date(2026, 11, 25), 90) == "2026-W35"


def test_the_flow_buttons_are_the_category_labels() -> None:
    flow = yaml.safe_load((FLOWS / "report.yml").read_text(encoding="utf-8"))["flows"]["report"]
    steps = {step.get("id"): step for step in flow["steps"]}
    for step_id, labels in [
        ("ask_form", categories.FORMS),
        ("ask_stage", categories.STAGES),
        ("ask_actor", categories.ACTORS),
        ("ask_when", categories.WHEN),
        ("ask_grounds", categories.GROUNDS),
    ]:
        listed = {
            choice["value"]: choice["title"]
            for choice in steps[step_id]["choices"]
            if choice["value"] not in (categories.CANCEL, categories.DONE)
        }
        assert listed == dict(labels), step_id
    unsaid = [
        choice for choice in steps["ask_place"]["choices"]["add"] if choice["value"] == categories.UNSAID
    ]
    assert unsaid[0]["title"] == categories.UNSAID_PLACE
    assert flow["sensitive"] is True


def test_an_entry_sealed_under_another_key_stops_no_one(store: Store) -> None:
    """After a key change, old pool entries stay (for the old key) and new reports still go through."""
    from bot.reports.pending import Sealer

    first, second = generated_reports(2)
    ReportStore(store.engine, Sealer(b"o" * 32)).add(first, receipt.seal(receipt.new_code(), b""), day=DAY)
    reports = ReportStore.of(store)
    reports.add(second, receipt.seal(receipt.new_code(), b""), day=DAY)
    assert [entry.report.id for entry in reports.pending()] == [second.id]  # type: ignore[union-attr]
    assert reports.mix(today=DAY, force=True) == 1
    assert [report.id for report in reports.reports()] == [second.id]
    assert ReportStore(store.engine, Sealer(b"o" * 32)).mix(today=DAY, force=True) == 1
