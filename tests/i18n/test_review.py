"""The review sheet: HTML side by side (right to left for Arabic), and the xlsx/csv round trip."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.i18n.status import State, mark_machine, review_of, state_of
from bot.translation.po import entries, key_of, read_catalog, write_catalog
from tests.i18n.conftest import Project

BUTTON = ("welcome/privacy", "✅ Verstanden")
QUESTION = ("welcome/privacy", "Ich speichere nur Ihre Sprache und wo Sie im Gespräch sind.")
MENU = ("main_menu/choose", "Wie kann ich Ihnen helfen?")


def machine_drafts(project: Project, language: str) -> None:
    """Every text a machine draft; the button one far too long for WhatsApp."""
    path = project.po(language)
    catalog = read_catalog(path, language)
    for message in entries(catalog):
        message.string = f"{language}: {message.id}"
        if key_of(message) == BUTTON:
            message.string = "✅ فهمت كل شيء، شكراً جزيلاً لكم"
        mark_machine(message, "libre", date(2026, 11, 25))
    write_catalog(path, catalog)


def test_html_sheet_is_side_by_side_right_to_left_in_conversation_order(
    project: Project, tmp_path: Path
) -> None:
    machine_drafts(project, "ar")
    out = tmp_path / "review-ar.html"
    result = project.i18n("review", "--lang", "ar", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<td class="text" lang="ar" dir="rtl">' in html
    assert '<td class="text" lang="de" dir="ltr">' in html
    assert "draft (machine)" in html
    assert html.index("<h2>welcome</h2>") < html.index("<h2>main_menu</h2>") < html.index("<h2>help</h2>")
    assert "⚠ 31 characters, max 20 characters (WhatsApp reply button)" in html


def test_html_sheet_is_left_to_right_for_ukrainian(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "review-uk.html"
    project.i18n("review", "--lang", "uk", "--out", str(out))
    assert '<td class="text" lang="uk" dir="ltr">' in out.read_text(encoding="utf-8")


def _edit_xlsx(path: Path) -> None:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        key = (row[header.index("id")].value, row[header.index("German")].value)
        if key == QUESTION:
            row[header.index("translation")].value = "أحفظ لغتك فقط ومكانك في المحادثة."
        if key == MENU:
            row[header.index("status")].value = "ok"
        if key == BUTTON:
            row[header.index("comment")].value = "zu lang für WhatsApp"
    book.save(path)


def _edit_csv(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        key = (row["id"], row["German"])
        if key == QUESTION:
            row["translation"] = "أحفظ لغتك فقط ومكانك في المحادثة."
        if key == MENU:
            row["status"] = "OK"
        if key == BUTTON:
            row["comment"] = "zu lang für WhatsApp"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # as German Excel saves it
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(("suffix", "edit"), [(".xlsx", _edit_xlsx), (".csv", _edit_csv)])
def test_sheet_round_trip_marks_exactly_the_edited_rows_reviewed(
    project: Project, tmp_path: Path, suffix: str, edit: object
) -> None:
    machine_drafts(project, "ar")
    before = {key_of(message): message for message in entries(read_catalog(project.po("ar"), "ar"))}
    sheet = tmp_path / f"review-ar{suffix}"
    assert project.i18n("review", "--lang", "ar", "--out", str(sheet)).exit_code == 0
    edit(sheet)  # type: ignore[operator]

    result = project.i18n("import", "--lang", "ar", "--file", str(sheet), "--reviewer", "Amina K.")
    assert result.exit_code == 0, result.output
    assert "2 text(s) reviewed by Amina K." in result.output

    after = {key_of(message): message for message in entries(read_catalog(project.po("ar"), "ar"))}
    reviewed = {key for key, message in after.items() if state_of(message) is State.REVIEWED}
    assert reviewed == {QUESTION, MENU}
    for key in reviewed:
        review = review_of(after[key])
        assert review is not None and (review.who, review.day) == ("Amina K.", date.today())
    assert after[QUESTION].string == "أحفظ لغتك فقط ومكانك في المحادثة."
    assert after[MENU].string == before[MENU].string
    assert "note: zu lang für WhatsApp" in after[BUTTON].user_comments
    assert state_of(after[BUTTON]) is State.MACHINE
    untouched = set(after) - {QUESTION, MENU, BUTTON}
    assert all(
        (after[key].string, after[key].user_comments) == (before[key].string, before[key].user_comments)
        for key in untouched
    )


def test_import_of_an_unchanged_sheet_reviews_nothing(project: Project, tmp_path: Path) -> None:
    machine_drafts(project, "fa")
    sheet = tmp_path / "review-fa.xlsx"
    project.i18n("review", "--lang", "fa", "--out", str(sheet))
    before = project.po("fa").read_bytes()
    result = project.i18n("import", "--lang", "fa", "--file", str(sheet), "--reviewer", "Parisa")
    assert "0 text(s) reviewed" in result.output
    assert project.po("fa").read_bytes() == before


def test_a_row_whose_german_changed_is_reported_not_applied(project: Project, tmp_path: Path) -> None:
    sheet = tmp_path / "review-tr.csv"
    project.i18n("review", "--lang", "tr", "--out", str(sheet))
    text = sheet.read_text(encoding="utf-8-sig").replace("Wie kann ich Ihnen helfen?", "Wie kann ich helfen?")
    text = text.replace(
        "Wie kann ich helfen?,,missing", "Wie kann ich helfen?,Size nasıl yardımcı olabilirim?,missing"
    )
    sheet.write_text(text, encoding="utf-8-sig")
    result = project.i18n("import", "--lang", "tr", "--file", str(sheet), "--reviewer", "Ayşe")
    assert "not in the catalog; skipped" in result.output
    assert "0 text(s) reviewed" in result.output
