"""A fake Telegram Bot API server that the real python-telegram-bot talks to over real HTTP.

It keeps a record of every call and of each chat's messages, and answers like Telegram does,
including its documented limits and errors:

- text 1-4096 characters after entity parsing ("Bad Request: message is too long"),
- HTML parse mode with Telegram's tag set ("Bad Request: can't parse entities: ..."),
- `callback_data` 1-64 bytes ("Bad Request: BUTTON_DATA_INVALID"), at most 100 buttons,
- about 30 sends/s overall and 1/s per chat, answered with 429 and `retry_after` (off unless asked);
  a chat may get a short burst ("we may allow short bursts", Bots FAQ): a bucket of `per_chat_burst`
  sends that refills at `per_chat_per_second`,
- 403 "Forbidden: bot was blocked by the user" for blocked chats,
- 5xx and slow answers (the client times out; the message was delivered anyway) on demand,
- getUpdates long polling, refused with 409 while a webhook is set; with a webhook set, pushed
  updates are POSTed to it with the `X-Telegram-Bot-Api-Secret-Token` header.

In tests it runs in the test's event loop (`async with FakeTelegram() as fake`). For benchmarks it
runs as its own process (`python -m tests.fakes.telegram_api`), driven through `/_fake/...` routes.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.asgi_server import RunningServer, serve

TOKEN = "123456:TEST-token_for_the_fake"
BOT_ID = 123456
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100
DELETE_WINDOW = 48 * 3600

SEND_METHODS = frozenset({"sendMessage", "sendVenue", "sendLocation", "sendPhoto", "editMessageText"})
CHAT_METHODS = SEND_METHODS | {"deleteMessage", "deleteMessages", "sendChatAction"}
JSON_FIELDS = frozenset(
    {"reply_markup", "message_ids", "commands", "allowed_updates", "scope", "link_preview_options"}
)
ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre"}
    | {"blockquote", "tg-emoji"}
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")

# What a user can send besides text, as Telegram describes it in a Message.
MEDIA: dict[str, Any] = {
    "sticker": {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512}
    | {"is_animated": False, "is_video": False},
    "photo": [{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}],
    "voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3},
    "video": {"file_id": "d1", "file_unique_id": "u4", "width": 640, "height": 480, "duration": 5},
    "video_note": {"file_id": "n1", "file_unique_id": "u5", "length": 240, "duration": 5},
    "animation": {"file_id": "a1", "file_unique_id": "u6", "width": 320, "height": 240, "duration": 2},
    "document": {"file_id": "f1", "file_unique_id": "u7", "file_name": "brief.pdf"},
    "audio": {"file_id": "m1", "file_unique_id": "u8", "duration": 60},
    "contact": {"phone_number": "+4900000000", "first_name": "Nachbarin"},
    "poll": {
        "id": "1",
        "question": "?",
        "options": [
            {"persistent_id": "o1", "text": "a", "voter_count": 0},
            {"persistent_id": "o2", "text": "b", "voter_count": 0},
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    },
    "dice": {"emoji": "🎲", "value": 4},
}


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)


@dataclass
class ChatMessage:
    """A message as it stands in a chat: hers (`from_bot=False`) or the bot's."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str = ""
    html: str = ""
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    venue: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    kind: str = "text"
    deleted: bool = False
    at: float = field(default_factory=time.monotonic)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        return [(button["text"], button.get("callback_data", "")) for row in self.keyboard for button in row]


@dataclass
class Fault:
    method: str
    times: int
    status: int = 0
    description: str = ""
    delay: float = 0.0


def parse_html(text: str) -> str:
    """The text Telegram shows for an HTML-formatted message, or ApiError as Telegram would refuse it."""
    plain: list[str] = []
    open_tags: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        offset = len(text[:position].encode())
        if char == "<":
            tag = _TAG.match(text, position)
            if tag is None:
                raise _entities(f"Unsupported start tag at byte offset {offset}")
            closing, name = tag.group(1), tag.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise _entities(f'Unsupported start tag "{name}" at byte offset {offset}')
            if closing:
                if not open_tags or open_tags[-1] != name:
                    raise _entities(f'Unmatched end tag at byte offset {offset}, expected "</{name}>"')
                open_tags.pop()
            else:
                open_tags.append(name)
            position = tag.end()
        elif char == "&":
            entity = _ENTITY.match(text, position)
            if entity is None:
                raise _entities(f"Unsupported HTML entity at byte offset {offset}")
            plain.append(html.unescape(entity.group(0)))
            position = entity.end()
        elif char == ">":
            raise _entities(f"Unexpected '>' at byte offset {offset}")
        else:
            plain.append(char)
            position += 1
    if open_tags:
        raise _entities(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(plain)


def _entities(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


class FakeTelegram:
    """The server, its record, and the helpers tests use to play the woman on the other side."""

    def __init__(
        self,
        token: str = TOKEN,
        username: str = "wegweiser_test_bot",
        *,
        rate_limits: bool = False,
        overall_per_second: int = 30,
        per_chat_per_second: int = 1,
        per_chat_burst: int = 5,
        retry_after: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.username = username
        self.rate_limits = rate_limits
        self.overall_per_second = overall_per_second
        self.per_chat_per_second = per_chat_per_second
        self.per_chat_burst = per_chat_burst
        self.clock = clock  # what the rate limits count in (a test may add her reading time)
        self.retry_after = retry_after
        self.calls: list[Call] = []
        self.chats: dict[int, dict[int, ChatMessage]] = {}
        self.chat_types: dict[int, str] = {}
        self.blocked: set[int] = set()
        self.faults: list[Fault] = []
        self.webhook: dict[str, Any] | None = None
        self.webhook_statuses: list[int] = []
        self.webhook_delivered: set[int] = set()
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.chat_commands: dict[int, list[dict[str, str]]] = {}  # BotCommandScopeChat
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.queries: dict[str, int] = {}
        self.answered: dict[str, str | None] = {}
        self._pending: list[dict[str, Any]] = []
        self.confirmed_offset = 0  # getUpdates offsets confirm every update below them as received
        self._update_ids = itertools.count(700_000_001)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._sent_counts: dict[int, int] = {}
        self.total_sent = 0
        self._query_ids = itertools.count(1)
        self._sends: deque[float] = deque()
        self._chat_tokens: dict[int, tuple[float, float]] = {}  # chat -> (sends left, when counted)
        self._changed: asyncio.Condition | None = None
        self._deliveries: asyncio.Queue[dict[str, Any]] | None = None
        self._delivery_task: asyncio.Task[None] | None = None
        self._running: RunningServer | None = None
        self.port = 0
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/_fake/updates", self._control_updates, methods=["POST"]),
                Route("/_fake/roundtrip", self._control_roundtrip, methods=["POST"]),
                Route("/_fake/burst", self._control_burst, methods=["POST"]),
                Route("/_fake/stats", self._control_stats, methods=["GET"]),
            ]
        )

    # -- running -------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The Bot API base URL as PTB's `base_url` takes it (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self, port: int = 0) -> None:
        self._changed = asyncio.Condition()
        self._deliveries = asyncio.Queue()
        self._delivery_task = asyncio.create_task(self._deliver_to_webhook())
        self._running = await serve(self.app, port)
        self.port = self._running.port

    async def stop(self) -> None:
        if self._running is not None:
            await self._running.stop()
        if self._delivery_task is not None:
            self._delivery_task.cancel()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- faults --------------------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """She blocked the bot: every send to her chat is refused with 403."""
        self.blocked.add(chat_id)

    def fail(self, method: str, status: int = 500, times: int = 1, description: str = "") -> None:
        """The next `times` calls of `method` (or "*" for any send) fail with `status`."""
        text = description or {
            429: f"Too Many Requests: retry after {self.retry_after}",
            500: "Internal Server Error",
            502: "Bad Gateway",
        }.get(status, "Error")
        self.faults.append(Fault(method, times, status, text))

    def flood(self, times: int, retry_after: int | None = None) -> None:
        """A 429 storm: the next `times` sends are refused with `retry_after`."""
        if retry_after is not None:
            self.retry_after = retry_after
        self.fail("*", 429, times)

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next calls only after `seconds` (the call itself takes effect at once)."""
        self.faults.append(Fault(method, times, delay=seconds))

    def age_message(self, chat_id: int, message_id: int, seconds: int) -> None:
        self.chats[chat_id][message_id].date -= seconds

    # -- playing the user ----------------------------------------------------------------------

    def user(self, chat_id: int, language_code: str | None = "de") -> dict[str, Any]:
        user: dict[str, Any] = {"id": abs(chat_id), "is_bot": False, "first_name": "Testperson"}
        if language_code:
            user["language_code"] = language_code
        return user

    def chat(self, chat_id: int, chat_type: str = "private") -> dict[str, Any]:
        self.chat_types.setdefault(chat_id, chat_type)
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Testperson"
        else:
            chat["title"] = "Gruppe"
        return chat

    def _her_message(
        self, chat_id: int, chat_type: str, language_code: str | None, kind: str, **content: Any
    ) -> dict[str, Any]:
        message_id = self._next_message_id(chat_id)
        now = int(time.time())
        stored = ChatMessage(message_id, chat_id, False, now, text=str(content.get("text", "")), kind=kind)
        self.chats.setdefault(chat_id, {})[message_id] = stored
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": now,
            "chat": self.chat(chat_id, chat_type),
        }
        if chat_type != "channel":
            message["from"] = self.user(chat_id, language_code)
        message.update(content)
        return message

    def text_update(
        self, chat_id: int, text: str, *, language_code: str | None = "de", chat_type: str = "private"
    ) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        key = "channel_post" if chat_type == "channel" else "message"
        return {key: self._her_message(chat_id, chat_type, language_code, "text", **content)}

    def callback_update(
        self, chat_id: int, data: str, *, message_id: int | None = None, language_code: str | None = "de"
    ) -> dict[str, Any]:
        """She pressed a button (by default on the bot's latest message that has buttons)."""
        if message_id is None:
            with_buttons = [m for m in self.sent(chat_id) if m.keyboard]
            message_id = with_buttons[-1].message_id if with_buttons else self._next_message_id(chat_id)
        original = self.chats.get(chat_id, {}).get(message_id)
        query_id = str(next(self._query_ids))
        self.queries[query_id] = chat_id
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": original.date if original else int(time.time()),
            "chat": self.chat(chat_id),
            "from": self._bot_user(),
            "text": original.text if original else "",
        }
        if original and original.keyboard:
            message["reply_markup"] = {"inline_keyboard": original.keyboard}
        return {
            "callback_query": {
                "id": query_id,
                "from": self.user(chat_id, language_code),
                "chat_instance": str(chat_id),
                "message": message,
                "data": data,
            }
        }

    def location_update(
        self, chat_id: int, latitude: float, longitude: float, *, language_code: str | None = "de"
    ) -> dict[str, Any]:
        location = {"latitude": latitude, "longitude": longitude}
        return {
            "message": self._her_message(chat_id, "private", language_code, "location", location=location)
        }

    def media_update(self, chat_id: int, kind: str, *, language_code: str | None = "de") -> dict[str, Any]:
        content = {kind: MEDIA[kind]}
        if kind == "animation":
            content["document"] = MEDIA["document"]
        return {"message": self._her_message(chat_id, "private", language_code, kind, **content)}

    def edited_update(
        self, chat_id: int, message_id: int, text: str, *, language_code: str | None = "de"
    ) -> dict[str, Any]:
        self.chats[chat_id][message_id].text = text
        message = {
            "message_id": message_id,
            "date": self.chats[chat_id][message_id].date,
            "edit_date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": self.user(chat_id, language_code),
            "text": text,
        }
        return {"edited_message": message}

    def member_update(
        self, chat_id: int, status: str = "kicked", chat_type: str = "private"
    ) -> dict[str, Any]:
        """The bot's membership changed: `kicked` in a private chat means she blocked it."""
        now = int(time.time())
        old = {"status": "member", "user": self._bot_user()}
        new: dict[str, Any] = {"status": status, "user": self._bot_user()}
        if status == "kicked":
            new["until_date"] = 0
        return {
            "my_chat_member": {
                "chat": self.chat(chat_id, chat_type),
                "from": self.user(chat_id),
                "date": now,
                "old_chat_member": old,
                "new_chat_member": new,
            }
        }

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates, or deliver it to the webhook if one is set."""
        update.setdefault("update_id", next(self._update_ids))
        if self.webhook is not None and self._deliveries is not None:
            self._deliveries.put_nowait(update)
        else:
            self._pending.append(update)
        self._notify()
        return update

    def push_text(self, chat_id: int, text: str, **options: Any) -> dict[str, Any]:
        return self.push(self.text_update(chat_id, text, **options))

    def push_callback(self, chat_id: int, data: str, **options: Any) -> dict[str, Any]:
        return self.push(self.callback_update(chat_id, data, **options))

    # -- inspecting ----------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def history(self, chat_id: int) -> list[ChatMessage]:
        """What is left in her chat: her messages and the bot's, in order."""
        messages = self.chats.get(chat_id, {}).values()
        return sorted((m for m in messages if not m.deleted), key=lambda m: m.message_id)

    def sent(self, chat_id: int) -> list[ChatMessage]:
        """Every message the bot sent to this chat, also those deleted since."""
        messages = self.chats.get(chat_id, {}).values()
        return sorted((m for m in messages if m.from_bot), key=lambda m: m.message_id)

    def sent_count(self, chat_id: int) -> int:
        """How many messages the bot has sent to this chat (cheap enough to wait on)."""
        return self._sent_counts.get(chat_id, 0)

    def texts(self, chat_id: int) -> list[str]:
        return [m.text for m in self.sent(chat_id) if m.kind == "text"]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        assert self._changed is not None, "the fake server is not running"
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_for_sent(self, chat_id: int, count: int, timeout: float = 10.0) -> list[ChatMessage]:
        """Wait until the bot has sent at least `count` messages to this chat in all."""
        try:
            await self.wait_for(lambda: self.sent_count(chat_id) >= count, timeout)
        except TimeoutError:
            raise AssertionError(
                f"expected {count} messages to {chat_id}, got {self.texts(chat_id)}"
            ) from None
        return self.sent(chat_id)

    async def wait_for_calls(self, method: str, count: int, timeout: float = 10.0) -> list[Call]:
        await self.wait_for(lambda: len(self.calls_to(method)) >= count, timeout)
        return self.calls_to(method)

    async def reply_to(
        self, update: dict[str, Any], expect: int | None = None, timeout: float = 10.0, quiet: float = 0.25
    ) -> list[ChatMessage]:
        """Push an update and return the bot's answer: `expect` messages, or (without `expect`)
        all it sends until it has been quiet for `quiet` seconds."""
        chat_id = chat_of(update)
        before = self.sent_count(chat_id)
        self.push(update)
        await self.wait_for_sent(chat_id, before + (expect or 1), timeout)
        while expect is None:
            count = self.sent_count(chat_id)
            await asyncio.sleep(quiet)
            if self.sent_count(chat_id) == count:
                break
        return self.sent(chat_id)[before:]

    def _notify(self) -> None:
        if self._changed is None:
            return
        changed = self._changed

        async def notify() -> None:
            async with changed:
                changed.notify_all()

        asyncio.get_running_loop().create_task(notify())

    # -- the Bot API ---------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        call = Call(method, {})
        self.calls.append(call)
        delay = self._take_delay(method)
        try:
            call.params = await _params(request)
            result = await self._dispatch(method, call.params)
        except ApiError as error:
            call.status = error.status
            body: dict[str, Any] = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            response = JSONResponse(body, error.status)
        else:
            response = JSONResponse({"ok": True, "result": result})
        self._notify()
        if delay:
            await asyncio.sleep(delay)
        return response

    def _take_delay(self, method: str) -> float:
        for fault in self.faults:
            if fault.delay and fault.times > 0 and fault.method in (method, "*"):
                fault.times -= 1
                return fault.delay
        return 0.0

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self.faults:
            if (
                fault.status
                and fault.times > 0
                and (fault.method == method or (fault.method == "*" and method in SEND_METHODS))
            ):
                fault.times -= 1
                return fault
        return None

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        fault = self._take_fault(method)
        if fault is not None:
            parameters = {"retry_after": self.retry_after} if fault.status == 429 else None
            raise ApiError(fault.status, fault.description, parameters)
        chat_id = _int(params.get("chat_id")) if "chat_id" in params else None
        if chat_id is not None and method in CHAT_METHODS and chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if method in SEND_METHODS and chat_id is not None:
            self._check_rate(chat_id)
        handler = getattr(self, "_api_" + method, None)
        if handler is None:
            raise ApiError(404, "Not Found")
        return await handler(params) if asyncio.iscoroutinefunction(handler) else handler(params)

    def _check_rate(self, chat_id: int) -> None:
        if not self.rate_limits:
            return
        now = self.clock()
        while self._sends and now - self._sends[0] >= 1.0:
            self._sends.popleft()
        burst = float(max(1, self.per_chat_burst))
        left, at = self._chat_tokens.get(chat_id, (burst, now))
        left = min(burst, left + (now - at) * self.per_chat_per_second)
        if len(self._sends) >= self.overall_per_second or left < 1.0:
            raise ApiError(
                429, f"Too Many Requests: retry after {self.retry_after}", {"retry_after": self.retry_after}
            )
        self._sends.append(now)
        self._chat_tokens[chat_id] = (left - 1.0, now)

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Wegweiser", "username": self.username}

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user() | {"can_join_groups": True, "can_read_all_group_messages": False}

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = _int(params.get("offset", 0))
        self.confirmed_offset = max(self.confirmed_offset, offset)
        limit = _int(params.get("limit", 100)) or 100
        timeout = float(params.get("timeout", 0) or 0)
        self._pending = [update for update in self._pending if update["update_id"] >= offset]
        if not self._pending and timeout > 0:
            try:
                await self.wait_for(lambda: bool(self._pending) or self.webhook is not None, timeout)
            except TimeoutError:
                return []
        return self._pending[:limit]

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _store_bot_message(self, chat_id: int, **fields: Any) -> ChatMessage:
        message = ChatMessage(self._next_message_id(chat_id), chat_id, True, int(time.time()), **fields)
        self.chats.setdefault(chat_id, {})[message.message_id] = message
        self._sent_counts[chat_id] = self._sent_counts.get(chat_id, 0) + 1
        self.total_sent += 1
        return message

    def _message_json(self, message: ChatMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": self.chat(message.chat_id, self.chat_types.get(message.chat_id, "private")),
            "from": self._bot_user(),
        }
        if message.kind == "text":
            data["text"] = message.text
        if message.keyboard:
            data["reply_markup"] = {"inline_keyboard": message.keyboard}
        if message.venue is not None:
            data["venue"] = message.venue
            data["location"] = message.venue["location"]
        if message.kind == "photo":
            size = {"file_id": f"photo-{message.message_id}", "file_unique_id": f"u{message.message_id}"}
            data["photo"] = [{**size, "width": 800, "height": 600}]
            data["caption"] = message.text
        elif message.document is not None:
            data["document"] = {
                "file_id": f"doc-{message.message_id}",
                "file_unique_id": f"udoc-{message.message_id}",
                "file_name": message.document["filename"],
            }
        return data

    def _text_of(self, params: dict[str, Any]) -> tuple[str, str]:
        raw = str(params.get("text", ""))
        plain = parse_html(raw) if str(params.get("parse_mode", "")).upper() == "HTML" else raw
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(plain) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return plain, raw

    def _keyboard_of(self, params: dict[str, Any]) -> list[list[dict[str, Any]]]:
        markup = params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        if sum(len(row) for row in rows) > MAX_BUTTONS:
            raise ApiError(400, "Bad Request: reply markup is too long")
        for row in rows:
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return [list(row) for row in rows]

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params["chat_id"])
        plain, raw = self._text_of(params)
        keyboard = self._keyboard_of(params)
        return self._message_json(self._store_bot_message(chat_id, text=plain, html=raw, keyboard=keyboard))

    def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params["chat_id"])
        document = params.get("document")
        if not isinstance(document, dict) or not document.get("content"):
            raise ApiError(400, "Bad Request: there is no document in the request")
        message = self._store_bot_message(chat_id, document=document, kind="document")
        return self._message_json(message)

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params["chat_id"])
        photo = params.get("photo")
        if not isinstance(photo, dict) or not photo.get("content"):
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption = str(params.get("caption", ""))
        plain = parse_html(caption) if str(params.get("parse_mode", "")).upper() == "HTML" else caption
        if len(plain) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        return self._message_json(self._store_bot_message(chat_id, text=plain, document=photo, kind="photo"))

    def _api_sendVenue(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params["chat_id"])
        for name in ("latitude", "longitude", "title", "address"):
            if params.get(name) in (None, ""):
                raise ApiError(400, f"Bad Request: {name} is empty")
        location = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
        venue = {"location": location, "title": str(params["title"]), "address": str(params["address"])}
        return self._message_json(self._store_bot_message(chat_id, venue=venue, kind="venue"))

    def _api_sendLocation(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params["chat_id"])
        location = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
        message = self._store_bot_message(chat_id, venue={"location": location}, kind="location")
        return self._message_json(message)

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params["chat_id"])
        message = self.chats.get(chat_id, {}).get(_int(params["message_id"]))
        if message is None or message.deleted or not message.from_bot:
            raise ApiError(400, "Bad Request: message to edit not found")
        plain, raw = self._text_of(params)
        keyboard = self._keyboard_of(params)
        if plain == message.text and keyboard == message.keyboard:
            raise ApiError(400, "Bad Request: message is not modified")
        message.text, message.html, message.keyboard = plain, raw, keyboard
        return self._message_json(message)

    def _deletable(self, chat_id: int, message_id: int) -> ChatMessage:
        message = self.chats.get(chat_id, {}).get(message_id)
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        too_old = time.time() - message.date > DELETE_WINDOW
        not_hers_to_delete = not message.from_bot and self.chat_types.get(chat_id) != "private"
        if too_old or not_hers_to_delete:
            raise ApiError(400, "Bad Request: message can't be deleted")
        return message

    def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        self._deletable(_int(params["chat_id"]), _int(params["message_id"])).deleted = True
        return True

    def _api_deleteMessages(self, params: dict[str, Any]) -> bool:
        chat_id = _int(params["chat_id"])
        ids = params.get("message_ids") or []
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise ApiError(400, "Bad Request: message_ids must contain 1-100 identifiers")
        for message_id in ids:
            try:
                self._deletable(chat_id, _int(message_id)).deleted = True
            except ApiError:
                continue  # "If some of the specified messages can't be found, they are skipped."
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self.queries or query_id in self.answered:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self.answered[query_id] = params.get("text")
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        language = self._language(params)
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not _COMMAND.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        if scope.get("type") == "chat":
            if not isinstance(scope.get("chat_id"), int):
                raise ApiError(400, "Bad Request: chat not found")
            self.chat_commands[scope["chat_id"]] = list(commands)
        elif scope.get("type") == "default":
            self.commands[language] = list(commands)
        else:
            raise ApiError(400, "Bad Request: BOT_COMMAND_SCOPE_INVALID")
        return True

    def _api_setMyDescription(self, params: dict[str, Any]) -> bool:
        description = str(params.get("description", ""))
        if len(description) > 512:
            raise ApiError(400, "Bad Request: description is too long")
        self.descriptions[self._language(params)] = description
        return True

    def _api_setMyShortDescription(self, params: dict[str, Any]) -> bool:
        description = str(params.get("short_description", ""))
        if len(description) > 120:
            raise ApiError(400, "Bad Request: short description is too long")
        self.short_descriptions[self._language(params)] = description
        return True

    def _language(self, params: dict[str, Any]) -> str:
        language = str(params.get("language_code") or "")
        if language and not _LANGUAGE.match(language):
            raise ApiError(400, "Bad Request: LANGUAGE_CODE_INVALID")
        return language

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url", ""))
        if not url:
            self.webhook = None
            return True
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret, "allowed_updates": params.get("allowed_updates")}
        if self._deliveries is not None:
            for update in self._pending:
                self._deliveries.put_nowait(update)
        self._pending = []
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self._pending = []
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": len(self._pending)}

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _deliver_to_webhook(self) -> None:
        """Telegram POSTs each update to the webhook and repeats it on anything but 2xx."""
        assert self._deliveries is not None
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                update = await self._deliveries.get()
                webhook = self.webhook
                if webhook is None:
                    self._pending.append(update)
                    continue
                headers = {"Content-Type": "application/json"}
                if webhook["secret_token"]:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
                for _attempt in range(3):
                    try:
                        response = await client.post(
                            webhook["url"], content=json.dumps(update), headers=headers
                        )
                        status = response.status_code
                    except httpx.HTTPError:
                        status = 0
                    self.webhook_statuses.append(status)
                    self._notify()
                    if 200 <= status < 300:
                        self.webhook_delivered.add(update["update_id"])
                        break
                    await asyncio.sleep(0.1)

    # -- control routes for a driver in another process (benchmarks) ---------------------------

    async def _control_updates(self, request: Request) -> JSONResponse:
        updates = await request.json()
        return JSONResponse([self.push(update)["update_id"] for update in updates])

    async def _control_roundtrip(self, request: Request) -> JSONResponse:
        """Push her message (text, or a button press with `callback`) and answer how long the bot took
        to send `expect` messages back; with `settle`, also how many it sent until quiet."""
        order = await request.json()
        chat_id = int(order["chat_id"])
        expect = int(order.get("expect", 1))
        language = order.get("language_code", "de")
        before = self.sent_count(chat_id)
        started = time.monotonic()
        if "callback" in order:
            self.push(self.callback_update(chat_id, str(order["callback"]), language_code=language))
        else:
            self.push(self.text_update(chat_id, str(order["text"]), language_code=language))
        await self.wait_for_sent(chat_id, before + expect, float(order.get("timeout", 30)))
        seconds = self.sent(chat_id)[before + expect - 1].at - started
        settle = float(order.get("settle", 0))
        while settle:
            count = self.sent_count(chat_id)
            await asyncio.sleep(settle)
            if self.sent_count(chat_id) == count:
                break
        return JSONResponse({"seconds": seconds, "messages": self.sent_count(chat_id) - before})

    async def _control_burst(self, request: Request) -> JSONResponse:
        """Push many messages at once; answer when `expect` bot messages arrived, with each
        message's latency (from the push to the first message of its chat after it)."""
        order = await request.json()
        expect = int(order["expect"])
        total_before = self.total_sent
        started = time.monotonic()
        for chat_id, text in order["messages"]:
            self.push(
                self.text_update(int(chat_id), str(text), language_code=order.get("language_code", "de"))
            )
        await self.wait_for(
            lambda: self.total_sent >= total_before + expect,
            float(order.get("timeout", 120)),
        )
        return JSONResponse({"seconds": time.monotonic() - started})

    async def _control_stats(self, request: Request) -> JSONResponse:
        counts: dict[str, int] = {}
        for call in self.calls:
            counts[call.method] = counts.get(call.method, 0) + 1
        return JSONResponse({"calls": counts, "errors": sum(1 for call in self.calls if call.status != 200)})


async def _params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            body = await request.body()
            params.update(json.loads(body) if body else {})
        elif content_type.startswith("multipart/form-data"):  # as PTB sends files
            form = await request.form()
            for key, value in form.multi_items():
                if isinstance(value, str):
                    params[key] = value
                else:
                    raw = await value.read()
                    try:
                        content: str | bytes = raw.decode()
                    except UnicodeDecodeError:  # a picture
                        content = raw
                    params[key] = {"filename": value.filename, "content": content}
        else:  # application/x-www-form-urlencoded, as PTB sends calls without files
            params.update(parse_qsl((await request.body()).decode(), keep_blank_values=True))
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
    return params


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


def chat_of(update: dict[str, Any]) -> int:
    for key in ("message", "edited_message", "channel_post"):
        if key in update:
            return int(update[key]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["message"]["chat"]["id"])
    return int(update["my_chat_member"]["chat"]["id"])


async def _serve(port: int, token: str) -> None:
    fake = FakeTelegram(token)
    await fake.start(port)
    print(f"READY {fake.port}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the fake Telegram Bot API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=TOKEN)
    arguments = parser.parse_args()
    asyncio.run(_serve(arguments.port, arguments.token))


if __name__ == "__main__":
    main()
