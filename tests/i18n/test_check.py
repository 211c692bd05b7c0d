"""`i18n check` finds what would break a message: placeholders, tags, length, missing files, bad syntax."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from bot.translation.check import check_compiles, check_locale
from bot.translation.po import entries, key_of, read_catalog, write_catalog
from tests.i18n.conftest import Project

DETAILS = ("welcome/details", "Hallo {name}, das ist <b>wichtig</b>: Wir speichern keine Namen. Notruf 110.")
BUTTON = ("welcome/privacy", "✅ Verstanden")


def translate(project: Project, language: str, changes: dict[tuple[str, str], str]) -> None:
    path = project.po(language)
    catalog = read_catalog(path, language)
    for message in entries(catalog):
        message.string = changes.get(key_of(message), f"{language}: {message.id}")
    write_catalog(path, catalog)


def entry_line(path: Path, german: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(
        number
        for number, line in enumerate(lines, start=1)
        if line.startswith("msgid") and german[:20] in line
    )


def test_clean_catalogs_pass(project: Project) -> None:
    translate(
        project, "en", {DETAILS: "Hello {name}, this is <b>important</b>: we store no names. Emergency 110."}
    )
    assert check_locale(project.locale) == []
    result = project.i18n("check")
    assert result.exit_code == 0, result.output
    assert "catalogs OK" in result.output


def test_broken_placeholder_and_tags_are_reported_with_file_and_line(project: Project) -> None:
    translate(project, "ar", {DETAILS: "مرحبا {الاسم}، هذا <b>مهم: لا نحفظ الأسماء. 110"})
    path = project.po("ar")
    line = entry_line(path, DETAILS[1])
    problems = [str(problem) for problem in check_locale(project.locale)]
    assert any(p.startswith(f"{path}:{line}: [welcome/details] placeholders") for p in problems), problems
    assert any(p.startswith(f"{path}:{line}: [welcome/details] HTML tags ['b'] differ") for p in problems), (
        problems
    )
    result = project.i18n("check")
    assert result.exit_code == 1
    assert f"{path}:{line}: [welcome/details] placeholders" in result.output


def test_a_button_title_over_the_whatsapp_limit_is_reported(project: Project) -> None:
    translate(project, "ru", {BUTTON: "✅ Я всё поняла, спасибо большое"})
    problems = [str(problem) for problem in check_locale(project.locale)]
    assert problems == [
        f"{project.po('ru')}:{entry_line(project.po('ru'), BUTTON[1])}: [welcome/privacy] 31 characters, "
        "over max 20 characters (WhatsApp reply button)"
    ]


def test_a_missing_language_file_is_reported(project: Project) -> None:
    project.po("ti").unlink()
    problems = [str(problem) for problem in check_locale(project.locale)]
    assert problems == [f"{project.po('ti')}:1: no catalog for language 'ti': run `wegweiser i18n update`"]


def test_a_catalog_that_does_not_parse_is_reported_with_its_line(project: Project) -> None:
    path = project.po("so")
    lines = path.read_text(encoding="utf-8").splitlines()
    typo = [number for number, line in enumerate(lines, start=1) if line == 'msgstr ""'][3]
    lines[typo - 1] = 'msgtsr "Fadlan dooro luqaddaada."'  # a misspelt keyword, as a hand edit may leave
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check_locale(project.locale)
    assert [(problem.file, problem.line) for problem in problems] == [(str(path), typo)]
    assert "does not parse" in problems[0].message


def test_a_catalog_with_a_broken_header_is_reported(project: Project) -> None:
    path = project.po("ps")
    text = path.read_text(encoding="utf-8")
    broken = text.replace(
        "Plural-Forms: nplurals=2; plural=(n != 1);", "Plural-Forms: nplurals=two; plural=;"
    )
    path.write_text(broken, encoding="utf-8")
    problems = check_locale(project.locale)
    assert len(problems) == 1
    assert problems[0].file == str(path) and "does not parse" in problems[0].message


def test_a_catalog_that_fails_babels_compile_checks_is_reported() -> None:
    catalog = Catalog(locale="ar")
    catalog.add("%(count)d Angebote", "%(number)d عروض", flags=["python-format"], context="offers/count")
    problems = check_compiles(catalog, "ar.po")
    assert len(problems) == 1
    assert problems[0].file == "ar.po" and "[offers/count]" in problems[0].message


def test_a_catalog_not_merged_with_the_template_is_reported(project: Project) -> None:
    project.edit_flow("Wie kann ich Ihnen helfen?", "Wobei kann ich Ihnen helfen?")
    assert project.i18n("extract").exit_code == 0
    problems = [str(problem) for problem in check_locale(project.locale)]
    assert len(problems) == 11
    assert all(
        "1 text(s) of the template missing: run `wegweiser i18n update`" in problem for problem in problems
    )


def test_a_german_button_title_over_the_limit_is_reported_where_it_is_written(project: Project) -> None:
    project.edit_flow('title: "✅ Verstanden"', 'title: "✅ Verstanden, vielen herzlichen Dank"')
    assert project.i18n("extract").exit_code == 0
    assert project.i18n("update").exit_code == 0
    lines = (project.flows / "welcome.yml").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if "vielen herzlichen Dank" in text)
    assert [str(problem) for problem in check_locale(project.locale)] == [
        f"{project.flows / 'welcome.yml'}:{line}: [welcome/privacy] German text: 36 characters, "
        "over max 20 characters (WhatsApp reply button)"
    ]
