"""How far each language is: strings total, missing, draft, outdated, reviewed (`i18n status`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from bot.i18n.status import State, state_of
from bot.translation.po import entries


@dataclass(frozen=True)
class Progress:
    language: str
    total: int
    missing: int
    draft: int
    machine: int
    outdated: int
    reviewed: int

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.reviewed / self.total if self.total else 0.0


def progress_of(language: str, catalog: Catalog) -> Progress:
    """Counts by state; `draft` includes machine drafts (also counted alone in `machine`)."""
    counts = Counter(state_of(message) for message in entries(catalog))
    return Progress(
        language=language,
        total=sum(counts.values()),
        missing=counts[State.MISSING],
        draft=counts[State.DRAFT] + counts[State.MACHINE],
        machine=counts[State.MACHINE],
        outdated=counts[State.OUTDATED],
        reviewed=counts[State.REVIEWED],
    )
