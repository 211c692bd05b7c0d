"""Statistics for the Arbeitskreis: counts by month, form, stage, actor, place and grounds, safe to share.

Counts from 1 to `min_cell - 1` are suppressed (shown as `<3`), because a small number next to a small
municipality can point at one woman. The total is suppressed the same way, and where a breakdown adds up to
the total (one answer per report), a lone suppressed cell takes the next smallest with it (shown as `*`):
otherwise the total minus the shown cells would name it. Charts are drawn with matplotlib's Agg canvas
(no display needed).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.reports import categories
from bot.reports.model import Report
from bot.reports.periods import month_of, months_ago, week_month

MIN_CELL = 3
NOT_SAID = "nicht angegeben"


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    suppressed: bool
    hidden: bool = False  # not small itself, hidden so that the total cannot reveal a small neighbour

    def shown(self, min_cell: int) -> str:
        if self.hidden:
            return "*"
        return f"<{min_cell}" if self.suppressed else str(self.count)


@dataclass(frozen=True)
class Breakdown:
    title: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Statistics:
    since: str
    until: str
    total: int
    min_cell: int
    breakdowns: tuple[Breakdown, ...]

    def breakdown(self, title: str) -> Breakdown:
        return next(item for item in self.breakdowns if item.title == title)

    @property
    def total_shown(self) -> str:
        """The total under the same rule as every cell: one or two reports are never a number."""
        return f"<{self.min_cell}" if 0 < self.total < self.min_cell else str(self.total)


PER_MONTH = "Meldungen pro Monat"
BY_FORM = "Was ist passiert"
BY_STAGE = "Schritt"
BY_ACTOR = "Wer"
BY_PLACE = "Ort"
BY_GROUND = "Gründe"


def months_between(since: str, until: str) -> list[str]:
    first = int(since[:4]) * 12 + int(since[5:]) - 1
    last = int(until[:4]) * 12 + int(until[5:]) - 1
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1)]


def _cells(counts: Counter[str], order: Iterable[tuple[str, str]], min_cell: int) -> tuple[Cell, ...]:
    """Every listed answer (zeros too, they reveal no one), "not said" only when someone chose it."""
    return tuple(
        Cell(label, counts[key], 0 < counts[key] < min_cell)
        for key, label in order
        if key != categories.UNSAID or counts[key]
    )


def _complemented(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """Cells that add up to the shown total: hide the smallest other count beside a lone suppressed one."""
    if sum(cell.suppressed for cell in cells) != 1:
        return cells
    others = [cell for cell in cells if not cell.suppressed and cell.count]
    if not others:
        return cells
    smallest = min(others, key=lambda cell: cell.count)
    return tuple(Cell(c.label, c.count, c.suppressed, hidden=c is smallest) for c in cells)


def _labelled(table: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(key, categories.plain(label)) for key, label in table.items()] + [(categories.UNSAID, NOT_SAID)]


def tabulate(
    reports: Sequence[Report],
    since: str,
    until: str,
    *,
    places: Mapping[str, str],
    min_cell: int = MIN_CELL,
) -> Statistics:
    """Reports sent in the months `since`..`until` (YYYY-MM, inclusive), counted and suppressed."""
    months = months_between(since, until)
    chosen = [report for report in reports if week_month(report.reported_week) in months]
    per_month: Counter[str] = Counter(week_month(report.reported_week) for report in chosen)
    forms: Counter[str] = Counter(
        categories.current(categories.FORMS, form) for report in chosen for form in report.forms
    )
    grounds: Counter[str] = Counter(
        categories.current(categories.GROUNDS, ground) for report in chosen for ground in report.grounds
    )
    stages: Counter[str] = Counter(categories.current(categories.STAGES, report.stage) for report in chosen)
    actors: Counter[str] = Counter(categories.current(categories.ACTORS, report.actor) for report in chosen)
    municipalities: Counter[str] = Counter(report.municipality for report in chosen)
    month_cells = tuple(Cell(month, per_month[month], 0 < per_month[month] < min_cell) for month in months)
    place_order = [*places.items(), (categories.UNSAID, NOT_SAID)]
    return Statistics(
        since,
        until,
        len(chosen),
        min_cell,
        (
            Breakdown(PER_MONTH, _complemented(month_cells)),
            Breakdown(BY_FORM, _cells(forms, _labelled(categories.FORMS), min_cell)),
            Breakdown(BY_STAGE, _complemented(_cells(stages, _labelled(categories.STAGES), min_cell))),
            Breakdown(BY_ACTOR, _complemented(_cells(actors, _labelled(categories.ACTORS), min_cell))),
            Breakdown(BY_PLACE, _complemented(_cells(municipalities, place_order, min_cell))),
            Breakdown(BY_GROUND, _cells(grounds, _labelled(categories.GROUNDS), min_cell)),
        ),
    )


def render_chart(stats: Statistics) -> bytes:
    """One PNG with a panel per breakdown; suppressed cells are labelled `<3` and drawn empty."""
    from matplotlib.figure import Figure  # large, and only staff asking for statistics need it

    figure = Figure(figsize=(12, 15), dpi=100, layout="constrained")
    figure.suptitle(
        "Meldungen zu Diskriminierung auf dem Wohnungsmarkt, "
        f"{stats.since} bis {stats.until} (n = {stats.total_shown})"
    )
    axes = figure.subplots(3, 2)
    for ax, breakdown in zip(axes.flat, stats.breakdowns, strict=True):
        labels = [cell.label for cell in breakdown.cells]
        values = [0 if cell.suppressed or cell.hidden else cell.count for cell in breakdown.cells]
        ax.set_title(breakdown.title)
        if breakdown.title == PER_MONTH:
            bars = ax.bar(labels, values, color="#3a6ea5")
            ax.tick_params(axis="x", labelrotation=60)
        else:
            bars = ax.barh(labels, values, color="#3a6ea5")
            ax.invert_yaxis()
        ax.bar_label(bars, labels=[cell.shown(stats.min_cell) for cell in breakdown.cells], padding=2)
        if not labels:
            ax.text(0.5, 0.5, "keine Meldungen", ha="center", va="center", transform=ax.transAxes)
    # supxlabel keeps the note inside the constrained layout, clear of the axes
    figure.supxlabel(
        f"Zahlen von 1 bis {stats.min_cell - 1} sind nicht gezeigt (<{stats.min_cell}); "
        "* verdeckt eine größere Zahl, aus der sich sonst eine kleine errechnen ließe.",
        fontsize=8,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def summary(stats: Statistics) -> str:
    """A short German text for staff: total, the most frequent answers (never a suppressed count)."""
    lines = [f"📊 Meldungen {stats.since} bis {stats.until}: {stats.total_shown}"]
    for breakdown in stats.breakdowns[1:]:
        visible = (cell for cell in breakdown.cells if not cell.suppressed and not cell.hidden)
        top = sorted(visible, key=lambda cell: -cell.count)[:3]
        if top:
            lines.append(f"{breakdown.title}: " + ", ".join(f"{cell.label} ({cell.count})" for cell in top))
    lines.append(f"Zahlen unter {stats.min_cell} sind ausgeblendet.")
    return "\n".join(lines)


def telegram_stats(
    reports: Sequence[Report],
    today: date,
    *,
    places: Mapping[str, str],
    months: int = 12,
    min_cell: int = MIN_CELL,
) -> tuple[bytes, str]:
    """The `/stats` answer for staff in Telegram: a chart of the last `months` months and a German summary."""
    stats = tabulate(
        reports, months_ago(today, months - 1), month_of(today), places=places, min_cell=min_cell
    )
    return render_chart(stats), summary(stats)
