"""Removing phone numbers and e-mail addresses from what she wrote, before anything is stored.

A report must not lead back to her, and people write their number "so someone can call me". The scrubber
is deliberately greedy: any run of six or more digits (in any script: Latin, Arabic-Indic, Persian, ...)
joined by spaces, dashes, slashes, dots or parentheses, with an optional `+` or `00`, counts as a phone
number. Dates (`12.03.2024`, `2024-03-12`) are kept, because they are not numbers anyone can call.
Messenger handles (`@fatima_k`) go too: on Telegram a username finds a person as surely as a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PHONE_MARK = "[Telefonnummer entfernt]"
EMAIL_MARK = "[E-Mail entfernt]"
HANDLE_MARK = "[Benutzername entfernt]"
MIN_PHONE_DIGITS = 6

# `\d` matches every Unicode decimal digit: ٠-٩ (Arabic-Indic), ۰-۹ (Persian), and others.
_SEPARATOR = r"[\s\-‐‑‒–—/.()\[\]·]"
_PHONE = re.compile(rf"(?:(?:\+|＋|\b00|(?<!\d)٠٠|(?<!\d)۰۰)\s*)?\(?\d(?:{_SEPARATOR}{{0,3}}\d)+\)?")
_AT = r"(?:@|＠|\s*[\(\[]\s*(?:at|ät)\s*[\)\]]\s*)"
_DOT = r"(?:\.|\s*[\(\[]\s*(?:dot|punkt)\s*[\)\]]\s*)"
_EMAIL = re.compile(rf"[\w.+%-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.@＠])[@＠][A-Za-z][A-Za-z0-9_]{4,31}\b")
_DATE = re.compile(
    r"^(0?[1-9]|[12][0-9]|3[01])\.(0?[1-9]|1[0-2])\.((19|20)?[0-9]{2})$"
    r"|^(19|20)[0-9]{2}-(0?[1-9]|1[0-2])-(0?[1-9]|[12][0-9]|3[01])$"
)


@dataclass(frozen=True)
class Scrubbed:
    """The text as it may be stored, and how many numbers and addresses were taken out (to tell her)."""

    text: str
    phones: int
    emails: int
    handles: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.phones or self.emails or self.handles)


def _latin(text: str) -> str:
    """Digits of any script as 0-9, so `١٢.٠٣.٢٠٢٤` is recognised as a date too."""
    return "".join(str(int(char)) if char.isdecimal() else char for char in text)


def _digits(text: str) -> int:
    return sum(char.isdecimal() for char in text)


def scrub(text: str) -> Scrubbed:
    """Replace e-mail addresses first (they may hold digits and an @), then handles, then phone numbers."""
    emails = 0
    phones = 0
    handles = 0

    def email(_: re.Match[str]) -> str:
        nonlocal emails
        emails += 1
        return EMAIL_MARK

    def handle(_: re.Match[str]) -> str:
        nonlocal handles
        handles += 1
        return HANDLE_MARK

    def phone(match: re.Match[str]) -> str:
        nonlocal phones
        found = match.group(0)
        if _digits(found) < MIN_PHONE_DIGITS or _DATE.match(_latin(found).strip(" ()[]")):
            return found
        phones += 1
        return PHONE_MARK

    without_emails = _EMAIL.sub(email, text)
    without_handles = _HANDLE.sub(handle, without_emails)
    return Scrubbed(_PHONE.sub(phone, without_handles), phones, emails, handles)
