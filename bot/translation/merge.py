"""`i18n update`: bring one language's catalog in line with the template, losing nothing.

Unlike a plain msgmerge, matching is by context first: a text whose German changed is found again
under its context (`<flow>/<step>`), keeps its translation, and becomes fuzzy with the previous German
(`#| msgid`), so reviewers see exactly what changed and the status says "outdated". A text that moved to
another step with the same German keeps its translation and state. Translations nobody needs any more are
kept as obsolete entries (`#~`) at the end of the file, where translators can still copy from them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

from bot.i18n.catalog import DOMAIN
from bot.i18n.languages import BY_CODE
from bot.translation.po import LANGUAGE_HEADER, PROJECT, Key, entries, key_of

MIN_SIMILARITY = 0.5  # below this the German was rewritten: the old translation is no help


@dataclass(frozen=True)
class MergeReport:
    kept: int
    outdated: int
    new: int
    obsolete: int


def new_catalog(language: str) -> Catalog:
    catalog = Catalog(
        locale=language, domain=DOMAIN, project=PROJECT, version="1", charset="utf-8", fuzzy=False
    )
    info = BY_CODE.get(language)
    catalog.header_comment = LANGUAGE_HEADER.format(name=info.english_name if info else language)
    return catalog


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _carry(target: Message, old: Message, *, outdated: bool) -> None:
    target.string = old.string
    target.flags = set(old.flags) | ({"fuzzy"} if outdated else set())
    target.user_comments = list(old.user_comments)
    earlier = list(old.previous_id or []) if old.fuzzy else []
    # The translation was made for the oldest German it has seen, so that is the one to compare with.
    target.previous_id = (earlier or [str(old.id)]) if outdated else earlier


def _previous_translation(key: Key, old: dict[Key, Message], free: set[Key]) -> Message | None:
    """The old entry of the same context whose German is most like the new one (if like enough)."""
    context, german = key
    candidates = [old[other] for other in free if other[0] == context and old[other].string]
    scored = [(_similarity(german, str(message.id)), message) for message in candidates]
    scored = [pair for pair in scored if pair[0] >= MIN_SIMILARITY]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def merge(template: Catalog, old_catalog: Catalog | None, language: str) -> tuple[Catalog, MergeReport]:
    """A new catalog for `language` with the template's entries and the old catalog's translations."""
    catalog = new_catalog(language)
    if old_catalog is not None:
        catalog.creation_date = old_catalog.creation_date
    old = {key_of(message): message for message in entries(old_catalog)} if old_catalog else {}
    wanted = {key_of(message) for message in entries(template)}
    free = {key for key in old if key not in wanted}
    kept = outdated = new = 0
    for source in entries(template):
        key = key_of(source)
        message = Message(
            source.id,
            "",
            list(source.locations),
            auto_comments=list(source.auto_comments),
            context=source.context,
        )
        if key in old:
            _carry(message, old[key], outdated=False)
            kept += 1
        else:
            moved = next((other for other in sorted(free) if other[1] == key[1] and old[other].string), None)
            previous = old[moved] if moved else _previous_translation(key, old, free)
            if previous is not None:
                free.discard(key_of(previous))
                _carry(message, previous, outdated=moved is None)
                outdated += moved is None
                kept += moved is not None
            else:
                new += 1
        catalog[message.id] = message
    obsolete = 0
    for key in sorted(free):
        if old[key].string:
            catalog.obsolete[key] = old[key]
            obsolete += 1
    if old_catalog is not None:
        for message in old_catalog.obsolete.values():
            key = key_of(message)
            if key not in wanted and key not in catalog.obsolete and message.string:
                catalog.obsolete[key] = message
    return catalog, MergeReport(kept, outdated, new, obsolete)
