"""Which of our languages a free text is written in, to *suggest* a language (never to switch silently).

lingua-language-detector, restricted to our languages it knows (de en ar fa uk ru tr so fr). It is large,
so it is imported and built on the first call only (or by `preload()` in a background thread at start).
Three of our languages lingua does not know are recognised by their letters: Tigrinya (Ethiopic script),
Pashto (letters Persian does not use), Kurmanji (ê, î, û, rare in Turkish). Short or unclear texts
give None.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

# Our code -> lingua's Language member name.
LINGUA: dict[str, str] = {
    "de": "GERMAN",
    "en": "ENGLISH",
    "ar": "ARABIC",
    "fa": "PERSIAN",
    "uk": "UKRAINIAN",
    "ru": "RUSSIAN",
    "tr": "TURKISH",
    "so": "SOMALI",
    "fr": "FRENCH",
}
MIN_LETTERS = 8  # a single short word ("Hallo", "ok") is too little to tell a language
MIN_RELATIVE_DISTANCE = 0.15  # lingua answers None when two languages are this close
# lingua's time grows with the text (60 KB of Arabic took about a second, inside a turn); a few
# hundred characters tell a language as well as the whole message.
MAX_ANALYSED_CHARS = 400

_ETHIOPIC = re.compile("[\u1200-\u137f]")
_PASHTO = re.compile("[\u067c\u0689\u0693\u0696\u069a\u06ab\u06bc\u06cd\u06d0]")  # ټ ډ ړ ږ ښ ګ ڼ ۍ ې
_KURMANJI = re.compile("[êîûÊÎÛ]")


@cache
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LINGUA.values()]
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
        .build()
    )


def preload() -> None:
    """Build the detector now (takes a moment) so the first suggestion is fast."""
    _detector()


def suggest_language(text: str) -> str | None:
    """Our language code the text is most likely in, or None when too short or unclear."""
    text = text[:MAX_ANALYSED_CHARS]
    if sum(char.isalpha() for char in text) < MIN_LETTERS:
        return None
    if _ETHIOPIC.search(text):
        return "ti"
    if _PASHTO.search(text):
        return "ps"
    if _KURMANJI.search(text):
        return "ku"
    found = _detector().detect_language_of(text)
    if found is None:
        return None
    return next((code for code, name in LINGUA.items() if found.name == name), None)


_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def by_letters(text: str) -> str | None:
    """A first guess from letters alone, for words too short for lingua ("شرطة", "поліція", "ፖሊስ")."""
    if _ETHIOPIC.search(text):
        return "ti"
    if _PASHTO.search(text):
        return "ps"
    if _PERSIAN.search(text):
        return "fa"
    if _ARABIC_SCRIPT.search(text):
        return "ar"
    if _UKRAINIAN.search(text):
        return "uk"
    if _CYRILLIC.search(text):
        return "ru"
    return None
