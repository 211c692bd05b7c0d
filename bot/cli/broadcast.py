"""`wegweiser broadcast create|list|show|send|cancel`, for KI staff.

A broadcast is written first (`create`, with a German text and any translations), checked
(`show`), then sent (`send`, now) or sent by the running bot at its time (`create --at`). Women whose
language has no translation get the German text under a short notice in their language. Every
command that changes something is written to the audit log with the staff member's login name.
"""

from __future__ import annotations

import asyncio
import getpass
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.config import Settings

if TYPE_CHECKING:  # imported where used, so `wegweiser --help` stays fast
    from bot.i18n.catalog import Catalog
    from bot.store import Store
    from bot.store.outbox import Audience, Outbox

broadcast_app = typer.Typer(help="Announcements to subscribers, each in her language.", no_args_is_help=True)
console = Console()


def _now() -> datetime:
    return datetime.now(UTC)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _open(settings: Settings) -> tuple[Store, Outbox]:
    from bot.cli.database import open_store
    from bot.store.outbox import Outbox

    store = open_store(settings)
    return store, Outbox(store.engine)


def _catalog(settings: Settings) -> Catalog:
    from bot.i18n.catalog import Catalog

    return Catalog.load(settings.locale_dir, serve_drafts=settings.serve_drafts)


def _audience(spec: str, languages: list[str], settings: Settings) -> Audience:
    from bot.content.workshops import ANNOUNCEMENTS, load_workshops, topic_of
    from bot.store.outbox import Audience

    if spec == "all":
        return Audience((ANNOUNCEMENTS,), tuple(languages))
    if spec.startswith("workshop:"):
        workshop_id = spec.removeprefix("workshop:")
        if load_workshops(settings.content_dir).get(workshop_id) is None:
            raise typer.BadParameter(f"no workshop {workshop_id!r} in {settings.content_dir}/workshops.yml")
        return Audience((topic_of(workshop_id),), tuple(languages))
    raise typer.BadParameter("audience is `all` or `workshop:<id>`")


def _parse_at(value: str) -> datetime:
    from bot.content.workshops import BERLIN

    for pattern in ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"):
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=BERLIN)
        except ValueError:
            continue
    raise typer.BadParameter("write the time as 2026-12-24 18:00 (Düren time)")


def _translations(pairs: list[str], path: Path | None) -> dict[str, str]:
    from bot.i18n.languages import BY_CODE
    from bot.outbox.announce import is_placeholder

    found: dict[str, str] = {}
    if path is not None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise typer.BadParameter("the translations file maps a language code to its text")
        found.update({str(code): str(text) for code, text in data.items()})
    for pair in pairs:
        code, separator, text = pair.partition("=")
        if not separator:
            raise typer.BadParameter(f"--translation needs code=text, got {pair!r}")
        found[code.strip()] = text
    if unknown := sorted(code for code in found if code not in BY_CODE):
        raise typer.BadParameter(f"unknown language code(s): {', '.join(unknown)}")
    if placeholders := sorted(code for code, text in found.items() if is_placeholder(text)):
        raise typer.BadParameter(
            f"the translation for {', '.join(placeholders)} is empty or a placeholder "
            f"({found[placeholders[0]]!r}): write the real text, or leave the language out "
            "(those women get the German text with a notice)"
        )
    return {code: text.strip() for code, text in found.items()}


@broadcast_app.command("create")
def create(
    text: Annotated[str, typer.Option("--text", help="The German text.")] = "",
    text_file: Annotated[Path | None, typer.Option(help="A file with the German text.")] = None,
    audience: Annotated[str, typer.Option(help="`all` (all subscribers) or `workshop:<id>`.")] = "all",
    language: Annotated[list[str] | None, typer.Option("--language", help="Only these languages.")] = None,
    translation: Annotated[
        list[str] | None, typer.Option("--translation", help="code=text, e.g. ar=…")
    ] = None,
    translations_file: Annotated[Path | None, typer.Option(help="YAML: language code -> text.")] = None,
    machine_drafts: Annotated[
        bool,
        typer.Option(help="Fill languages without a translation from LibreTranslate (checked by nobody)."),
    ] = False,
    at: Annotated[str, typer.Option("--at", help="Send at this Düren time (2026-12-24 18:00).")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Schedule without asking (for scripts).")] = False,
) -> None:
    """Write a broadcast (not sent yet, unless `--at` schedules it for the running bot, after a preview)."""
    from bot.i18n.languages import LANGUAGES
    from bot.outbox.announce import MAX_TEXT, PUSH_CHANNELS, is_placeholder

    settings = Settings()
    german = (text_file.read_text(encoding="utf-8") if text_file else text).strip()
    if not german or len(german) > MAX_TEXT:
        raise typer.BadParameter(f"give a German text of 1 to {MAX_TEXT} characters (--text or --text-file)")
    if is_placeholder(german):
        raise typer.BadParameter(
            f"the German text {german!r} is a placeholder: write the announcement itself"
        )
    chosen = _audience(audience, list(language or []), settings)
    translations = _translations(list(translation or []), translations_file)
    send_at = _parse_at(at) if at else None
    if send_at is not None and send_at <= _now():
        raise typer.BadParameter("that time is in the past")
    store, outbox = _open(settings)
    try:
        recipients = outbox.audience_languages(chosen, PUSH_CHANNELS)
        if machine_drafts:
            translations |= _machine_drafts(german, recipients, translations, chosen.languages)
        if send_at is not None:
            _preview(german, translations, recipients, settings)
            _confirm(f"Schedule it for {at} (Düren time)?", yes)
        now = _now()
        announcement_id = outbox.create(
            kind="broadcast",
            text=german,
            audience=chosen,
            created_by=_actor(),
            now=now,
            translations=translations,
            send_at=send_at,
            status="scheduled" if send_at else "draft",
        )
        details = {"audience": chosen.to_json(), "translated": sorted(translations), "send_at": at or None}
        outbox.audit(_actor(), "create", f"announcement:{announcement_id}", details, now)
        if send_at:
            outbox.audit(_actor(), "schedule", f"announcement:{announcement_id}", details, now)
    finally:
        store.dispose()
    names = {lang.code: lang.native_name for lang in LANGUAGES}
    table = Table(title=f"Broadcast #{announcement_id}: recipients by language")
    for column in ("language", "recipients", "text"):
        table.add_column(column)
    for code, count in sorted(recipients.items()):
        state = (
            "German (source)"
            if code == "de"
            else ("translated" if code in translations else "German + notice")
        )
        table.add_row(f"{names.get(code, code)} ({code})", str(count), state)
    console.print(table)
    if send_at:
        console.print(f"[green]scheduled[/green] for {at} (Düren time); the running bot sends it then.")
    else:
        console.print(
            f"Check it with `wegweiser broadcast show {announcement_id}`, send it with "
            f"`wegweiser broadcast send {announcement_id}`."
        )


def _preview(
    german: str, translations: dict[str, str], recipients: dict[str, int], settings: Settings
) -> None:
    """What each language's women will read, as it will go out, and how many they are."""
    from bot.outbox.announce import final_texts

    texts = final_texts(german, translations, recipients, _catalog(settings))
    table = Table(title="Preview: what she reads", show_lines=True)
    for column in ("language", "women", "text"):
        table.add_column(column, overflow="fold")
    for code, count in sorted(recipients.items()):
        table.add_row(code, str(count), texts.get(code, german))
    console.print(table)
    console.print(f"{sum(recipients.values())} women in total.")


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not typer.confirm(question, default=False):
        console.print("Nothing was sent.")
        raise typer.Exit(1)


def _machine_drafts(
    german: str, recipients: dict[str, int], translations: dict[str, str], only: tuple[str, ...]
) -> dict[str, str]:
    import os

    from bot.staff.drafts import configured_drafter

    drafter = configured_drafter(
        os.environ.get("WEGWEISER_LIBRETRANSLATE_URL", ""), os.environ.get("WEGWEISER_LIBRETRANSLATE_KEY", "")
    )
    if drafter is None:
        console.print(
            "[yellow]no translation service configured (WEGWEISER_LIBRETRANSLATE_URL); no drafts[/yellow]"
        )
        return {}
    drafts: dict[str, str] = {}
    for code in sorted(set(only or recipients) - set(translations) - {"de"}):
        found = drafter.draft(german, code)
        if found:
            drafts[code] = found
            console.print(f"[cyan]machine draft ({code}):[/cyan] {found}")
    return drafts


@broadcast_app.command("list")
def list_broadcasts(limit: Annotated[int, typer.Option(help="How many.")] = 20) -> None:
    """The latest broadcasts with their delivery counts."""
    from bot.content.workshops import BERLIN
    from bot.store.outbox import summary

    store, outbox = _open(Settings())
    try:
        items = [(item, summary(outbox.counts(item.id))) for item in outbox.recent(limit, "broadcast")]
    finally:
        store.dispose()
    table = Table(title="Broadcasts")
    for column in (
        "#",
        "status",
        "created",
        "send at",
        "audience",
        "sent",
        "waiting",
        "failed",
        "total",
        "text",
    ):
        table.add_column(column)
    for item, counts in items:
        table.add_row(
            str(item.id),
            item.status,
            item.created_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M"),
            item.send_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") if item.send_at else "",
            ", ".join(item.audience.topics)
            + (f" [{', '.join(item.audience.languages)}]" if item.audience.languages else ""),
            str(counts["sent"]),
            str(counts["waiting"]),
            str(counts["failed"]),
            str(counts["total"]),
            item.text[:40],
        )
    console.print(table)


@broadcast_app.command("show")
def show(announcement_id: Annotated[int, typer.Argument(help="The broadcast's number.")]) -> None:
    """One broadcast: its text, translations, delivery per language and its audit trail."""
    from bot.content.workshops import BERLIN

    store, outbox = _open(Settings())
    try:
        item = outbox.get(announcement_id)
        if item is None:
            console.print(f"[red]no broadcast #{announcement_id}[/red]")
            raise typer.Exit(1)
        by_language = outbox.counts_by_language(announcement_id)
        by_channel = outbox.counts_by_channel(announcement_id)
        reasons = outbox.reasons(announcement_id)
        trail = [
            entry for entry in outbox.audit_log(500) if entry.subject == f"announcement:{announcement_id}"
        ]
    finally:
        store.dispose()
    console.print(f"[bold]#{item.id}[/bold] {item.kind}, {item.status}; audience {item.audience.to_json()}")
    console.print(f"German:\n{item.text}\n")
    for code, translated in sorted(item.translations.items()):
        console.print(f"[cyan]{code}[/cyan]: {translated}")
    table = Table(title="Delivery by language")
    statuses = ("sent", "pending", "claimed", "sending", "failed", "blocked", "unknown", "cancelled")
    for column in ("language", *statuses):
        table.add_column(column)
    for code, counts in sorted(by_language.items()):
        table.add_row(code, *(str(counts.get(status, 0)) for status in statuses))
    console.print(table)
    channels = Table(title="Delivery by channel (delivered and read: the messenger's receipts)")
    columns = ("sent", "delivered", "read", "pending", "failed", "blocked", "unknown", "cancelled")
    for column in ("channel", *columns):
        channels.add_column(column)
    for channel, counts in sorted(by_channel.items()):
        channels.add_row(channel, *(str(counts.get(column, 0)) for column in columns))
    console.print(channels)
    for reason, count in sorted(reasons.items()):
        console.print(f"[yellow]{count} not delivered:[/yellow] {reason}")
    for entry in reversed(trail):
        console.print(
            f"{entry.at.astimezone(BERLIN):%Y-%m-%d %H:%M} {entry.actor} {entry.action} {entry.details}"
        )


@broadcast_app.command("send")
def send(
    announcement_id: Annotated[int, typer.Argument(help="The broadcast's number.")],
    wait: Annotated[bool, typer.Option(help="Show progress until every message is out.")] = True,
    deliver: Annotated[
        bool, typer.Option(help="Send from this process (when the bot is not running); needs the token.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Send without asking (for scripts).")] = False,
) -> None:
    """Send a broadcast now, after a preview: the outbox gets one row per recipient, the bot sends them."""
    from bot.outbox.announce import PUSH_CHANNELS, queue_announcement

    settings = Settings()
    store, outbox = _open(settings)
    try:
        item = outbox.get(announcement_id)
        if item is None or item.kind != "broadcast":
            console.print(f"[red]no broadcast #{announcement_id}[/red]")
            raise typer.Exit(1)
        if item.status in ("draft", "scheduled"):
            recipients = outbox.audience_languages(item.audience, PUSH_CHANNELS)
            _preview(item.text, item.translations, recipients, settings)
            _confirm(f"Send broadcast #{announcement_id} to {sum(recipients.values())} women now?", yes)
        now = _now()
        rows = queue_announcement(
            outbox,
            announcement_id,
            item.text,
            item.translations,
            _catalog(settings),
            now,
            channels=PUSH_CHANNELS,
        )
        if rows == 0 and item.status not in ("draft", "scheduled"):
            console.print(f"broadcast #{announcement_id} is {item.status}; nothing new to send")
        outbox.audit(_actor(), "send", f"announcement:{announcement_id}", {"rows": rows}, now)
        console.print(f"#{announcement_id}: {rows} message(s) queued")
        if deliver:
            asyncio.run(_deliver(settings, outbox, announcement_id))
        elif wait:
            _watch(outbox, announcement_id)
    finally:
        store.dispose()


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=console,
    )


def _watch(outbox: Outbox, announcement_id: int, poll: float = 0.5) -> None:
    """A progress bar over the outbox rows until none is waiting (the running bot sends them)."""
    from bot.store.outbox import summary

    with _progress() as progress:
        task = progress.add_task("sending", total=None, failed=0)
        while True:
            counts = summary(outbox.counts(announcement_id))
            done = counts["sent"] + counts["failed"] + counts["cancelled"]
            progress.update(task, total=counts["total"], completed=done, failed=counts["failed"])
            if counts["waiting"] == 0:
                break
            time.sleep(poll)


async def _deliver(settings: Settings, outbox: Outbox, announcement_id: int) -> None:
    from bot.channels.telegram.outbox_sender import TelegramCourier
    from bot.outbox.limiter import Limiter
    from bot.outbox.sender import Sender
    from bot.store.deliveries import Deliveries
    from bot.store.outbox import summary

    if not settings.telegram_token:
        console.print("[red]--deliver needs WEGWEISER_TELEGRAM_TOKEN[/red]")
        raise typer.Exit(1)
    courier = await TelegramCourier.open(settings.telegram_token, settings.telegram_api_url)
    sender = Sender(Deliveries(outbox.engine), {"telegram": courier}, Limiter())
    try:
        with _progress() as progress:
            task = progress.add_task("sending", total=None, failed=0)
            running = asyncio.create_task(sender.drain())
            while not running.done():
                counts = summary(await asyncio.to_thread(outbox.counts, announcement_id))
                done = counts["sent"] + counts["failed"] + counts["cancelled"]
                progress.update(task, total=counts["total"], completed=done, failed=counts["failed"])
                await asyncio.wait({running}, timeout=0.5)
            await running
            counts = summary(outbox.counts(announcement_id))
            progress.update(task, completed=counts["sent"] + counts["failed"], failed=counts["failed"])
    finally:
        await courier.close()


@broadcast_app.command("cancel")
def cancel(announcement_id: Annotated[int, typer.Argument(help="The broadcast's number.")]) -> None:
    """Stop a broadcast: scheduled ones are not sent, messages not yet out are withdrawn."""
    store, outbox = _open(Settings())
    try:
        if outbox.get(announcement_id) is None:
            console.print(f"[red]no broadcast #{announcement_id}[/red]")
            raise typer.Exit(1)
        withdrawn = outbox.cancel(announcement_id)
        outbox.audit(_actor(), "cancel", f"announcement:{announcement_id}", {"withdrawn": withdrawn}, _now())
    finally:
        store.dispose()
    console.print(f"#{announcement_id} cancelled; {withdrawn} message(s) withdrawn")
