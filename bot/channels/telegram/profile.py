"""The bot's profile in every language: command list, description, short description.

German is set without a language code (the default for everyone); every other language that has a
translation of at least one of these texts gets its own, with German for what is not translated yet.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from functools import partial

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.channels.telegram.delivery import DEFAULT_POLICY, FloodGate, RetryPolicy, deliver
from bot.channels.telegram.texts import COMMANDS, TEXTS, context
from bot.i18n.catalog import Catalog
from bot.i18n.languages import LANGUAGES, SOURCE

logger = logging.getLogger(__name__)

_KEYS = (*(f"command/{name}" for name in COMMANDS), "description", "short_description")
MAX_COMMAND_DESCRIPTION = 256
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120


def profile_texts(catalog: Catalog, language: str) -> dict[str, str] | None:
    """The profile texts in a language, or None when none of them is translated."""
    localized = {key: catalog.text(language, TEXTS[key], context(key)) for key in _KEYS}
    if language != SOURCE and all(text.status == "missing" for text in localized.values()):
        return None
    return {key: text.text for key, text in localized.items()}


async def publish_profile(
    bot: Bot, catalog: Catalog, gate: FloodGate | None = None, policy: RetryPolicy = DEFAULT_POLICY
) -> list[str]:
    """Set the profile for German and every translated language; returns the languages set."""
    gate = gate or FloodGate()
    published: list[str] = []
    for language in (language.code for language in LANGUAGES):
        texts = profile_texts(catalog, language)
        if texts is None:
            continue
        code = None if language == SOURCE else language
        try:
            await _publish(bot, texts, code, gate, policy)
        except TelegramError as error:
            logger.warning("profile for %s not set: %s", language, type(error).__name__)
            continue
        published.append(language)
    return published


async def publish_staff_commands(
    bot: Bot,
    catalog: Catalog,
    staff_ids: Collection[int],
    staff_commands: Sequence[tuple[str, str]],
    gate: FloodGate | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> int:
    """Staff see their own commands in their chats with the bot (German); nobody else sees them.
    Returns how many staff chats got them; a staff member who never wrote to the bot gets them later."""
    gate = gate or FloodGate()
    texts = profile_texts(catalog, SOURCE) or {}
    commands = [BotCommand(name, texts[f"command/{name}"][:MAX_COMMAND_DESCRIPTION]) for name in COMMANDS]
    commands += [BotCommand(name, text[:MAX_COMMAND_DESCRIPTION]) for name, text in staff_commands]
    done = 0
    for staff_id in sorted(staff_ids):
        call = partial(bot.set_my_commands, commands, scope=BotCommandScopeChat(staff_id))
        try:
            await deliver(call, gate, policy)
        except TelegramError as error:
            logger.warning("staff commands not set for one staff chat: %s", type(error).__name__)
            continue
        done += 1
    return done


async def _publish(
    bot: Bot, texts: dict[str, str], code: str | None, gate: FloodGate, policy: RetryPolicy
) -> None:
    commands = [BotCommand(name, texts[f"command/{name}"][:MAX_COMMAND_DESCRIPTION]) for name in COMMANDS]
    await deliver(lambda: bot.set_my_commands(commands, language_code=code), gate, policy)
    description = texts["description"][:MAX_DESCRIPTION]
    await deliver(lambda: bot.set_my_description(description, language_code=code), gate, policy)
    short = texts["short_description"][:MAX_SHORT_DESCRIPTION]
    await deliver(lambda: bot.set_my_short_description(short, language_code=code), gate, policy)
