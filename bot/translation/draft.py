"""Machine drafts for missing translations, never touching a translation that exists.

The translation service is a plain function `str -> str` (see `bot.translation.machine` for the providers),
so this module knows no service. A provider failure (quota, timeout, server error, refused key) stops
the run: what was drafted so far is kept and the caller writes only that. A single text whose protected
parts do not survive is skipped and reported; it stays missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from babel.messages.catalog import Catalog

from bot.i18n.status import State, mark_machine, state_of
from bot.translation.po import Key, entries, key_of
from bot.translation.protect import LostParts, protect, restore

Translate = Callable[[str], str]


class ProviderError(Exception):
    """The translation service failed in a way that will not get better with the next text."""


class QuotaExceeded(ProviderError):
    """The service refuses more requests for now (HTTP 429)."""


class ProviderTimeout(ProviderError):
    """The service did not answer in time."""


@dataclass
class DraftResult:
    filled: list[Key] = field(default_factory=list)
    skipped: list[tuple[Key, str]] = field(default_factory=list)
    stopped: str = ""
    remaining: int = 0


def draft_missing(
    catalog: Catalog, translate: Translate, provider: str, day: date, limit: int | None = None
) -> DraftResult:
    """Fill missing entries of `catalog` in place; each filled entry becomes a fuzzy machine draft."""
    result = DraftResult()
    missing = [message for message in entries(catalog) if state_of(message) is State.MISSING]
    for position, message in enumerate(missing):
        if limit is not None and len(result.filled) >= limit:
            result.remaining = len(missing) - position
            break
        protected = protect(str(message.id))
        try:
            translated = translate(protected.text) if protected.text.strip() else protected.text
        except ProviderError as error:
            result.stopped = str(error)
            result.remaining = len(missing) - position
            break
        try:
            text = restore(translated or "", protected)
        except LostParts as error:
            result.skipped.append((key_of(message), str(error)))
            continue
        if not text.strip():
            result.skipped.append((key_of(message), "the service returned an empty text"))
            continue
        message.string = text
        mark_machine(message, provider, day)
        result.filled.append(key_of(message))
    return result
