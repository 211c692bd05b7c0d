"""`wegweiser reports ...`: export, statistics and retention of the anonymous reports, for KI staff."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.config import Settings

if TYPE_CHECKING:
    from bot.reports.model import Report

DEFAULT_RETENTION_DAYS = 1095
DEFAULT_TEXT_RETENTION_DAYS = 90
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

reports_app = typer.Typer(help="Anonymous housing-discrimination reports.", no_args_is_help=True)
console = Console()


class Format(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def _places(settings: Settings) -> dict[str, str]:
    """Municipality names from the content (ids if the content cannot be read)."""
    from bot.content import ContentError, load_content

    try:
        content = load_content(settings.content_dir)
    except (ContentError, OSError):
        return {}
    return {place.id: place.name for place in content.municipalities}


def _month(value: str) -> str:
    if not _MONTH.match(value):
        raise typer.BadParameter(f"expected a month like 2026-03, got {value!r}")
    return value


@reports_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    format: Annotated[Format, typer.Option("--format", help="csv or xlsx.")] = Format.csv,
    delimiter: Annotated[str, typer.Option(help="CSV field separator (German Excel expects ';').")] = ";",
    translate: Annotated[
        bool, typer.Option(help="Add her words in German, through the self-hosted LibreTranslate only.")
    ] = False,
) -> None:
    """Write every report (answers, free text as written, additions; no identities) to a file."""
    from bot.cli.database import open_store
    from bot.reports.export import write_csv, write_xlsx
    from bot.store.reports import ReportStore

    settings = Settings()
    store = open_store(settings)
    reports = ReportStore.of(store).reports()
    places = _places(settings)
    translations = _in_german(reports, settings) if translate else None
    if format is Format.xlsx:
        count = write_xlsx(reports, out, places, translations)
    else:
        count = write_csv(reports, out, places, delimiter, translations)
    store.dispose()
    console.print(f"[green]{count} report(s) written to {out}[/green]")


def _in_german(reports: Sequence[Report], settings: Settings) -> dict[str, str]:
    """Her words in German, for staff who do not read her language; German texts stay as written."""
    from bot.translation.draft import ProviderError
    from bot.translation.machine import to_german_via_libre

    translated: dict[str, str] = {}
    for report in reports:
        if not report.text or report.language == "de":
            continue
        try:
            translate = to_german_via_libre(
                report.language, url=settings.libretranslate_url, api_key=settings.libretranslate_key
            )
            translated[report.id] = translate(report.text)
        except ProviderError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from error
    return translated


@reports_app.command("stats")
def stats(
    since: Annotated[str, typer.Option(help="First month, YYYY-MM.", callback=_month)],
    until: Annotated[str, typer.Option(help="Last month, YYYY-MM.", callback=_month)],
    png: Annotated[Path | None, typer.Option(help="Also draw the charts into this PNG file.")] = None,
    min_cell: Annotated[int, typer.Option(min=1, help="Counts below this are shown as <N.")] = 3,
) -> None:
    """Print counts by month, form, stage, actor, place and grounds; small counts are suppressed."""
    from bot.cli.database import open_store
    from bot.reports.stats import render_chart, tabulate
    from bot.store.reports import ReportStore

    if since > until:
        raise typer.BadParameter("--since must not be after --until")
    settings = Settings()
    store = open_store(settings)
    result = tabulate(
        ReportStore.of(store).reports(), since, until, places=_places(settings), min_cell=min_cell
    )
    store.dispose()
    console.print(f"[bold]Meldungen {since} bis {until}: {result.total_shown}[/bold]")
    for breakdown in result.breakdowns:
        table = Table(title=breakdown.title, title_justify="left")
        table.add_column("Kategorie")
        table.add_column("Anzahl", justify="right")
        for cell in breakdown.cells:
            table.add_row(cell.label, cell.shown(min_cell))
        console.print(table)
    console.print(f"Zahlen von 1 bis {min_cell - 1} sind ausgeblendet (<{min_cell}).")
    console.print("* verdeckt eine größere Zahl, aus der sich mit der Summe eine kleine errechnen ließe.")
    if png is not None:
        png.write_bytes(render_chart(result))
        console.print(f"[green]chart written to {png}[/green]")


@reports_app.command("purge")
def purge(
    days: Annotated[int | None, typer.Option(min=1, help="Keep reports this many days.")] = None,
    text_days: Annotated[int | None, typer.Option(min=1, help="Keep free texts this many days.")] = None,
) -> None:
    """Delete reports and free texts older than the retention periods (run it daily)."""
    from bot.cli.database import open_store
    from bot.reports.periods import cutoff_week
    from bot.store.reports import ReportStore

    settings = Settings()
    keep = days or int(getattr(settings, "report_retention_days", DEFAULT_RETENTION_DAYS))
    keep_text = text_days or int(getattr(settings, "report_text_retention_days", DEFAULT_TEXT_RETENTION_DAYS))
    store = open_store(settings)
    reports = ReportStore.of(store)
    today = date.today()
    removed = reports.purge(cutoff_week(today, keep))
    texts = reports.purge_texts(cutoff_week(today, keep_text))
    store.dispose()
    console.print(
        f"{removed} report(s) older than {keep} days deleted; "
        f"{texts} free text(s) older than {keep_text} days removed"
    )
