"""`wegweiser jobs`: what the scheduler will do and when, and whether a bot is running to do it."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from bot.cli.database import open_store
from bot.config import Settings

console = Console()


def jobs() -> None:
    """What is scheduled and when: reminders, housekeeping and scheduled broadcasts."""
    from bot.content.workshops import BERLIN
    from bot.scheduling.listing import scheduled_jobs
    from bot.store.outbox import Outbox
    from bot.store.scheduler_lock import SchedulerLock

    settings = Settings()
    store = open_store(settings)
    outbox = Outbox(store.engine)
    try:
        listed = scheduled_jobs(store.engine)
        broadcasts = [item for item in outbox.recent(200, "broadcast") if item.status == "scheduled"]
        # The bot that runs the scheduler holds its lock; when we get it, no scheduler is running.
        lock = SchedulerLock(store.engine)
        running = not lock.acquire()
        if not running:
            lock.release()
    finally:
        store.dispose()
    now = datetime.now(UTC)
    table = Table(title="Scheduled jobs")
    for column in ("id", "what", "next run (Düren time)"):
        table.add_column(column)
    for job in listed:
        when = job.next_run.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S") if job.next_run else "paused"
        if job.next_run is not None and job.next_run < now:
            when += " (overdue)"
        table.add_row(job.id, job.name, when)
    for item in broadcasts:
        when = item.send_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S") if item.send_at else ""
        table.add_row(f"broadcast #{item.id}", f"scheduled broadcast “{item.text[:30]}”", when)
    console.print(table)
    if running:
        console.print("These times come from the running bot's scheduler.")
    else:
        console.print(
            "[yellow]No bot is running (nobody holds the scheduler lock): nothing above happens until "
            "`wegweiser run` starts. Overdue jobs then run at once, or are skipped when they are later "
            "than their grace time.[/yellow]"
        )
    if not listed:
        console.print("No jobs stored yet: they are planned when the bot starts (`wegweiser run`).")
