"""The Telegram channel: updates in, the host's answers out, and what only Telegram has.

Private chats go to the host turn by turn. Groups and channels get one pointer to the private chat
and then silence. When the engine's answer asks to delete traces (she confirmed it in the flow),
the channel deletes the conversation's messages from her chat first: only it can.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram import Message as TelegramMessage
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackContext

from bot.channels.telegram.delivery import DEFAULT_POLICY, FloodGate, RetryPolicy, deliver
from bot.channels.telegram.inputs import language_hint, to_input
from bot.channels.telegram.logs import chat_tag, where
from bot.channels.telegram.ports import CHANNEL, Host, StaffDesk, TraceStore
from bot.channels.telegram.render import (
    Bubble,
    DocumentBubble,
    PhotoBubble,
    TextBubble,
    VenueBubble,
    coalesce,
    render,
    safe_payload,
)
from bot.channels.telegram.texts import TEXTS, context
from bot.channels.telegram.traces import Trace, TraceBook, delete_traces
from bot.channels.waiting import WaitingLine
from bot.engine.model import DELETE_TRACES, Button, Input, Message, Unavailable
from bot.i18n.catalog import Catalog
from bot.i18n.languages import resolve

logger = logging.getLogger(__name__)

Context = CallbackContext[Any, Any, Any, Any]


@dataclass
class TelegramChannel:
    host: Host
    store: TraceStore
    catalog: Catalog
    policy: RetryPolicy = DEFAULT_POLICY
    gate: FloodGate = field(default_factory=FloodGate)
    answered_groups: set[int] = field(default_factory=set)
    desk: StaffDesk | None = None
    traces: TraceBook = field(init=False)
    waiting: WaitingLine[tuple[Bot, Update, Input]] = field(init=False)

    def __post_init__(self) -> None:
        self.traces = TraceBook(self.store)
        self.waiting = WaitingLine(self.host.available, self._replay)

    # -- private chats ------------------------------------------------------------------------

    async def on_private(self, update: Update, context: Context) -> None:
        if update.callback_query is not None:  # always, even for a button in a group
            await self._answer_query(context.bot, update.callback_query.id)
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        user_input = to_input(update)
        if user_input is None:
            return
        if self.waiting.holds(chat.id):  # her earlier messages wait for the database: this one too
            self.waiting.add(chat.id, (context.bot, update, user_input))
            return
        try:
            await self._turn(context.bot, update, chat.id, user_input)
        except Exception as error:
            # Whatever failed, she gets the emergency numbers (they need no database).
            await self._help(context.bot, chat.id, user_input)
            if not isinstance(error, Unavailable):
                raise
            logger.warning("database unavailable: turn of chat %s waits", chat_tag(chat.id))
            self.waiting.add(chat.id, (context.bot, update, user_input))

    async def _replay(self, waiting: tuple[Bot, Update, Input]) -> None:
        bot, update, user_input = waiting
        chat = update.effective_chat
        assert chat is not None
        await self._turn(bot, update, chat.id, user_input)

    async def _turn(self, bot: Bot, update: Update, chat_id: int, user_input: Input) -> None:
        user = update.effective_user
        if self.desk is not None and user is not None:
            if self.desk.wants(user.id, user_input):
                await self.send(bot, chat_id, await self.desk.handle(user.id, user_input))
                return
            user_input = self.desk.rewrite(user.id, user_input)
        replies = await self.host.handle(CHANNEL, str(chat_id), user_input)
        # Traces are noted after the turn: a trace belongs to a contact the host has saved.
        if update.message:
            self.traces.note(chat_id, [Trace(update.message.message_id, "in", update.message.date)])
        if any(reply.effect == DELETE_TRACES for reply in replies):
            await delete_traces(bot, self.traces, chat_id, gate=self.gate, policy=self.policy)
        self.traces.note(chat_id, await self.send(bot, chat_id, replies))

    async def _help(self, bot: Bot, chat_id: int, user_input: Input) -> None:
        try:
            help_now = await self.host.emergency(CHANNEL, str(chat_id), user_input.language_hint)
            await self.send(bot, chat_id, help_now)
        except Exception as error:
            logger.error("emergency numbers not sent: %s (chat %s)", type(error).__name__, chat_tag(chat_id))

    async def send(self, bot: Bot, chat_id: int, messages: Sequence[Message]) -> list[Trace]:
        """Send the host's messages in order; stop the contact and the rest if she blocked the bot.
        Returns what was sent, to be noted as traces."""
        sent: list[Trace] = []
        for message in coalesce(messages):
            for bubble in render(message):
                try:
                    done = await deliver(
                        partial(self._send_bubble, bot, chat_id, bubble), self.gate, self.policy
                    )
                except Forbidden:
                    logger.info("chat %s blocked the bot; contact stopped", chat_tag(chat_id))
                    await self.host.stop_contact(CHANNEL, str(chat_id))
                    return sent
                except BadRequest as error:
                    logger.error("a message was refused: %s (chat %s)", error.message, chat_tag(chat_id))
                    continue
                sent.append(Trace(done.message_id, "out", done.date))
        return sent

    @staticmethod
    async def _send_bubble(bot: Bot, chat_id: int, bubble: Bubble) -> TelegramMessage:
        if isinstance(bubble, PhotoBubble):
            photo = InputFile(bubble.image, filename="statistik.png")
            return await bot.send_photo(chat_id, photo, caption=bubble.caption, parse_mode=ParseMode.HTML)
        if isinstance(bubble, DocumentBubble):
            document = bubble.document
            payload = InputFile(document.content.encode(), filename=document.filename)
            return await bot.send_document(chat_id, payload)
        if isinstance(bubble, VenueBubble):
            venue = bubble.venue
            return await bot.send_venue(
                chat_id,
                latitude=venue.latitude,
                longitude=venue.longitude,
                title=venue.title,
                address=venue.address,
            )
        return await bot.send_message(
            chat_id,
            bubble.html,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(bubble),
        )

    async def _answer_query(self, bot: Bot, query_id: str, text: str | None = None) -> None:
        """Always answer a pressed button, so her phone stops showing it as loading."""
        # A query too old to answer (after a restart) is refused; the button still works.
        with suppress(BadRequest):
            await deliver(partial(bot.answer_callback_query, query_id, text), self.gate, self.policy)

    # -- groups and channels -------------------------------------------------------------------

    async def on_group(self, update: Update, context: Context) -> None:
        """Once per group or channel: where to find the bot in private. Then silence."""
        chat = update.effective_chat
        if chat is None or chat.id in self.answered_groups:
            return
        self.answered_groups.add(chat.id)
        language = resolve(language_hint(update))
        link = f"https://t.me/{context.bot.username}"
        text = self._text(language, "group").replace("{link}", link)
        try:
            await deliver(partial(context.bot.send_message, chat.id, text), self.gate, self.policy)
        except (Forbidden, BadRequest) as error:  # a channel where the bot may not post
            logger.info("group pointer not sent: %s", type(error).__name__)

    async def on_member(self, update: Update, context: Context) -> None:
        """She blocked the bot (`kicked` in a private chat): stop the contact. A group that removed
        the bot may get the pointer again if it comes back."""
        member = update.my_chat_member
        if member is None:
            return
        status = member.new_chat_member.status
        if member.chat.type == ChatType.PRIVATE:
            if status == ChatMemberStatus.BANNED:
                await self.host.stop_contact(CHANNEL, str(member.chat.id))
        elif status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            self.answered_groups.discard(member.chat.id)

    # -- errors --------------------------------------------------------------------------------

    async def on_error(self, update: object, context: Context) -> None:
        """No update crashes the bot; the log says what failed where, never what she wrote."""
        error = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        logger.error(
            "update failed: %s at %s (chat %s)",
            type(error).__name__,
            where(error) if error else "?",
            chat_tag(chat.id) if chat else "-",
        )

    def _text(self, language: str, key: str) -> str:
        return self.catalog.text(language, TEXTS[key], context(key)).text


def _markup(bubble: TextBubble) -> InlineKeyboardMarkup | None:
    return _keyboard(bubble.rows) if bubble.rows else None


@lru_cache(maxsize=1024)
def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """The same menus come again and again; PTB's keyboards are immutable, so one object serves all."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.title, callback_data=safe_payload(button.payload)) for button in row]
            for row in rows
        ]
    )
