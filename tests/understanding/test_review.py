"""The examples part of the interpreters' sheet: written out, filled in, read back into nlu/<lang>.yml."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from bot.understanding.data import FOLDER, example_lines, load, read_file
from bot.understanding.review import example_rows, import_examples, read_examples, write_examples_csv


def intent_item(path: Path, intent: str) -> dict[str, object]:
    return next(item for item in read_file(path)["nlu"] if item.get("intent") == intent)


def test_her_checks_and_corrections_come_back_as_reviewed(tmp_path: Path) -> None:
    path = tmp_path / "ar.yml"
    shutil.copy(FOLDER / "ar.yml", path)
    rows = example_rows(path)
    danger = [row for row in rows if row["intent"] == "danger"]
    first, second, third = danger[0]["example"], danger[1]["example"], danger[2]["example"]
    danger[0]["check"] = "ok"
    danger[1]["correction"] = "ساعدوني بدو يقتلني هلق"
    danger[2]["check"] = "löschen"
    next(row for row in danger if not row["example"])["correction"] = "جوزي معو سلاح: خايفة"
    sheet = tmp_path / "review-ar-examples.csv"
    write_examples_csv(sheet, rows)
    before = len(load(FOLDER).examples)

    result = import_examples(path, read_examples(sheet), "Amal H.", date(2026, 12, 4))

    assert (result.kept, result.changed, result.removed, result.added) == (1, 1, 1, 1)
    item = intent_item(path, "danger")
    lines = example_lines(item["examples"])
    assert first in lines and second not in lines and third not in lines
    assert "ساعدوني بدو يقتلني هلق" in lines and "جوزي معو سلاح: خايفة" in lines
    assert item["metadata"] == {"status": "reviewed", "reviewed_by": "Amal H.", "reviewed_on": "2026-12-04"}
    assert intent_item(path, "thanks")["metadata"] == {"status": "draft"}  # untouched needs stay drafts
    assert read_file(path)["nlu"][-1] == read_file(FOLDER / "ar.yml")["nlu"][-1]  # lookups, regexes kept
    shutil.copytree(FOLDER, tmp_path / "all", ignore=shutil.ignore_patterns("ar.yml"))
    shutil.copy(path, tmp_path / "all" / "ar.yml")
    assert len(load(tmp_path / "all").examples) == before


def test_rows_for_unknown_needs_or_vanished_examples_are_reported_not_applied(tmp_path: Path) -> None:
    path = tmp_path / "de.yml"
    shutil.copy(FOLDER / "de.yml", path)
    rows = [
        {"intent": "no_such_need", "example": "x", "check": "ok", "correction": ""},
        {"intent": "danger", "example": "not in the file", "check": "delete", "correction": ""},
    ]
    result = import_examples(path, rows, "Name", date(2026, 12, 4))
    assert len(result.warnings) == 2 and result.reviewed == []
    assert path.read_bytes() == (FOLDER / "de.yml").read_bytes()


def test_the_html_sheet_lists_every_example_right_to_left_and_escaped() -> None:
    from bot.understanding.review import examples_html

    rows = example_rows(FOLDER / "fa.yml")
    rows.append({"intent": "other", "example": "<b>x</b>", "status": "draft", "check": "", "correction": ""})
    page = examples_html(rows, rtl=True)
    assert page.count("<tr><td>") == sum(1 for row in rows if row["example"])
    assert '<td dir="rtl">&lt;b&gt;x&lt;/b&gt;</td>' in page
