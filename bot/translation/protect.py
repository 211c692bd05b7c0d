"""Keep what a machine must not translate out of its reach: placeholders, tags, emoji, numbers, links.

Before a text goes to a translation service, each such part is replaced by a token `⟦n⟧`; after, the
tokens are put back and checked: if a part is lost or doubled, the draft is refused rather than showing a
woman a broken phone number. Leading and trailing emoji (button titles such as "🆘 Notfall") are taken off
and put back in place, so they stay where the layout expects them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_EMOJI_CHARS = (
    "\U0001f000-\U0001faff"  # pictographs, symbols, flags
    "\u2600-\u27bf"  # dingbats, misc symbols (☎ ✅ ✉)
    "\u2b00-\u2bff"
    "\u2190-\u21ff"  # arrows (↩)
    "\u2300-\u23ff"
    "\u2139\u24c2\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049"
)
EMOJI = rf"(?:[{_EMOJI_CHARS}][\ufe0f\u200d\U0001f3fb-\U0001f3ff]*)+(?:\u200d[{_EMOJI_CHARS}]\ufe0f?)*"
PLACEHOLDER = r"\{[A-Za-z_][A-Za-z0-9_]*\}|\{\d*\}|%\(\w+\)[sd]|%[sd]"
TAG = r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"
URL = r"https?://[^\s<>]+[^\s<>.,;:!?)]"
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
PHONE = r"\+?\d[\d /-]{4,}\d"
NUMBER = r"\b\d{3,}\b"  # 110, 112: a machine may write them in other digits, which phones do not dial
COMMAND = r"(?<![\w/])/[a-z_]{2,32}\b"

_PROTECTED = re.compile(
    "|".join(f"(?:{pattern})" for pattern in (PLACEHOLDER, TAG, URL, EMAIL, PHONE, NUMBER, COMMAND, EMOJI))
)
_EDGE = re.compile(rf"^(?P<head>(?:{EMOJI}\s*)*)(?P<body>.*?)(?P<tail>(?:\s*{EMOJI})*)$", re.DOTALL)
_TOKEN = re.compile(r"⟦\s*([0-9٠-٩۰-۹]+)\s*⟧")


class LostParts(ValueError):
    """The translation lost, doubled or invented a protected part."""


@dataclass(frozen=True)
class Protected:
    """A text ready for a machine: `text` with tokens, the `parts` they stand for, the edges taken off."""

    text: str
    parts: tuple[str, ...]
    head: str = ""
    tail: str = ""


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(PLACEHOLDER, text))


def tags(text: str) -> list[str]:
    """Tag names with their slash (`b`, `/b`), attributes ignored: translations may reorder them."""
    return sorted(
        re.sub(r"^<(/?)([A-Za-z0-9]+).*$", r"\1\2", tag, flags=re.DOTALL) for tag in re.findall(TAG, text)
    )


def protect(text: str) -> Protected:
    edges = _EDGE.match(text)
    head, body, tail = (edges["head"], edges["body"], edges["tail"]) if edges else ("", text, "")
    parts: list[str] = []

    def token(match: re.Match[str]) -> str:
        parts.append(match.group(0))
        return f"⟦{len(parts) - 1}⟧"

    return Protected(_PROTECTED.sub(token, body), tuple(parts), head, tail)


def _number(digits: str) -> int:
    return int("".join(str(unicodedata.digit(char)) for char in digits))


def restore(translated: str, protected: Protected) -> str:
    """Put the parts back; raise LostParts unless every token comes back exactly once."""
    seen: list[int] = []

    def part(match: re.Match[str]) -> str:
        number = _number(match.group(1))
        if number >= len(protected.parts):
            raise LostParts(f"unknown token {match.group(0)}")
        seen.append(number)
        return protected.parts[number]

    body = _TOKEN.sub(part, translated.strip())
    if sorted(seen) != list(range(len(protected.parts))):
        missing = [protected.parts[n] for n in range(len(protected.parts)) if n not in seen]
        raise LostParts(f"protected parts lost or doubled: {missing or 'a part came back twice'}")
    return f"{protected.head}{body}{protected.tail}"
