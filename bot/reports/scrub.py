"""Removing what could lead back to a person from what she wrote, before anything is stored.

A report must not lead back to her (or to anyone else), and people write their number "so someone can call
me". The scrubber is deliberately greedy. It takes out, in this order:

- links to social-media profiles (`instagram.com/fatima.k`, `t.me/...`, `wa.me/...`);
- e-mail addresses, also written with spaces (`f a t i m a @ gmx . de`), full-width characters
  (`test＠example．com`, undone by NFKC normalisation first) or `(at)`/`(dot)`;
- messenger handles (`@fatima_k`, `@fatima.k.92`): a username finds a person as surely as a number;
- street addresses (a street word with a house number: `Kölner Straße 12`, `Rosenweg 3a`) and postcodes
  with their town (`52349 Düren`);
- an honorific with the name after it (Herr/Frau/Mr/Mrs/Madame/Bay/Bayan, пан/пані, السيد/السيدة,
  آقای/خانم, …) or before it (`Ahmet Bey`, `Ayşe Hanım`);
- phone numbers: any run of six or more digits (in any script: Latin, Arabic-Indic, Persian, ...) joined
  by spaces, dashes, slashes, dots or parentheses, with an optional `+` or `00`. Dates (`12.03.2024`,
  `2024-03-12`) are kept, because they are not numbers anyone can call.

Each is replaced by a German mark (`[Telefonnummer entfernt]`, ...), which staff read; her summary shows the
marks in her language (`shown_in`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

PHONE_MARK = "[Telefonnummer entfernt]"
EMAIL_MARK = "[E-Mail entfernt]"
HANDLE_MARK = "[Benutzername entfernt]"
LINK_MARK = "[Profil-Link entfernt]"
ADDRESS_MARK = "[Adresse entfernt]"
NAME_MARK = "[Name entfernt]"
MARKS = (PHONE_MARK, EMAIL_MARK, HANDLE_MARK, LINK_MARK, ADDRESS_MARK, NAME_MARK)
MIN_PHONE_DIGITS = 6

# `\d` matches every Unicode decimal digit: ٠-٩ (Arabic-Indic), ۰-۹ (Persian), and others.
_SEPARATOR = r"[\s\-‐‑‒–—/.()\[\]·]"
_PHONE = re.compile(rf"(?:(?:\+|\b00|(?<!\d)٠٠|(?<!\d)۰۰)\s*)?\(?\d(?:{_SEPARATOR}{{0,3}}\d)+\)?")
_AT = r"(?:@|\s*[\(\[]\s*(?:at|ät)\s*[\)\]]\s*)"
_DOT = r"(?:\.|\s*[\(\[]\s*(?:dot|punkt)\s*[\)\]]\s*)"
_SPACED = r"\w(?:\s\w)+(?!\w)"  # f a t i m a
_PART = rf"(?:{_SPACED}|[\w-]+)"
_EMAIL = re.compile(
    rf"(?<![\w.+%-])[\w.+%-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+"
    # spelled out with spaces: spaces around @ and dots only when the letters are spaced too
    rf"|(?<![\w.+%-]){_SPACED}\s*(?:@|{_AT})\s*{_PART}(?:\s*{_DOT}\s*{_PART})+",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"(?:https?://)?(?:www\.|m\.|mobile\.)?"
    r"(?:facebook\.com|fb\.com|fb\.me|instagram\.com|instagr\.am|tiktok\.com|twitter\.com|x\.com|t\.me|"
    r"telegram\.me|wa\.me|linkedin\.com|snapchat\.com|vk\.com|ok\.ru|youtube\.com|youtu\.be|threads\.net)"
    r"/\S*",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_][A-Za-z0-9_.]{1,30}[A-Za-z0-9_]")
_STREET_WORD = r"(?i:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|pfad|markt)"
_ADDRESS = re.compile(
    rf"(?:\b[A-ZÄÖÜ][\wäöüß-]*[ -])?\b[\wÄÖÜäöüß-]*{_STREET_WORD}\s*\d{{1,4}}(?:\s?[a-zA-Z]\b)?"
    r"|\b(?:D-)?\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+"
)
_LATIN_NAME = r"[A-ZÄÖÜÀ-ÞŞĞİÇ][\w'’-]+"
_CYRILLIC_NAME = r"[А-ЯЁІЇЄҐ][\w'’-]+"
_WORD = r"[^\s\[\]\d,.;:!?()]+"
_NAME = re.compile(
    rf"\b(?:Herrn?|Frau|Hr\.|Fr\.|Mrs?\.?|Ms\.?|Miss|Madame|Mme\.?|Monsieur|Mademoiselle|Bay|Bayan|Sayın)"
    rf"\s+{_LATIN_NAME}(?:\s+{_LATIN_NAME})?"
    rf"|\b(?i:пан|пані|пани|господин|госпожа)\s+{_CYRILLIC_NAME}(?:\s+{_CYRILLIC_NAME})?"
    rf"|(?:السيدة|السيد|الأستاذة|الأستاذ|آقای|خانم)\s+{_WORD}"
    rf"|\b{_LATIN_NAME}\s+(?:Bey|Hanım|Hanim)\b"
)
_DATE = re.compile(
    r"^(0?[1-9]|[12][0-9]|3[01])\.(0?[1-9]|1[0-2])\.((19|20)?[0-9]{2})$"
    r"|^(19|20)[0-9]{2}-(0?[1-9]|1[0-2])-(0?[1-9]|[12][0-9]|3[01])$"
)


@dataclass(frozen=True)
class Scrubbed:
    """The text as it may be stored, and how many of each kind were taken out (to tell her)."""

    text: str
    phones: int
    emails: int
    handles: int = 0
    links: int = 0
    addresses: int = 0
    names: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.phones or self.emails or self.handles or self.links or self.addresses or self.names)


def _latin(text: str) -> str:
    """Digits of any script as 0-9, so `١٢.٠٣.٢٠٢٤` is recognised as a date too."""
    return "".join(str(int(char)) if char.isdecimal() else char for char in text)


def _digits(text: str) -> int:
    return sum(char.isdecimal() for char in text)


def scrub(text: str) -> Scrubbed:
    """Replace links, e-mail addresses, handles, addresses, names, then phone numbers (see the module)."""
    counts = {mark: 0 for mark in MARKS}

    def replace(mark: str) -> Callable[[re.Match[str]], str]:
        def marked(_: re.Match[str]) -> str:
            counts[mark] += 1
            return mark

        return marked

    def phone(match: re.Match[str]) -> str:
        found = match.group(0)
        if _digits(found) < MIN_PHONE_DIGITS or _DATE.match(_latin(found).strip(" ()[]")):
            return found
        counts[PHONE_MARK] += 1
        return PHONE_MARK

    result = unicodedata.normalize("NFKC", text)  # ＠ and ． become @ and .
    for pattern, mark in (
        (_SOCIAL, LINK_MARK),
        (_EMAIL, EMAIL_MARK),
        (_HANDLE, HANDLE_MARK),
        (_ADDRESS, ADDRESS_MARK),
        (_NAME, NAME_MARK),
    ):
        result = pattern.sub(replace(mark), result)
    result = _PHONE.sub(phone, result)
    return Scrubbed(
        result,
        counts[PHONE_MARK],
        counts[EMAIL_MARK],
        counts[HANDLE_MARK],
        counts[LINK_MARK],
        counts[ADDRESS_MARK],
        counts[NAME_MARK],
    )


def shown_in(text: str, translate: Callable[[str], str]) -> str:
    """Her scrubbed text with each German mark in her language (`translate` maps a mark to hers)."""
    for mark in MARKS:
        if mark in text:
            text = text.replace(mark, translate(mark))
    return text
