"""Normalisation: one form for the many ways the same word is typed."""

from __future__ import annotations

import pytest

from bot.understanding.normalize import LIMIT, normalize


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("الشُّرطةُ", "الشرطه"),  # harakat removed, ta marbuta as ha
        ("شـــرطة", "شرطه"),  # tatweel
        ("علي", "علی"),  # Arabic yeh as Persian yeh
        ("كمك", "کمک"),  # Arabic kaf as Persian kaf
        ("أمان إلى", "امان الی"),  # hamza forms
        ("می‌خواهم", "میخواهم"),  # zero-width non-joiner
        ("١١٠ / ۱۱۲", "110 112"),  # Eastern Arabic and Persian digits
        ("HILFE!!!", "hilfe"),
        ("Straße", "strasse"),
        ("Kızım İstanbul", "kizim istanbul"),  # dotless i, dotted capital I
        ("açil dövüyor", "acil dovuyor"),  # accents are often left out when typing
        ("ｐｏｌｉｃｅ", "police"),  # NFKC: full-width letters
        ("🆘🙂", ""),
        ("a\ud800b", "ab"),  # a lone surrogate is dropped, not an error
        ("\u202ehelp\u202c", "help"),  # direction marks
    ],
)
def test_normalize(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


def test_only_the_first_characters_are_read() -> None:
    assert len(normalize("a" * 60_000)) == LIMIT
