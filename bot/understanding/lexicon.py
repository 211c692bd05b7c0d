"""The danger lexicon beside the model: words that always mean "show the emergency numbers".

A retrained model might lose "110", "polizei" or "شرطة"; this list cannot. A word counts inside a
longer sentence and with endings ("роботу" style: the word is a prefix of what she typed, for words of
four letters or more) and behind Arabic prefixes (ال, و, ب, ل, ف). Words for "help" count when the
message is short ("help", "please help me"), so that "help" alone always brings the numbers while "I
need help with my rent" goes on to the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.understanding.normalize import normalize

SHORT = 4  # words; a message this short that says "help" is a call for help
_STEM = 4  # shorter words must match a whole word ("sos" is not "sosyal")
_ARABIC_PREFIXES = ("وال", "بال", "فال", "لل", "ال", "و", "ب", "ل", "ف")


def _variants(token: str) -> Iterable[str]:
    yield token
    for prefix in _ARABIC_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            yield token[len(prefix) :]


class Lexicon:
    """Danger words (anywhere), help words (short messages) and patterns such as the numbers 110 and 112."""

    def __init__(
        self, danger: Iterable[str], help_words: Iterable[str], patterns: Iterable[str] = ()
    ) -> None:
        self._words: set[str] = set()
        self._phrases: list[str] = []
        for word in (normalize(word) for word in danger):
            if " " in word:
                self._phrases.append(" " + word)
            elif word:
                self._words.add(word)
        self._help = {normalize(word) for word in help_words} - {""}
        self._help_phrases = [" " + word for word in self._help if " " in word]
        self._pattern = re.compile("|".join(f"(?:{pattern})" for pattern in patterns)) if patterns else None

    @staticmethod
    def of(lookups: Mapping[str, list[tuple[str, str]]], regexes: Mapping[str, list[str]]) -> Lexicon:
        return Lexicon(
            (word for word, _ in lookups.get("danger", [])),
            (word for word, _ in lookups.get("help", [])),
            regexes.get("emergency_number", []),
        )

    def _known(self, token: str, words: set[str]) -> bool:
        for variant in _variants(token):
            if variant in words:
                return True
            for end in range(_STEM, len(variant)):
                if variant[:end] in words:
                    return True
        return False

    def names_danger(self, said: str) -> bool:
        """Whether the normalised text holds a danger word or an emergency number, anywhere."""
        if not said:
            return False
        if self._pattern is not None and self._pattern.search(said):
            return True
        if any(self._known(token, self._words) for token in said.split()):
            return True
        padded = " " + said
        return any(phrase in padded for phrase in self._phrases)

    def calls_for_help(self, said: str) -> bool:
        """Whether the normalised text is a short message with a word for help in it."""
        tokens = said.split()
        if not tokens or len(tokens) > SHORT:
            return False
        padded = " " + said
        return any(self._known(token, self._help) for token in tokens) or any(
            phrase in padded for phrase in self._help_phrases
        )

    def only_help(self, said: str) -> bool:
        """Whether the message says nothing but "help" ("Hilfe", "help me", "ساعدوني")."""
        tokens = said.split()
        return bool(tokens) and (
            said in self._help or all(self._known(token, self._help) for token in tokens)
        )

    def alarms(self, said: str) -> bool:
        return self.names_danger(said) or self.calls_for_help(said)
