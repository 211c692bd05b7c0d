"""From an announcement to its outbox rows: the final text for each language, then one row each.

A woman gets the text in her language when staff gave (or accepted) one; otherwise the German text
under a short notice in her language, so she knows why it is German. The texts are fixed when the
announcement is queued, so every recipient of one language reads the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from bot.i18n.catalog import Catalog
from bot.i18n.languages import LANGUAGES, SOURCE
from bot.store.outbox import Audience

CONTEXT = "outbox/notice_german"
NOTICE_GERMAN = "ℹ️ Diese Nachricht gibt es noch nicht in Ihrer Sprache. Hier ist sie auf Deutsch:"
MAX_TEXT = 3500  # below Telegram's 4096 characters, with room for the notice and direction marks
PUSH_CHANNELS = ("telegram", "whatsapp")  # channels that can write to her first; the web chat cannot


_PLACEHOLDERS = {"todo", "tbd", "tba", "fixme", "xxx", "text", "translation", "übersetzung", "lorem ipsum"}


def is_placeholder(text: str) -> bool:
    """An empty text, dots or an ellipsis, or a TODO: what a copied example or a note-to-self looks like.
    Such a text must never go out to women as if it were the announcement."""
    words = text.strip().strip("\"'„“”«»")
    if not words.strip(".…-_?!* \t\n"):
        return True
    return words.lower().rstrip(".…:! ") in _PLACEHOLDERS or words.upper().startswith(("TODO", "FIXME"))


def source_texts() -> list[tuple[str, str]]:
    """(context, German text) for the catalog extraction."""
    return [(CONTEXT, NOTICE_GERMAN)]


def final_texts(
    german: str, translations: Mapping[str, str], languages: Iterable[str], catalog: Catalog
) -> dict[str, str]:
    """The text each language gets: its translation, else German under a notice in that language."""
    texts = {SOURCE: german}
    for language in languages:
        if language == SOURCE:
            continue
        translated = (translations.get(language) or "").strip()
        if translated:
            texts[language] = translated
        else:
            notice = catalog.text(language, NOTICE_GERMAN, CONTEXT).text
            texts[language] = f"{notice}\n\n{german}"
    return texts


def all_languages() -> list[str]:
    return [language.code for language in LANGUAGES]


class Queueing(Protocol):
    def queue(
        self,
        announcement_id: int,
        texts: dict[str, str],
        channels: Sequence[str],
        now: datetime,
        *,
        statuses: Sequence[str] = ("draft", "scheduled"),
    ) -> int: ...

    def audience_languages(self, audience: Audience, channels: Sequence[str]) -> dict[str, int]: ...


def queue_announcement(
    outbox: Queueing,
    announcement_id: int,
    german: str,
    translations: Mapping[str, str],
    catalog: Catalog,
    now: datetime,
    *,
    channels: Sequence[str] = PUSH_CHANNELS,
    statuses: Sequence[str] = ("draft", "scheduled"),
) -> int:
    """Fix the texts for every language the bot speaks and fill the outbox; returns new rows."""
    texts = final_texts(german, translations, all_languages(), catalog)
    return outbox.queue(announcement_id, texts, channels, now, statuses=statuses)
