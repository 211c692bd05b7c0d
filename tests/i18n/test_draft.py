"""`i18n draft --provider libre` through deep-translator's real LibreTranslator against a fake server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from bot.i18n.status import State, machine_of, mark_reviewed, state_of
from bot.translation.po import entries, key_of, read_catalog, write_catalog
from tests.fakes.libretranslate import FakeLibreTranslate, serve_libretranslate
from tests.i18n.conftest import Project

DETAILS = ("welcome/details", "Hallo {name}, das ist <b>wichtig</b>: Wir speichern keine Namen. Notruf 110.")
REVIEWED = ("main_menu/choose", "Wie kann ich Ihnen helfen?")


@pytest.fixture
def fake() -> Iterator[FakeLibreTranslate]:
    with serve_libretranslate() as server:
        yield server


@pytest.fixture
def reviewed(project: Project) -> Project:
    """The Arabic catalog has one reviewed translation, which no draft may touch."""
    path = project.po("ar")
    catalog = read_catalog(path, "ar")
    message = next(message for message in entries(catalog) if key_of(message) == REVIEWED)
    message.string = "كيف يمكنني مساعدتك؟"
    mark_reviewed(message, "Amina K.", date(2026, 11, 20))
    write_catalog(path, catalog)
    return project


def states(project: Project, language: str) -> dict[tuple[str, str], State]:
    return {
        key_of(message): state_of(message)
        for message in entries(read_catalog(project.po(language), language))
    }


def draft(project: Project, fake: FakeLibreTranslate, language: str = "ar", *extra: str) -> str:
    result = project.i18n("draft", "--lang", language, "--provider", "libre", "--url", fake.url, *extra)
    return f"{result.exit_code}\n{result.output}"


def test_missing_texts_become_machine_drafts_with_protected_parts_intact(
    reviewed: Project, fake: FakeLibreTranslate
) -> None:
    output = draft(reviewed, fake)
    assert output.startswith("0\n"), output
    assert "10 machine draft(s)" in output
    catalog = read_catalog(reviewed.po("ar"), "ar")
    found = {key_of(message): message for message in entries(catalog)}
    details = found[DETAILS]
    assert (
        details.string == "ar: Hallo {name}, das ist <b>wichtig</b>: Wir speichern keine Namen. Notruf 110."
    )
    assert details.fuzzy and state_of(details) is State.MACHINE
    mark = machine_of(details)
    assert mark is not None and (mark.who, mark.day) == ("libre", date.today())
    assert found[("welcome/privacy", "✅ Verstanden")].string == "✅ ar: Verstanden"
    assert found[REVIEWED].string == "كيف يمكنني مساعدتك؟" and state_of(found[REVIEWED]) is State.REVIEWED
    sent = next(request for request in fake.requests if "wichtig" in request["q"])
    assert (sent["source"], sent["target"]) == ("de", "ar")
    assert sent["q"] == "Hallo ⟦0⟧, das ist ⟦1⟧wichtig⟦2⟧: Wir speichern keine Namen. Notruf ⟦3⟧."
    assert all(request["q"] != REVIEWED[1] for request in fake.requests)


def test_url_and_key_come_from_the_environment(project: Project) -> None:
    with serve_libretranslate(api_key="s3cret") as fake:
        env = {"WEGWEISER_LIBRETRANSLATE_URL": fake.url, "WEGWEISER_LIBRETRANSLATE_KEY": "s3cret"}
        result = project.i18n("draft", "--lang", "uk", "--provider", "libre", env=env)
    assert result.exit_code == 0, result.output
    assert {request["api_key"] for request in fake.requests} == {"s3cret"}
    assert set(states(project, "uk").values()) == {State.MACHINE}


def test_a_refused_key_is_a_clear_error(project: Project) -> None:
    with serve_libretranslate(api_key="s3cret") as fake:
        result = project.i18n(
            "draft", "--lang", "uk", "--provider", "libre", "--url", fake.url, "--api-key", "wrong"
        )
    assert result.exit_code == 1
    assert "the API key was refused" in result.output
    assert set(states(project, "uk").values()) == {State.MISSING}


def test_quota_keeps_what_was_drafted_and_loses_nothing(reviewed: Project, fake: FakeLibreTranslate) -> None:
    fake.mode, fake.fail_after = "quota", 3
    output = draft(reviewed, fake)
    assert output.startswith("1\n")
    assert "quota reached (HTTP 429" in output
    assert "7 text(s) still missing" in output
    counted = list(states(reviewed, "ar").values())
    assert (counted.count(State.MACHINE), counted.count(State.REVIEWED), counted.count(State.MISSING)) == (
        3,
        1,
        7,
    )

    fake.mode = "ok"  # the next run fills the rest and keeps the first three
    assert draft(reviewed, fake).startswith("0\n")
    counted = list(states(reviewed, "ar").values())
    assert (counted.count(State.MACHINE), counted.count(State.REVIEWED)) == (10, 1)


def test_a_server_error_changes_no_file(reviewed: Project, fake: FakeLibreTranslate) -> None:
    before = reviewed.po("ar").read_bytes()
    fake.mode = "error"
    output = draft(reviewed, fake)
    assert output.startswith("1\n")
    assert "the service answered with an error" in output
    assert reviewed.po("ar").read_bytes() == before


def test_a_slow_server_times_out_with_a_clear_message(reviewed: Project, fake: FakeLibreTranslate) -> None:
    before = reviewed.po("ar").read_bytes()
    fake.mode = "slow"
    output = draft(reviewed, fake, "ar", "--timeout", "0.5")
    assert output.startswith("1\n")
    assert "no answer within 0.5 seconds" in output
    assert reviewed.po("ar").read_bytes() == before


def test_a_draft_that_loses_a_protected_part_is_skipped(project: Project, fake: FakeLibreTranslate) -> None:
    fake.mode = "mangle"
    output = draft(project, fake)
    assert output.startswith("0\n")
    assert "skipped [welcome/details]" in output
    found = states(project, "ar")
    assert found[DETAILS] is State.MISSING
    assert found[("help/explain", "So funktioniert Wegweiser: Tippen Sie auf die Knöpfe.")] is State.MACHINE


def test_tokens_written_in_other_digits_are_restored(project: Project, fake: FakeLibreTranslate) -> None:
    fake.mode = "digits"
    assert draft(project, fake, "fa").startswith("0\n")
    catalog = read_catalog(project.po("fa"), "fa")
    details = next(message for message in entries(catalog) if key_of(message) == DETAILS)
    assert (
        details.string == "fa: Hallo {name}, das ist <b>wichtig</b>: Wir speichern keine Namen. Notruf 110."
    )


def test_a_language_the_server_does_not_offer_is_refused_before_any_text(
    project: Project, fake: FakeLibreTranslate
) -> None:
    output = draft(project, fake, "ti")
    assert output.startswith("1\n")
    assert "does not offer 'ti'" in output
    assert fake.requests == []


def test_an_unreachable_server_is_a_clear_error(project: Project) -> None:
    with serve_libretranslate() as fake:
        url = fake.url
    result = project.i18n("draft", "--lang", "ar", "--provider", "libre", "--url", url, "--timeout", "2")
    assert result.exit_code == 1
    assert "cannot reach LibreTranslate" in result.output
