"""Status per string (missing, draft, machine, outdated, reviewed), the counts, and the serving policy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel.messages.catalog import Message

from bot.i18n.catalog import Catalog, Localized
from bot.i18n.status import State, mark_machine, mark_reviewed, review_of, state_of
from bot.translation.po import entries, read_catalog, write_catalog
from bot.translation.progress import progress_of
from tests.i18n.conftest import Project

DAY = date(2026, 11, 25)


def test_each_state_is_read_from_the_entry() -> None:
    assert state_of(Message("Hallo", "")) is State.MISSING
    assert state_of(Message("Hallo", "Hello")) is State.DRAFT  # translated, but nobody reviewed it
    assert state_of(Message("Hallo", "Hello", flags={"fuzzy"})) is State.DRAFT
    machine = Message("Hallo", "Hello")
    mark_machine(machine, "libre", DAY)
    assert state_of(machine) is State.MACHINE and machine.fuzzy
    assert machine.user_comments == ["machine: libre 2026-11-25"]
    outdated = Message("Hallo!", "Hello", flags={"fuzzy"}, previous_id=["Hallo"])
    assert state_of(outdated) is State.OUTDATED
    mark_reviewed(outdated, "Amina K.", DAY)
    assert state_of(outdated) is State.REVIEWED
    assert not outdated.fuzzy and not outdated.previous_id
    review = review_of(outdated)
    assert review is not None and (review.who, review.day) == ("Amina K.", DAY)


def test_a_review_replaces_the_machine_mark() -> None:
    message = Message("Hallo", "Hello")
    mark_machine(message, "google", DAY)
    mark_reviewed(message, "Olena", date(2026, 12, 1))
    assert message.user_comments == ["reviewed-by: Olena 2026-12-01"]


def _set_states(path: Path, language: str) -> None:
    """First entry reviewed, second a machine draft, third an outdated one, the rest missing."""
    catalog = read_catalog(path, language)
    first, second, third, *_ = entries(catalog)
    for message in (first, second, third):
        message.string = f"{language}: {message.id}"
    mark_reviewed(first, "Amina K.", DAY)
    mark_machine(second, "libre", DAY)
    third.flags.add("fuzzy")
    third.previous_id = ["Eine ältere Fassung."]
    write_catalog(path, catalog)


def test_status_counts_per_language(project: Project) -> None:
    _set_states(project.po("ar"), "ar")
    progress = progress_of("ar", read_catalog(project.po("ar"), "ar"))
    assert (progress.total, progress.reviewed, progress.draft, progress.machine, progress.outdated) == (
        11,
        1,
        1,
        1,
        1,
    )
    assert progress.missing == 8

    result = project.i18n("status")
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if "Arabic" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")][1:] == ["11", "8", "1 (1)", "1", "1", "9"]


def test_the_catalog_serves_reviewed_then_drafts_then_german(project: Project) -> None:
    _set_states(project.po("ar"), "ar")
    catalog = read_catalog(project.po("ar"), "ar")
    first, second, third, fourth, *_ = entries(catalog)

    served = Catalog.load(project.locale, serve_drafts=True)
    assert served.text("ar", str(first.id), first.context or "") == Localized(f"ar: {first.id}", "reviewed")
    assert served.text("ar", str(second.id), second.context or "") == Localized(f"ar: {second.id}", "draft")
    assert served.text("ar", str(third.id), third.context or "") == Localized(f"ar: {third.id}", "draft")
    assert served.text("ar", str(fourth.id), fourth.context or "") == Localized(str(fourth.id), "missing")

    strict = Catalog.load(project.locale, serve_drafts=False)
    assert strict.text("ar", str(first.id), first.context or "").status == "reviewed"
    assert strict.text("ar", str(second.id), second.context or "") == Localized(str(second.id), "missing")


def test_a_translation_without_review_mark_is_a_draft_not_reviewed(project: Project) -> None:
    """Only an interpreter makes a text reviewed: a plain translated entry is served as a draft."""
    path = project.po("fr")
    catalog = read_catalog(path, "fr")
    message = next(iter(entries(catalog)))
    message.string = "Veuillez choisir votre langue."
    write_catalog(path, catalog)
    localized = Catalog.load(project.locale).text("fr", str(message.id), message.context or "")
    assert localized.status == "draft"
