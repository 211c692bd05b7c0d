"""One message built from several catalog texts: her language, and the status of its weakest part.

An offer card or the emergency list is put together from many translated pieces (a description, the
hours, "free", "anonymous") and German names and numbers. The message is in her language and
direction; its status is that of its weakest piece (missing, then draft, then reviewed), so review
mode and the web chat show what an interpreter still has to check. German names, numbers, addresses
and links are isolated in right-to-left languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.i18n.bidi import isolated
from bot.i18n.catalog import Catalog
from bot.i18n.languages import SOURCE
from bot.i18n.status import TextStatus

_WEAKEST_FIRST: tuple[TextStatus, ...] = ("missing", "draft", "reviewed")


@dataclass
class Composition:
    catalog: Catalog
    language: str
    msgid: str = ""
    statuses: list[TextStatus] = field(default_factory=list)

    def text(self, german: str, context: str) -> str:
        localized = self.catalog.text(self.language, german, context)
        self._note(localized.status, context)
        return localized.text

    def filled(self, german: str, context: str, **fields: str) -> str:
        """A translated text with its placeholders filled; each value is an island in RTL."""
        marked = {key: isolated(value, self.language) for key, value in fields.items()}
        localized = self.catalog.filled(self.language, german, context, **marked)
        self._note(localized.status, context)
        return localized.text

    def name(self, value: str) -> str:
        """A name, number, address or link that stays as it is (German, digits, Latin letters)."""
        return isolated(value, self.language)

    def _note(self, status: TextStatus, context: str) -> None:
        self.statuses.append(status)
        if not self.msgid:
            self.msgid = context

    @property
    def status(self) -> TextStatus:
        if not self.language or self.language == SOURCE:
            return "source"
        for status in _WEAKEST_FIRST:
            if status in self.statuses:
                return status
        return "source"

    def meta(self, **extra: Any) -> dict[str, Any]:
        """What the host needs to label the message (json_message of rasa_sdk's dispatcher)."""
        return {"msgid": self.msgid, "status": self.status, **extra}
