"""One comparable form of what she typed, so that the lexicon, the model and the buttons see the same text.

People type the same word many ways: Arabic and Persian letter forms (ي/ی, ك/ک, ة/ه), with or without
harakat and tatweel, with zero-width joiners, Eastern Arabic or Persian digits, Turkish dotless i,
accents or none. All of those become one form here.
"""

from __future__ import annotations

import re
import unicodedata

LIMIT = 500  # only the first characters are read: time does not grow with the length of her message

_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ı": "i",
        "ـ": "",
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},
    }
)
_INVISIBLE = re.compile("[\x00-\x1f\x7f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_NOT_WORD = re.compile(r"[^\w]+|_", re.UNICODE)


def normalize(text: str) -> str:
    """Case-folded; no marks, joiners, emoji or punctuation; one form per letter; Latin digits."""
    text = _INVISIBLE.sub("", text[:LIMIT])
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = unicodedata.normalize("NFKC", text).translate(_LETTERS)
    return " ".join(_NOT_WORD.sub(" ", text).split())
