"""Translations as the bot serves them: reviewed text, else a draft, else German.

The catalog is loaded once from the gettext PO files in `locale/<lang>/LC_MESSAGES/wegweiser.po`.
A text is identified by its context (where it appears, e.g. `find_counselling/ask_topic`) and its
German source (the msgid). Whether an entry is reviewed or a draft is defined in `bot.i18n.status`:
reviewed means an interpreter marked it so; machine drafts, outdated and unreviewed texts are drafts.
With `serve_drafts=False` a draft is not served and she reads German (status "missing").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

from bot.i18n.languages import SOURCE
from bot.i18n.status import TextStatus, serving_status, state_of

DOMAIN = "wegweiser"


@dataclass(frozen=True)
class Localized:
    text: str
    status: TextStatus


@dataclass
class Catalog:
    """Lookup table (language -> (context, msgid) -> translation)."""

    entries: dict[str, dict[tuple[str, str], Localized]] = field(default_factory=dict)
    serve_drafts: bool = True

    def text(self, language: str, msgid: str, context: str = "") -> Localized:
        if not msgid or language == SOURCE or not language:
            return Localized(msgid, "source")
        table = self.entries.get(language, {})
        found = table.get((context, msgid)) or table.get(("", msgid))
        if found is None or (found.status == "draft" and not self.serve_drafts):
            return Localized(msgid, "missing")
        return found

    def filled(self, language: str, msgid: str, context: str = "", **fields: object) -> Localized:
        """The text in her language with its `{placeholders}` filled; a translation that broke a
        placeholder falls back to the German, so a typo never costs her the answer."""
        localized = self.text(language, msgid, context)
        try:
            return Localized(localized.text.format(**fields), localized.status)
        except (KeyError, IndexError, ValueError):
            return Localized(msgid.format(**fields), localized.status)

    def languages(self) -> list[str]:
        return sorted(self.entries)

    @staticmethod
    def load(locale_dir: Path, serve_drafts: bool = True) -> Catalog:
        entries: dict[str, dict[tuple[str, str], Localized]] = {}
        for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            language = po_path.parent.parent.name
            with po_path.open("rb") as handle:
                po = read_po(handle, locale=None)
            table: dict[tuple[str, str], Localized] = {}
            for message in po:
                if not message.id or not isinstance(message.id, str) or not isinstance(message.string, str):
                    continue
                status: TextStatus = serving_status(state_of(message))
                if status == "missing":
                    continue
                table[(message.context or "", message.id)] = Localized(message.string, status)
            if table:  # a catalog with no translation yet does not make a language available
                entries[language] = table
        return Catalog(entries, serve_drafts)
