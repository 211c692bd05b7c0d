"""`i18n extract` and `i18n update`: every text with its place, and a changed German text marked outdated."""

from __future__ import annotations

from datetime import date

from bot.i18n.languages import LANGUAGES
from bot.i18n.status import State, mark_machine, mark_reviewed, state_of
from bot.translation.po import TARGETS, entries, key_of, read_catalog, template_path, write_catalog
from tests.i18n.conftest import Project

PRIVACY = "Ich speichere nur Ihre Sprache und wo Sie im Gespräch sind."


def translate_all(project: Project, language: str) -> None:
    """Give every entry a reviewed translation."""
    path = project.po(language)
    catalog = read_catalog(path, language)
    for message in entries(catalog):
        message.string = f"{language}: {message.id}"
        mark_reviewed(message, "Amina K.", date(2026, 11, 20))
    write_catalog(path, catalog)


def test_template_has_every_text_with_context_place_and_limits(project: Project) -> None:
    template = read_catalog(template_path(project.locale))
    found = {key_of(message): message for message in entries(template)}
    assert set(found) == {
        ("welcome/choose_language", "Bitte wählen Sie Ihre Sprache."),
        ("welcome/privacy", PRIVACY),
        ("welcome/privacy", "✅ Verstanden"),
        ("welcome/privacy", "ℹ️ Mehr dazu"),
        ("welcome/details", "Hallo {name}, das ist <b>wichtig</b>: Wir speichern keine Namen. Notruf 110."),
        ("main_menu/choose", "Wie kann ich Ihnen helfen?"),
        ("main_menu/choose", "ℹ️ Hilfe"),
        ("help/explain", "So funktioniert Wegweiser: Tippen Sie auf die Knöpfe."),
        ("commands/menu", "🏠 Menü"),
        ("engine/not_understood", "Das habe ich leider nicht verstanden."),
        ("engine/notice_draft", "ℹ️ Diese Übersetzung wurde automatisch erstellt."),
    }
    button = found[("welcome/privacy", "✅ Verstanden")]
    assert button.locations[0][0].endswith("flows/welcome.yml")
    line = button.locations[0][1]
    assert (
        "✅ Verstanden" in (project.flows / "welcome.yml").read_text(encoding="utf-8").splitlines()[line - 1]
    )
    assert any("flow welcome, step privacy" in comment for comment in button.auto_comments)
    assert "Limits: max 20 characters (WhatsApp reply button)" in button.auto_comments
    menu_choice = found[("main_menu/choose", "ℹ️ Hilfe")]
    assert "Limits: max 20 characters (WhatsApp reply button)" in menu_choice.auto_comments


def test_native_language_names_are_not_extracted(project: Project) -> None:
    template = read_catalog(template_path(project.locale))
    ids = {str(message.id) for message in entries(template)}
    assert not ids & {language.native_name for language in LANGUAGES}


def test_update_creates_a_catalog_for_every_target_language(project: Project) -> None:
    template_keys = {key_of(message) for message in entries(read_catalog(template_path(project.locale)))}
    assert len(TARGETS) == 11
    for language in TARGETS:
        catalog = read_catalog(project.po(language), language)
        assert {key_of(message) for message in entries(catalog)} == template_keys
        assert all(state_of(message) is State.MISSING for message in entries(catalog))


def test_a_changed_german_text_marks_its_translation_outdated(project: Project) -> None:
    translate_all(project, "ar")
    project.edit_flow(PRIVACY, "Ich speichere nur Ihre Sprache und an welcher Stelle im Gespräch Sie sind.")
    assert project.i18n("extract").exit_code == 0
    assert project.i18n("update").exit_code == 0

    catalog = read_catalog(project.po("ar"), "ar")
    changed = catalog.get(
        "Ich speichere nur Ihre Sprache und an welcher Stelle im Gespräch Sie sind.", "welcome/privacy"
    )
    assert changed is not None
    assert changed.string == f"ar: {PRIVACY}"
    assert changed.fuzzy
    assert changed.previous_id == [PRIVACY]
    assert state_of(changed) is State.OUTDATED
    others = [message for message in entries(catalog) if message is not changed]
    assert others and all(state_of(message) is State.REVIEWED for message in others)
    assert f'#| msgid "{PRIVACY}"' in project.po("ar").read_text(encoding="utf-8")


def test_a_long_changed_text_keeps_its_old_german_word_for_word(project: Project) -> None:
    """Reviewers compare old and new German; a text longer than a line must come back exactly."""
    old = (
        PRIVACY
        + " Mehr steht in der „Datenschutzerklärung“ des Kreises Düren, die Sie jederzeit lesen können."
    )
    project.edit_flow(PRIVACY, old)
    project.i18n("extract")
    project.i18n("update")
    translate_all(project, "uk")
    project.edit_flow(old, old.replace("jederzeit", "immer"))
    project.i18n("extract")
    project.i18n("update")

    changed = read_catalog(project.po("uk"), "uk").get(old.replace("jederzeit", "immer"), "welcome/privacy")
    assert changed is not None and state_of(changed) is State.OUTDATED
    assert changed.previous_id == [old]
    written = project.po("uk").read_text(encoding="utf-8")
    assert (
        written.index("#, fuzzy") < written.index('#| msgid ""') < written.index('msgctxt "welcome/privacy"')
    )
    project.i18n("update")
    assert project.po("uk").read_text(encoding="utf-8") == written, "writing it again changes nothing"


def test_a_rewritten_text_keeps_the_old_translation_as_obsolete(project: Project) -> None:
    translate_all(project, "fr")
    project.edit_flow("So funktioniert Wegweiser: Tippen Sie auf die Knöpfe.", "Fragen? Schreiben Sie /menu.")
    project.i18n("extract")
    project.i18n("update")
    catalog = read_catalog(project.po("fr"), "fr")
    new = catalog.get("Fragen? Schreiben Sie /menu.", "help/explain")
    assert new is not None and state_of(new) is State.MISSING
    assert [message.string for message in catalog.obsolete.values()] == [
        "fr: So funktioniert Wegweiser: Tippen Sie auf die Knöpfe."
    ]


def test_a_text_moved_to_another_step_keeps_its_review(project: Project) -> None:
    translate_all(project, "uk")
    project.edit_flow("- id: details", "- id: privacy_details")
    project.edit_flow("then: details", "then: privacy_details")
    project.i18n("extract")
    project.i18n("update")
    catalog = read_catalog(project.po("uk"), "uk")
    moved = catalog.get(
        "Hallo {name}, das ist <b>wichtig</b>: Wir speichern keine Namen. Notruf 110.",
        "welcome/privacy_details",
    )
    assert moved is not None and state_of(moved) is State.REVIEWED


def test_update_twice_changes_nothing(project: Project) -> None:
    path = project.po("tr")
    catalog = read_catalog(path, "tr")
    first = next(iter(entries(catalog)))
    first.string = "Lütfen dilinizi seçin."
    mark_machine(first, "libre", date(2026, 11, 25))
    write_catalog(path, catalog)
    before = path.read_bytes()
    result = project.i18n("update")
    assert result.exit_code == 0
    assert path.read_bytes() == before
    assert "unchanged" in result.output
