"""`wegweiser i18n ...`: catalogs, machine drafts and the interpreters' review, for staff and CI.

extract  collect every German text into locale/wegweiser.pot
update   merge the template into every language's catalog (a changed German text becomes outdated)
status   a table per language: total, missing, draft, outdated, reviewed
draft    fill missing texts of one language with machine drafts (marked as such)
review   a sheet for interpreters: HTML to read, xlsx/csv to fill in
import   read a filled-in sheet back; the rows she edited or confirmed become reviewed, with her name
check    placeholders, tags, channel limits, missing languages, compiling (exit 1 on problems)
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.config import PROJECT_ROOT, Settings
from bot.i18n.languages import BY_CODE, direction
from bot.translation.po import TARGETS, po_path, read_catalog, template_path, write_catalog
from bot.translation.sources import Roots, SourceError, collect_texts
from bot.understanding.review import (
    add_examples_sheet,
    example_rows,
    examples_html,
    import_examples,
    read_examples,
    write_examples_csv,
)

i18n_app = typer.Typer(
    help="Translations: catalogs, machine drafts, review by interpreters.", no_args_is_help=True
)
console = Console()

LocaleDir = Annotated[Path | None, typer.Option(help="Folder of the catalogs (default: settings).")]
FlowsDir = Annotated[Path | None, typer.Option(help="Folder of the flows (default: settings).")]
ContentDir = Annotated[Path | None, typer.Option(help="Folder of the content (default: settings).")]
Lang = Annotated[str, typer.Option("--lang", help="Language code, e.g. ar.")]


def _locale(locale_dir: Path | None) -> Path:
    return locale_dir or Settings().locale_dir


def _roots(flows_dir: Path | None, content_dir: Path | None) -> Roots:
    settings = Settings()
    return Roots(flows_dir or settings.flows_dir, content_dir or settings.content_dir, PROJECT_ROOT)


def _target(language: str) -> str:
    if language not in TARGETS:
        console.print(f"[red]unknown language {language!r}[/red]; choose one of {' '.join(TARGETS)}")
        raise typer.Exit(2)
    return language


def _catalog_of(lang: str, locale_dir: Path | None) -> tuple[str, Path]:
    """The language and its existing PO file, or a clear exit when either is wrong."""
    language = _target(lang)
    path = po_path(_locale(locale_dir), language)
    if not path.exists():
        raise _fail(f"{path} is missing: run `wegweiser i18n update` first")
    return language, path


def _say(message: str, style: str = "") -> None:
    """Plain text (ids in brackets are not markup), one problem per line even in narrow terminals."""
    console.print(escape(message), style=style or None, highlight=False, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    _say(message, "red")
    return typer.Exit(1)


@i18n_app.command()
def extract(
    locale_dir: LocaleDir = None,
    flows_dir: FlowsDir = None,
    content_dir: ContentDir = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(help="Leave out a source: flows, commands, content, actions, channels."),
    ] = None,
) -> None:
    """Collect every German text a woman can see into locale/wegweiser.pot."""
    from bot.translation.po import build_template

    try:
        texts = collect_texts(_roots(flows_dir, content_dir), skip or ())
    except SourceError as error:
        raise _fail(f"cannot extract: {error}") from error
    path = template_path(_locale(locale_dir))
    written = write_catalog(path, build_template(texts))
    console.print(f"{len(texts)} texts → {path} ({'written' if written else 'unchanged'})", highlight=False)


@i18n_app.command()
def update(
    locale_dir: LocaleDir = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="Only these languages (default: all).")
    ] = None,
) -> None:
    """Merge the template into every language (creating missing catalogs); changed German becomes outdated."""
    from bot.translation.merge import merge

    folder = _locale(locale_dir)
    if not template_path(folder).exists():
        raise _fail(f"{template_path(folder)} is missing: run `wegweiser i18n extract` first")
    template = read_catalog(template_path(folder))
    table = Table("language", "kept", "outdated", "new", "obsolete", "file")
    for language in [_target(code) for code in lang] if lang else TARGETS:
        path = po_path(folder, language)
        old = read_catalog(path, language) if path.exists() else None
        catalog, report = merge(template, old, language)
        written = write_catalog(path, catalog)
        state = ("created" if old is None else "written") if written else "unchanged"
        table.add_row(
            language, str(report.kept), str(report.outdated), str(report.new), str(report.obsolete), state
        )
    console.print(table)


@i18n_app.command()
def status(locale_dir: LocaleDir = None) -> None:
    """A table per language: texts total, missing, draft (of which machine), outdated, reviewed."""
    from bot.translation.progress import progress_of

    folder = _locale(locale_dir)
    table = Table(
        "language",
        "total",
        "missing",
        "draft (machine)",
        "outdated",
        "reviewed",
        "% reviewed",
        title="Translations",
    )
    for language in TARGETS:
        path = po_path(folder, language)
        name = f"{language} {BY_CODE[language].english_name}"
        if not path.exists():
            table.add_row(name, "[red]no catalog[/red]", "", "", "", "", "")
            continue
        p = progress_of(language, read_catalog(path, language))
        table.add_row(
            name, str(p.total), str(p.missing), f"{p.draft} ({p.machine})", str(p.outdated), str(p.reviewed),
            f"{p.percent_reviewed:.0f}",
        )  # fmt: skip
    console.print(table)


def _libretranslate(setting: str, option: str) -> str:
    """An option, else the setting (when Settings has it), else the environment variable."""
    if option:
        return option
    value = getattr(Settings(), f"libretranslate_{setting}", None)
    return str(value or os.environ.get(f"WEGWEISER_LIBRETRANSLATE_{setting.upper()}", ""))


@i18n_app.command()
def draft(
    lang: Lang,
    provider: Annotated[str, typer.Option(help="libre, google, deepl or mymemory.")] = "libre",
    url: Annotated[
        str, typer.Option(help="LibreTranslate URL (default: WEGWEISER_LIBRETRANSLATE_URL).")
    ] = "",
    api_key: Annotated[
        str, typer.Option(help="API key (default for libre: WEGWEISER_LIBRETRANSLATE_KEY).")
    ] = "",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for one text.")] = 30.0,
    limit: Annotated[int | None, typer.Option(help="Draft at most this many texts.")] = None,
    locale_dir: LocaleDir = None,
) -> None:
    """Fill missing texts of one language with machine drafts (fuzzy, marked `machine:`), nothing else."""
    from bot.translation.draft import ProviderError, draft_missing
    from bot.translation.machine import machine_translator

    language, path = _catalog_of(lang, locale_dir)
    if provider == "libre":
        url, api_key = _libretranslate("url", url), _libretranslate("key", api_key)
    try:
        translate = machine_translator(provider, language, url=url, api_key=api_key, timeout=timeout)
    except ProviderError as error:
        raise _fail(str(error)) from error
    catalog = read_catalog(path, language)
    result = draft_missing(catalog, translate, provider, date.today(), limit)
    if result.filled:
        write_catalog(path, catalog)
    console.print(f"{len(result.filled)} machine draft(s) written to {path}", highlight=False)
    for key, reason in result.skipped:
        _say(f"skipped [{key[0]}] {key[1][:60]!r}: {reason}", "yellow")
    if result.stopped:
        raise _fail(
            f"stopped: {result.stopped}. {result.remaining} text(s) still missing; nothing else was changed."
        )


@i18n_app.command()
def review(
    lang: Lang,
    out: Annotated[Path, typer.Option(help="The sheet to write: .html, .xlsx or .csv.")],
    sheet_format: Annotated[
        str | None, typer.Option("--format", help="html, xlsx or csv (default: from --out).")
    ] = None,
    locale_dir: LocaleDir = None,
) -> None:
    """Write a review sheet: German | translation | status, flow by flow, with channel limits checked."""
    from bot.translation.review import review_html, review_rows
    from bot.translation.sheet import write_csv, write_xlsx

    language, path = _catalog_of(lang, locale_dir)
    rows = review_rows(read_catalog(path, language))
    kind = (sheet_format or out.suffix.lstrip(".") or "html").lower()
    examples_file = Settings().nlu_dir / f"{language}.yml"
    examples = example_rows(examples_file) if examples_file.exists() else []
    if kind == "html":
        page = review_html(language, rows)
        if examples:
            part = examples_html(examples, direction(language) == "rtl")
            page = page.replace("</body></html>", f"{part}\n</body></html>")
        out.write_text(page, encoding="utf-8")
    elif kind == "xlsx":
        write_xlsx(out, rows, language)
        if examples:
            from openpyxl import load_workbook

            book = load_workbook(out)
            add_examples_sheet(book, examples, direction(language) == "rtl")
            book.save(out)
    elif kind == "csv":
        write_csv(out, rows)
        if examples:
            write_examples_csv(out.with_name(f"{out.stem}-examples.csv"), examples)
    else:
        raise _fail(f"unknown format {kind!r}: use html, xlsx or csv")
    part = f' and {len(examples)} examples (part "examples")' if examples else ""
    console.print(f"{len(rows)} texts{part} → {out}", highlight=False)


@i18n_app.command("import")
def import_sheet(
    lang: Lang,
    file: Annotated[Path, typer.Option(help="The filled-in sheet (.xlsx or .csv).")],
    reviewer: Annotated[str, typer.Option(help="The interpreter's name, recorded with each reviewed text.")],
    locale_dir: LocaleDir = None,
    examples: Annotated[
        Path | None, typer.Option(help="The examples part, when it is a file of its own (csv).")
    ] = None,
) -> None:
    """Read a filled-in sheet: rows she edited or confirmed become reviewed, with her name and the date."""
    from bot.translation.sheet import import_rows, read_sheet

    language, path = _catalog_of(lang, locale_dir)
    catalog = read_catalog(path, language)
    try:
        result = import_rows(catalog, read_sheet(file), reviewer, date.today())
    except ValueError as error:
        raise _fail(f"cannot import {file}: {error}") from error
    if result.reviewed or result.noted:
        write_catalog(path, catalog)
    for warning in result.warnings:
        _say(warning, "yellow")
    console.print(
        f"{len(result.reviewed)} text(s) reviewed by {reviewer}, {len(result.noted)} comment(s) → {path}",
        highlight=False,
    )
    examples_file = Settings().nlu_dir / f"{language}.yml"
    sheet = examples or (
        file if file.suffix.lower() == ".xlsx" else file.with_name(f"{file.stem}-examples.csv")
    )
    if examples_file.exists() and sheet.exists():
        done = import_examples(examples_file, read_examples(sheet), reviewer, date.today())
        for warning in done.warnings:
            _say(warning, "yellow")
        console.print(
            f"examples: {done.kept} confirmed, {done.changed} corrected, {done.removed} removed, "
            f"{done.added} added in {len(done.reviewed)} need(s) → {examples_file}",
            highlight=False,
        )


@i18n_app.command()
def check(
    locale_dir: LocaleDir = None,
    flows_dir: FlowsDir = None,
    content_dir: ContentDir = None,
    sources: Annotated[
        bool, typer.Option(help="Also check that the template has every text of the sources.")
    ] = True,
) -> None:
    """Placeholders and tags as in German, channel limits, every language present, catalogs compile."""
    from bot.problem import Problem
    from bot.translation.check import check_locale, check_sources

    folder = _locale(locale_dir)
    problems: list[Problem] = []
    if sources:
        try:
            problems += check_sources(collect_texts(_roots(flows_dir, content_dir)), folder, PROJECT_ROOT)
        except SourceError as error:
            raise _fail(f"cannot read the sources: {error}") from error
    problems += check_locale(folder, TARGETS, PROJECT_ROOT)
    for problem in problems:
        _say(str(problem), "red")
    if problems:
        raise _fail(f"{len(problems)} problem(s)")
    console.print(f"[green]catalogs OK[/green] ({folder})", highlight=False)
