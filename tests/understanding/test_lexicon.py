"""The danger lexicon: words that always bring the emergency numbers, whatever the model says."""

from __future__ import annotations

import pytest

from bot.understanding.data import load
from bot.understanding.lexicon import Lexicon
from bot.understanding.normalize import normalize


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    data = load()
    return Lexicon.of(data.lookups, data.regexes)


@pytest.mark.parametrize(
    "typed",
    [
        "110",
        "١١٢",
        "bitte 110 anrufen",
        "Polizei",
        "ruft die polizei!!",
        "الشرطة",  # with the article
        "والشرطة لا ترد",  # behind و + article
        "شرطة",
        "پلیس",
        "поліцію викличте",  # with an ending
        "polise gitmek istiyorum",
        "my husband beats me",
        "help",
        "please help me",
        "Hilfe",
        "yardım",
        "مساعدة",
        "допомога",
        "کمک",
    ],
)
def test_alarms(lexicon: Lexicon, typed: str) -> None:
    assert lexicon.alarms(normalize(typed))


@pytest.mark.parametrize(
    "typed",
    [
        "sosyal yardım başvurusu nasıl yapılır",  # "sos" counts as a whole word only
        "ich brauche hilfe bei der suche nach einer wohnung",
        "1100 euro miete",
        "0112 345",
        "hallo",
        "",
    ],
)
def test_stays_quiet(lexicon: Lexicon, typed: str) -> None:
    assert not lexicon.alarms(normalize(typed))
