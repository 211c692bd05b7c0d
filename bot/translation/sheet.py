"""The spreadsheet round trip for interpreters: export one language, she fills it in, import it back.

Columns: id (the context), German, translation, status, reviewer, comment, limit. On import a row is
marked reviewed, with her name and the day, exactly when she
- changed the translation (a new or corrected text), or
- confirmed it by writing `ok` (or `reviewed`, `geprüft`, `✓`, `x`) in the status column.
A changed comment is kept as a note; it alone marks nothing. Rows are matched by id and German text, so a
row whose German changed since the export is reported and left alone; nothing else in the catalog moves.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from bot.i18n.languages import direction
from bot.i18n.status import mark_reviewed, note_of, set_note, state_of
from bot.translation.po import Key, entries, key_of
from bot.translation.review import Row

COLUMNS = ("id", "German", "translation", "status", "reviewer", "comment", "limit")
CONFIRM = frozenset({"ok", "okay", "reviewed", "geprüft", "geprueft", "✓", "✔", "x", "ja", "yes"})
_INSTRUCTIONS = (
    "So prüfen Sie die Übersetzungen / How to review:",
    "1. Lesen Sie jede Zeile: Deutsch (German) und Übersetzung (translation).",
    "2. Ist die Übersetzung richtig, schreiben Sie ok in die Spalte status.",
    "3. Ist sie falsch oder fehlt sie, schreiben Sie die richtige Übersetzung in die Spalte translation.",
    "4. Bemerkungen in die Spalte comment. Ändern Sie die Spalten id und German nicht.",
    "5. Bitte halten Sie die Länge ein (Spalte limit): Knöpfe sind auf dem Handy kurz.",
    "Fill in: write ok in status when a translation is right, or write the right translation.",
    "Do not change id or German.",
)


def _cells(row: Row) -> list[str]:
    limit = min(row.limits, key=lambda item: item.chars) if row.limits else None
    return [
        row.context,
        row.german,
        row.translation,
        row.state.label,
        row.reviewer,
        row.note,
        str(limit or ""),
    ]


def write_csv(path: Path, rows: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # the BOM makes Excel read UTF-8
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(_cells(row) for row in rows)


def write_xlsx(path: Path, rows: Iterable[Row], language: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"wegweiser-{language}"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rtl = direction(language) == "rtl"
    for row in rows:
        sheet.append(_cells(row))
        number = sheet.max_row
        for column in "ABCDEFG":
            sheet[f"{column}{number}"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet[f"C{number}"].alignment = Alignment(
            wrap_text=True, vertical="top", readingOrder=2 if rtl else 1
        )
    for column, width in zip("ABCDEFG", (28, 50, 50, 18, 22, 30, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C2"
    help_sheet = book.create_sheet("Anleitung")
    for line in _INSTRUCTIONS:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    book.save(path)


def _text(value: Any) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def read_sheet(path: Path) -> list[dict[str, str]]:
    """The rows of an exported sheet (csv or xlsx) as dicts by column name."""
    if path.suffix.lower() == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        try:  # German Excel saves CSV with semicolons
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(text.splitlines(keepends=True), dialect=dialect)
        return [{key: _text(value) for key, value in row.items() if key} for row in reader]
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not table:
        return []
    header = [_text(cell) for cell in table[0]]
    return [{name: _text(cell) for name, cell in zip(header, row, strict=False) if name} for row in table[1:]]


@dataclass
class ImportResult:
    reviewed: list[Key] = field(default_factory=list)
    noted: list[Key] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_rows(catalog: Catalog, rows: list[dict[str, str]], reviewer: str, day: date) -> ImportResult:
    """Apply a filled-in sheet to `catalog` in place (see the module docstring for what counts)."""
    if not reviewer.strip():
        raise ValueError("the reviewer's name is needed")
    missing_columns = {"id", "German", "translation", "status"} - set(rows[0] if rows else COLUMNS)
    if missing_columns:
        raise ValueError(f"the sheet lacks the column(s) {', '.join(sorted(missing_columns))}")
    by_key = {key_of(message): message for message in entries(catalog)}
    result = ImportResult()
    for number, row in enumerate(rows, start=2):
        key = (row.get("id", ""), row.get("German", ""))
        if not any(row.values()):
            continue
        message = by_key.get(key)
        if message is None:
            result.warnings.append(
                f"row {number}: {key[0]!r} with this German text is not in the catalog; skipped"
            )
            continue
        current = message.string if isinstance(message.string, str) else ""
        translation = row.get("translation", "")
        edited = bool(translation) and translation != current.strip()
        confirmed = (
            row.get("status", "").casefold() in CONFIRM and row.get("status", "") != state_of(message).label
        )
        if "comment" in row and row["comment"] != note_of(message):
            set_note(message, row["comment"])
            result.noted.append(key)
        if edited:
            message.string = translation
        if edited or (confirmed and current):
            mark_reviewed(message, reviewer, day)
            result.reviewed.append(key)
        elif confirmed:
            result.warnings.append(f"row {number}: {key[0]!r} confirmed, but it has no translation; skipped")
    return result
