"""The languages Wegweiser speaks, their native names and writing direction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    english_name: str
    rtl: bool = False

    @property
    def dir(self) -> Direction:
        return "rtl" if self.rtl else "ltr"


SOURCE = "de"

LANGUAGES: tuple[Language, ...] = (
    Language("de", "Deutsch", "German"),
    Language("en", "English", "English"),
    Language("ar", "العربية", "Arabic", rtl=True),
    Language("fa", "فارسی", "Farsi/Dari", rtl=True),
    Language("uk", "Українська", "Ukrainian"),
    Language("ru", "Русский", "Russian"),
    Language("tr", "Türkçe", "Turkish"),
    Language("ku", "Kurdî", "Kurdish (Kurmanji)"),
    Language("ti", "ትግርኛ", "Tigrinya"),
    Language("ps", "پښتو", "Pashto", rtl=True),
    Language("so", "Soomaali", "Somali"),
    Language("fr", "Français", "French"),
)

BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}

# Platform tags that name one of our languages under another code.
_ALIASES: dict[str, str] = {
    "prs": "fa",  # Dari
    "pes": "fa",
    "kmr": "ku",  # Kurmanji
    "pbu": "ps",
    "pbt": "ps",
    "tir": "ti",
    "som": "so",
}


def resolve(tag: str | None) -> str:
    """Map a platform language tag (`fa-IR`, `prs`, `kmr`, `pt-br`) to one of ours, or "" if none fits."""
    if not tag:
        return ""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    primary = _ALIASES.get(primary, primary)
    return primary if primary in BY_CODE else ""


def direction(code: str) -> Direction:
    language = BY_CODE.get(code)
    return language.dir if language else "ltr"
