"""Understanding typed text: normalising it and matching it to a choice.

Many women type rather than tap, in many scripts, with typos. We accept the button title
(with or without its emoji), the choice's number, a keyword in her language, and near misses.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # harakat and tatweel
_NOT_WORD = re.compile(r"[^\w\s]+|_", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Her text without control characters and direction marks, spaces collapsed."""
    return " ".join(_CONTROL.sub("", text).split())


def normalize(text: str) -> str:
    """A comparable form: case-folded, Arabic marks and emoji removed, digits made Latin."""
    text = unicodedata.normalize("NFKC", clean(text)).translate(_DIGITS).casefold()
    text = _ARABIC_MARKS.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Candidate:
    """A choice as she can see and say it in her language, normalised once."""

    value: str
    titles: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    @staticmethod
    def of(value: str, titles: Sequence[str], keywords: Sequence[str] = ()) -> Candidate:
        return Candidate(
            value,
            tuple(normalize(title) for title in titles),
            tuple(word for word in (normalize(keyword) for keyword in keywords) if word),
        )


_FUZZY_LIMIT = 60  # longer messages are not a mistyped button title
_ANSWER_LIMIT = 300  # a letter-length message is not an answer to a button question


def match_choice(text: str, candidates: Sequence[Candidate]) -> str | None:
    """The value she most likely meant, or None when nothing fits well enough."""
    said = normalize(text)
    if not said or len(said) > _ANSWER_LIMIT:
        return None
    if said.isdigit():
        number = int(said)
        return candidates[number - 1].value if 1 <= number <= len(candidates) else None
    for candidate in candidates:
        if said in candidate.titles or said in candidate.keywords:
            return candidate.value
    words = set(said.split())
    for candidate in candidates:
        for keyword in candidate.keywords:
            if keyword in words or (" " in keyword and keyword in said):
                return candidate.value
    if len(said) > _FUZZY_LIMIT:
        return None
    best_value, best_ratio = None, 0.0
    matcher = difflib.SequenceMatcher(None, b=said)
    for candidate in candidates:
        for phrase in (*candidate.titles, *candidate.keywords):
            matcher.set_seq1(phrase)
            if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best_value, best_ratio = candidate.value, ratio
    return best_value if best_ratio >= 0.8 else None


def script_of(text: str) -> str:
    """The writing system most of her letters belong to ("latin", "arabic", "cyrillic", "ethiopic", "")."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for script in ("LATIN", "ARABIC", "CYRILLIC", "ETHIOPIC"):
            if name.startswith(script):
                counts[script.lower()] = counts.get(script.lower(), 0) + 1
                break
    return max(counts, key=lambda script: counts[script]) if counts else ""
