"""Language suggestions from free text: our languages only, None when unclear."""

from __future__ import annotations

import pytest

from bot.i18n.detect import suggest_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("أحتاج إلى مساعدة في البحث عن شقة", "ar"),
        ("Мені потрібна допомога з пошуком житла", "uk"),
        ("Мне нужна помощь с поиском квартиры", "ru"),
        ("من برای پیدا کردن خانه کمک می‌خواهم", "fa"),
        ("Ev bulmak için yardıma ihtiyacım var", "tr"),
        ("J'ai besoin d'aide pour trouver un logement", "fr"),
        ("ገዛ ንምርካብ ሓገዝ የድልየኒ", "ti"),
        ("زه د کور موندلو لپاره مرستې ته اړتیا لرم", "ps"),
        ("Ez ji bo dîtina xanî alîkarî dixwazim", "ku"),
    ],
)
def test_suggests_the_language_of_the_text(text: str, language: str) -> None:
    assert suggest_language(text) == language


def test_too_short_or_no_letters_gives_no_suggestion() -> None:
    assert suggest_language("ok") is None
    assert suggest_language("110 112 👍") is None
