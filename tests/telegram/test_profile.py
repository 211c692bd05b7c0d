"""The bot's command list and descriptions, per language, from the catalog."""

from __future__ import annotations

from telegram import Bot

from bot.channels.telegram.profile import publish_profile
from bot.channels.telegram.texts import TEXTS, context
from bot.i18n.catalog import Catalog, Localized
from tests.fakes.telegram_api import FakeTelegram


def catalog_with_arabic() -> Catalog:
    return Catalog(
        {
            "ar": {
                (context("command/menu"), TEXTS["command/menu"]): Localized("القائمة الرئيسية", "reviewed"),
                (context("description"), TEXTS["description"]): Localized("دليل للنساء", "draft"),
            },
            "uk": {},
        }
    )


async def test_german_is_the_default_and_translated_languages_get_their_own(fake: FakeTelegram) -> None:
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        published = await publish_profile(bot, catalog_with_arabic())
    assert published == ["de", "ar"]
    assert set(fake.commands) == {"", "ar"}
    arabic = {c["command"]: c["description"] for c in fake.commands["ar"]}
    assert arabic["menu"] == "القائمة الرئيسية"
    assert arabic["notfall"] == TEXTS["command/notfall"]  # not translated yet: German
    assert fake.descriptions == {"": TEXTS["description"], "ar": "دليل للنساء"}
    assert fake.short_descriptions["ar"] == TEXTS["short_description"]


async def test_a_refused_language_does_not_stop_the_others(fake: FakeTelegram) -> None:
    fake.fail("setMyCommands", 400, description="Bad Request: LANGUAGE_CODE_INVALID")
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        published = await publish_profile(bot, catalog_with_arabic())
    assert published == ["ar"]
    assert set(fake.commands) == {"ar"}


async def test_every_profile_text_fits_telegram_limits() -> None:
    assert all(1 <= len(TEXTS[f"command/{name}"]) <= 256 for name in ("start", "menu", "notfall", "spuren"))
    assert len(TEXTS["description"]) <= 512
    assert len(TEXTS["short_description"]) <= 120
