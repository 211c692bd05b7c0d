"""The runtime host: one turn of one conversation, from stored session to messages to send.

Channels call `Host.handle`. The host loads her session, lets the engine decide, runs the
actions the engine asks for through rasa_sdk's executor (the same path the action server
uses), applies their events, and saves the new session, or forgets her when asked to.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from bot import metrics
from bot.engine.engine import Engine
from bot.engine.model import (
    DELETE_TRACES,
    Button,
    Document,
    Input,
    Message,
    Session,
    Turn,
    Unavailable,
    Venue,
)
from bot.i18n.languages import SOURCE, direction, resolve
from bot.runtime.batches import Batches
from bot.store.store import Saving

log = logging.getLogger(__name__)

_MAX_ACTIONS_PER_TURN = 10
_LOCKS = 256
_REMEMBERED_LANGUAGES = 50_000  # chats whose language is known in memory, for help during an outage
# Shown above the emergency numbers when her turn failed; the web page's own words, so its
# translations serve every channel.
APOLOGY = ("web/failed", "Das hat nicht geklappt. Bitte noch einmal.")
EMERGENCY_PAYLOAD = "emergency_more"  # when her turn failed: every number and the shelter at once


class Conversation(Protocol):
    language: str
    consent: bool
    state: dict[str, Any] | None


class ConversationStore(Protocol):
    """What the host needs from the store (sync; called in a worker thread)."""

    def load_many(self, contacts: Sequence[tuple[str, str]]) -> Sequence[Conversation | None]: ...

    def save_many(self, savings: Sequence[Saving]) -> None: ...

    def erase_state(self, channel: str, platform_id: str) -> None: ...

    def ping(self) -> bool: ...

    def forget(self, channel: str, platform_id: str) -> bool: ...

    def set_stopped(self, channel: str, platform_id: str, stopped: bool) -> None: ...

    def count_source(self, source: str, month: str) -> None: ...


class ActionRunner(Protocol):
    """rasa_sdk's ActionExecutor, as far as the host uses it."""

    async def run(self, action_call: dict[str, Any]) -> Any: ...


_LOG_KEY = secrets.token_bytes(32)


def contact_hash(channel: str, platform_id: str) -> str:
    """A short pseudonym for logs, keyed with a random key that lives only in this process's memory.

    Lines of one run can be followed; a Telegram id cannot be recovered from them by trying ids.
    """
    return hmac.new(_LOG_KEY, f"{channel}:{platform_id}".encode(), hashlib.sha256).hexdigest()[:10]


class Host:
    def __init__(
        self,
        engine: Engine,
        store: ConversationStore,
        actions: ActionRunner,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sources: Collection[str] = (),
    ) -> None:
        """`sources` are the deep-link source tags of real flyers; only those are counted."""
        self.engine = engine
        self.sources = frozenset(sources)
        self.store = store
        self.actions = actions
        self.now = now
        self._locks = [asyncio.Lock() for _ in range(_LOCKS)]
        self._turns = Batches(self._decide)
        self._languages: OrderedDict[tuple[str, str], str] = OrderedDict()

    def _lock(self, channel: str, platform_id: str) -> asyncio.Lock:
        """Turns of one conversation run one after another; different women never wait on each other long."""
        return self._locks[hash((channel, platform_id)) % _LOCKS]

    async def handle(self, channel: str, platform_id: str, user_input: Input) -> list[Message]:
        """Her turn; raises `Unavailable` when it failed because the database does not answer."""
        metrics.TURNS.labels(channel, user_input.kind).inc()
        try:
            with metrics.Timer(metrics.TURN_SECONDS.labels(channel)):
                messages = await self._handle(channel, platform_id, user_input)
        except Exception as error:
            if not await self.available():
                metrics.ERRORS.labels("turn", "DatabaseUnavailable").inc()
                raise Unavailable("the database does not answer") from error
            metrics.ERRORS.labels("turn", metrics.error_kind(error)).inc()
            raise
        metrics.REPLIES.labels(channel).inc(len(messages))
        return messages

    async def available(self) -> bool:
        """Whether the database answers (a failed check counts as no)."""
        try:
            return await asyncio.to_thread(self.store.ping)
        except Exception:
            return False

    async def emergency(self, channel: str, platform_id: str, language_hint: str = "") -> list[Message]:
        """The emergency numbers and the shelter in her language, without the database: what every
        channel says when her turn failed. Her language as last seen by this process, else the hint."""
        language = self._languages.get((channel, platform_id)) or resolve(language_hint) or SOURCE
        # As if she stood at the main menu: after the numbers she sees the menu, not the welcome.
        session = Session(
            language=language, flow="main_menu", step="choose", slots={"language": language, "consent": "yes"}
        )
        user_input = Input.of_payload(EMERGENCY_PAYLOAD, language_hint)
        turn = self.engine.handle(session, user_input)
        _, messages, _ = await self._act(turn, channel, platform_id, user_input)
        context, german = APOLOGY
        apology = self.engine.catalog.text(language, german, context)
        text_language = language if apology.status in ("reviewed", "draft") else SOURCE
        first = Message(
            apology.text,
            dir=direction(text_language),
            language=text_language,
            msgid=context,
            status=apology.status,
        )
        return [first, *messages]

    async def _handle(self, channel: str, platform_id: str, user_input: Input) -> list[Message]:
        async with self._lock(channel, platform_id):
            # The common turn is one batched trip to the database thread: load, decide and, when no
            # action runs, save, together with the other women's turns that arrived meanwhile.
            turn = await self._turns.run((channel, platform_id, user_input))
            if turn.action:
                turn, messages, events = await self._act(turn, channel, platform_id, user_input)
                await asyncio.to_thread(self._remember, [(channel, platform_id, turn, events)])
            else:
                messages = list(turn.messages)
            self._note_language(channel, platform_id, turn)
            # DEBUG only: a timed line per turn with its number of replies would date a report.
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "turn contact=%s kind=%s replies=%d",
                    contact_hash(channel, platform_id),
                    user_input.kind,
                    len(messages),
                )
            return messages

    async def _act(
        self, turn: Turn, channel: str, platform_id: str, user_input: Input
    ) -> tuple[Turn, list[Message], list[dict[str, Any]]]:
        """Run the actions the engine asks for, one after another; the last turn and all it said."""
        messages = list(turn.messages)
        events = list(turn.events)
        for _ in range(_MAX_ACTIONS_PER_TURN):
            if not turn.action:
                break
            result = await self.actions.run(_action_call(turn, channel, platform_id, user_input))
            responses = result.responses if result else []
            messages.extend(_messages_of(responses, turn.session.language, turn.action))
            turn = self.engine.resume(turn.session, result.events if result else [])
            messages.extend(turn.messages)
            events.extend(turn.events)
        return turn, messages, events

    def _note_language(self, channel: str, platform_id: str, turn: Turn) -> None:
        key = (channel, platform_id)
        if turn.forget or not turn.session.language:
            self._languages.pop(key, None)
            return
        self._languages[key] = turn.session.language
        self._languages.move_to_end(key)
        if len(self._languages) > _REMEMBERED_LANGUAGES:
            self._languages.popitem(last=False)

    def _decide(self, requests: Sequence[tuple[str, str, Input]]) -> list[Turn | Exception]:
        """The engine's turn for each request; a turn that fails fails alone."""
        stored = self.store.load_many([(channel, platform_id) for channel, platform_id, _ in requests])
        turns: list[Turn | Exception] = []
        for (_, _, user_input), conversation in zip(requests, stored, strict=True):
            try:
                turns.append(self.engine.handle(_session_of(conversation), user_input))
            except Exception as error:
                turns.append(error)
        self._remember(
            [
                (channel, platform_id, turn, turn.events)
                for (channel, platform_id, _), turn in zip(requests, turns, strict=True)
                if isinstance(turn, Turn) and not turn.action
            ]
        )
        return turns

    def _remember(self, finished: Sequence[tuple[str, str, Turn, Sequence[dict[str, Any]]]]) -> None:
        month = self.now().strftime("%Y-%m")
        savings = []
        for channel, platform_id, turn, _ in finished:
            if turn.forget:
                self.store.forget(channel, platform_id)
                continue
            session = _wiped(turn.session) if _wipes(turn) else turn.session
            consent = session.slots.get("consent") == "yes"
            savings.append(Saving(channel, platform_id, session.language, consent, session.to_json()))
        # The sessions first: if their shared transaction fails, each turn is tried again alone
        # (see `Batches`), and nothing was counted yet.
        self.store.save_many(savings)
        for _, _, _, events in finished:
            for event in events:
                if event.get("event") == "source" and event.get("source") in self.sources:
                    self.store.count_source(str(event["source"]), month)

    async def stop_contact(self, channel: str, platform_id: str) -> None:
        """She blocked the bot: send her nothing more until she writes again."""
        await asyncio.to_thread(self.store.set_stopped, channel, platform_id, True)

    async def forget(self, channel: str, platform_id: str) -> None:
        """Erase her at once (the web chat's "new conversation" leaves nothing of the old one behind)."""
        async with self._lock(channel, platform_id):
            self._languages.pop((channel, platform_id), None)
            await asyncio.to_thread(self.store.forget, channel, platform_id)

    async def erase_conversation(self, channel: str, platform_id: str) -> None:
        """Drop where she is in the conversation (after 'delete traces'); her language stays."""
        async with self._lock(channel, platform_id):
            await asyncio.to_thread(self.store.erase_state, channel, platform_id)


_KEPT_BY_WIPE = ("language", "consent")


def _wipes(turn: Turn) -> bool:
    return any(message.effect == DELETE_TRACES for message in turn.messages)


def _wiped(session: Session) -> Session:
    """After "delete traces": where she stands now (the menu), her language and consent; nothing she
    answered or shared before (a topic, a place, her location)."""
    slots = {name: session.slots[name] for name in _KEPT_BY_WIPE if name in session.slots}
    return Session(language=session.language, flow=session.flow, step=session.step, slots=slots)


def _session_of(stored: Conversation | None) -> Session:
    """Her session; after her conversation was erased, a fresh one that keeps her language and consent."""
    if stored is None:
        return Session()
    if stored.state:
        return Session.from_json(stored.state)
    slots: dict[str, Any] = {"language": stored.language} if stored.language else {}
    if stored.consent:
        slots["consent"] = "yes"
    return Session(language=stored.language, slots=slots)


def _action_call(turn: Turn, channel: str, platform_id: str, user_input: Input) -> dict[str, Any]:
    """A request in the shape of Rasa's action-server protocol, so in-process and HTTP runs agree."""
    session = turn.session
    return {
        "next_action": turn.action,
        "sender_id": f"{channel}:{platform_id}",
        "tracker": {
            "sender_id": f"{channel}:{platform_id}",
            "slots": {**session.slots, "language": session.language or "de", "channel": channel},
            "latest_message": {"text": user_input.text, "intent": {}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
        },
        "domain": {},
        "version": "3.21",
    }


def _messages_of(responses: Sequence[dict[str, Any]], language: str, action: str) -> list[Message]:
    messages = []
    for response in responses:
        custom = response.get("custom") or response.get("json_message") or {}
        venue_data = custom.get("venue") if isinstance(custom, dict) else None
        venue = Venue(**venue_data) if isinstance(venue_data, dict) else None
        document_data = custom.get("document") if isinstance(custom, dict) else None
        document = Document(**document_data) if isinstance(document_data, dict) else None
        buttons = tuple(
            Button(str(button.get("title", "")), str(button.get("payload", "")))
            for button in response.get("buttons") or []
        )
        messages.append(
            Message(
                text=str(response.get("text") or ""),
                buttons=buttons,
                dir=direction(language),
                language=language,
                msgid=str(custom.get("msgid", "") or f"action/{action}") if isinstance(custom, dict) else "",
                status=custom.get("status", "source") if isinstance(custom, dict) else "source",
                venue=venue,
                document=document,
            )
        )
    return messages
