"""Exporting all reports for staff as CSV or XLSX: every answer, the free text as written, no identities.

Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) are prefixed with `'` (CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

from bot.reports import categories
from bot.reports.model import Report

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _label(table: Mapping[str, str], value: str) -> str:
    value = categories.current(table, value)
    return categories.plain(table[value]) if value in table else value


def table(
    reports: Sequence[Report], places: Mapping[str, str], translations: Mapping[str, str] | None = None
) -> list[list[str]]:
    """A header and one row per report; a 1/0 column per answer of the multi-selects, for pivot tables.

    `translations` (report id -> German) adds a column beside her words as written."""
    header = [
        "Meldung",
        "Meldewoche",
        "Monat des Vorfalls",
        "Zeitangabe",
        "Sprache",
        "Ort",
        "Schritt",
        "Wer",
        "Was ist passiert",
        "Gründe",
        "Freitext",
        "Ergänzungen",
    ]
    if translations is not None:
        header.append("Freitext auf Deutsch (maschinell übersetzt)")
    header += [f"Was: {categories.plain(label)}" for label in categories.FORMS.values()]
    header += [f"Grund: {categories.plain(label)}" for label in categories.GROUNDS.values()]
    rows = [header]
    for report in reports:
        row = [
            report.id,
            report.reported_week,
            report.incident_month or "",
            report.incident,
            report.language,
            places.get(report.municipality, report.municipality),
            _label(categories.STAGES, report.stage),
            _label(categories.ACTORS, report.actor),
            "; ".join(_label(categories.FORMS, form) for form in report.forms),
            "; ".join(_label(categories.GROUNDS, ground) for ground in report.grounds),
            report.text or "",
            "\n---\n".join(report.additions),
        ]
        if translations is not None:
            row.append(translations.get(report.id, ""))
        row += ["1" if form in report.forms else "0" for form in categories.FORMS]
        row += ["1" if ground in report.grounds else "0" for ground in categories.GROUNDS]
        rows.append([_safe(cell) for cell in row])
    return rows


def write_csv(
    reports: Sequence[Report],
    path: Path,
    places: Mapping[str, str],
    delimiter: str = ";",
    translations: Mapping[str, str] | None = None,
) -> int:
    """UTF-8 with a byte order mark and `;`, so German Excel opens Arabic and Cyrillic text correctly."""
    rows = table(reports, places, translations)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return len(rows) - 1


def write_xlsx(
    reports: Sequence[Report],
    path: Path,
    places: Mapping[str, str],
    translations: Mapping[str, str] | None = None,
) -> int:
    rows = table(reports, places, translations)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Meldungen"
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.data_type = "s"  # never a formula, whatever she wrote
    sheet.freeze_panes = "A2"
    workbook.save(path)
    return len(rows) - 1
