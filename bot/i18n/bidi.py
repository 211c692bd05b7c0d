"""Right-to-left text with left-to-right islands: names, numbers, addresses and links kept whole.

An Arabic or Farsi sentence that carries a German name, a phone number or a web address reads right
only when that piece is isolated (Unicode's FSI … PDI): otherwise the bidi algorithm lets its digits
and punctuation run into the Arabic and moves them to the wrong end. Telegram shows the marks as they
are; the web chat turns each isolated piece into a `<bdi>` element.
"""

from __future__ import annotations

from bot.i18n.languages import direction

FSI = "\u2068"  # first strong isolate: the piece takes the direction of its first letter
LRI = "\u2066"  # left-to-right isolate: for numbers, which have no letter to go by
PDI = "\u2069"  # pop directional isolate: ends the piece
ISOLATES = (FSI, LRI, "\u2067", PDI)


def isolated(piece: str, language: str) -> str:
    """The piece marked as an island when her language is written right to left, else as it is."""
    if not piece or direction(language) != "rtl" or piece.startswith(ISOLATES):
        return piece
    mark = FSI if any(char.isalpha() for char in piece) else LRI
    return f"{mark}{piece}{PDI}"


def plain(text: str) -> str:
    """The text without isolation marks (for comparing, searching and counting)."""
    return "".join(char for char in text if char not in ISOLATES)
