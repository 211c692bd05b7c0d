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

from bot.understanding.normalize import normalize as understood_form

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Her text without control characters and direction marks, spaces collapsed."""
    return " ".join(_CONTROL.sub("", text).split())


def normalize(text: str) -> str:
    """A comparable form (see bot.understanding.normalize): the buttons, the keywords and her text alike."""
    return understood_form(clean(text))


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
_SENTENCE = 3  # words from which a message is a sentence rather than a short answer


def match_choice(text: str, candidates: Sequence[Candidate], *, inside: bool = True) -> str | None:
    """The value she most likely meant, or None when nothing fits well enough.

    `inside=False` accepts only answers that are the whole message (a title, number, keyword or near
    miss), not a keyword found inside a longer sentence, which her need, when clear, outranks.
    """
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
    for candidate in candidates if inside or len(words) < _SENTENCE else ():
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
