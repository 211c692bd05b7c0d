"""The "examples" part of an interpreter's review sheet: she checks what women type in her language.

Each row is one training example: its need (intent), the example, its status, and two columns for her:
"check" (`ok` keeps it, `delete` removes it) and "correction" (a better wording replaces it; on a row with
an empty example it adds a new one to that need). Import writes her work back into `nlu/<lang>.yml`; the
needs she touched are marked reviewed with her name and the date, as translations are.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.understanding.data import example_lines, read_file

if TYPE_CHECKING:
    from openpyxl import Workbook

COLUMNS = ("intent", "example", "status", "check", "correction")
SHEET = "examples"
_DELETE = {"delete", "löschen", "loeschen", "x", "-"}
_OK = {"ok", "✓", "✔", "ja", "yes"}


@dataclass
class ExamplesResult:
    kept: int = 0
    changed: int = 0
    removed: int = 0
    added: int = 0
    reviewed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def example_rows(path: Path) -> list[dict[str, str]]:
    """One row per example of every need, then one empty row per need for new examples."""
    rows = []
    for item in read_file(path)["nlu"]:
        if "intent" not in item:
            continue
        status = str((item.get("metadata") or {}).get("status", "draft"))
        for line in example_lines(item.get("examples")):
            rows.append(
                {
                    "intent": str(item["intent"]),
                    "example": line,
                    "status": status,
                    "check": "",
                    "correction": "",
                }
            )
        rows.append(
            {"intent": str(item["intent"]), "example": "", "status": "new", "check": "", "correction": ""}
        )
    return rows


def write_examples_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def add_examples_sheet(book: Workbook, rows: list[dict[str, str]], rtl: bool) -> None:
    """A worksheet "examples" in an openpyxl workbook."""
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(SHEET)
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
        for column in "BE":
            sheet[f"{column}{sheet.max_row}"].alignment = Alignment(
                wrap_text=True, readingOrder=2 if rtl else 1
            )
    for column, width in zip("ABCDE", (24, 60, 10, 10, 60), strict=True):
        sheet.column_dimensions[column].width = width


def examples_html(rows: list[dict[str, str]], rtl: bool) -> str:
    """The examples part of the HTML sheet (to read; corrections go into the xlsx or csv)."""
    direction = ' dir="rtl"' if rtl else ""
    parts = [
        "<h2>Beispiele: was Frauen schreiben (examples of what women type)</h2>",
        "<table><tr><th>Anliegen (need)</th><th>Beispiel (example)</th><th>Status</th></tr>",
    ]
    for row in rows:
        if row["example"]:
            parts.append(
                f"<tr><td>{escape(row['intent'])}</td><td{direction}>{escape(row['example'])}</td>"
                f"<td>{escape(row['status'])}</td></tr>"
            )
    parts.append("</table>")
    return "\n".join(parts)


def read_examples(path: Path) -> list[dict[str, str]]:
    """The examples rows of a filled-in sheet: the "examples" worksheet of an xlsx, or a csv."""
    if path.suffix.lower() == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        return [
            {key: (value or "").strip() for key, value in row.items() if key}
            for row in csv.DictReader(text.splitlines())
        ]
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    if SHEET not in book.sheetnames:
        book.close()
        return []
    table = [list(row) for row in book[SHEET].iter_rows(values_only=True)]
    book.close()
    header = [str(cell or "").strip() for cell in table[0]] if table else []
    return [
        {
            name: str(cell).strip() if cell is not None else ""
            for name, cell in zip(header, row, strict=False)
            if name
        }
        for row in table[1:]
    ]


def import_examples(path: Path, rows: list[dict[str, str]], reviewer: str, day: date) -> ExamplesResult:
    """Apply her checks and corrections to the language's training file; rewrite it if anything changed."""
    data = read_file(path)
    items = {str(item["intent"]): item for item in data["nlu"] if isinstance(item, dict) and "intent" in item}
    examples = {intent: example_lines(item.get("examples")) for intent, item in items.items()}
    result = ExamplesResult()
    touched: set[str] = set()
    for number, row in enumerate(rows, 2):
        intent, example = row.get("intent", ""), row.get("example", "")
        check, correction = row.get("check", "").strip().casefold(), row.get("correction", "").strip()
        if not check and not correction:
            continue
        if intent not in examples:
            result.warnings.append(f"row {number}: unknown need {intent!r}, skipped")
            continue
        lines = examples[intent]
        if not example:
            if correction:
                lines.append(correction)
                result.added += 1
                touched.add(intent)
            continue
        if example not in lines:
            result.warnings.append(f"row {number}: {example!r} is no longer in the file, skipped")
            continue
        touched.add(intent)
        if check in _DELETE:
            lines.remove(example)
            result.removed += 1
        elif correction and correction != example:
            lines[lines.index(example)] = correction
            result.changed += 1
        elif check in _OK or correction:
            result.kept += 1
        else:
            result.warnings.append(f"row {number}: check {check!r} is neither ok nor delete, kept unchanged")
    for intent in sorted(touched):
        item = items[intent]
        item["examples"] = "".join(f"- {line}\n" for line in examples[intent])
        item["metadata"] = {"status": "reviewed", "reviewed_by": reviewer, "reviewed_on": day.isoformat()}
        result.reviewed.append(intent)
    if touched:
        write_file(path, data)
    return result


def write_file(path: Path, data: dict[str, Any]) -> None:
    """Rasa's layout, the file's leading comment kept; examples as `- text` lines in a literal block."""
    header = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    out = [*header, f'version: "{data.get("version", "3.1")}"', "nlu:"]
    for item in data["nlu"]:
        kind = next(key for key in ("intent", "lookup", "synonym", "regex") if key in item)
        out.append(f"- {kind}: {item[kind]}")
        metadata = item.get("metadata")
        if metadata:
            out.append("  metadata:")
            out.extend(
                f"    {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in metadata.items()
            )
        out.append("  examples: |")
        out.extend(f"    - {line}" for line in example_lines(item.get("examples")))
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text("\n".join(out) + "\n", encoding="utf-8")
    tmp.replace(path)
