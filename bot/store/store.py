"""The store: the only place that speaks SQL, for SQLite (embedded default) and PostgreSQL alike.

Statements are built once per store with bind parameters. Conversations are loaded and saved many at
a time (turns that arrive together share one SELECT and one transaction); a known contact costs two
statements to save, a new one three. Upserts use each dialect's INSERT ... ON CONFLICT, which is
race-safe on both; "was it new?" is answered by RETURNING, because drivers differ in what `rowcount`
means for an INSERT.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Engine,
    String,
    bindparam,
    delete,
    exists,
    false,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from bot.store import migrations
from bot.store.database import checkpoint, open_database, threads_for, upsert_for
from bot.store.models import (
    Contact,
    ConversationState,
    MessageTrace,
    SourceCount,
    Subscription,
    UTCDateTime,
)
from bot.store.secret import contact_secret
from bot.store.updates import ProcessedUpdates

DIRECTIONS = ("in", "out")


@dataclass(slots=True)
class Conversation:
    """What the runtime needs to continue a conversation; `state` is None when none is open.

    Not frozen, so it satisfies protocols that declare plain attributes (the runtime's `Conversation`).
    """

    language: str
    consent: bool
    stopped: bool
    state: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Saving:
    """One conversation to save: her language, consent and where she is."""

    channel: str
    platform_id: str
    language: str
    consent: bool
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Recipient:
    """A subscriber to write to, in her language."""

    channel: str
    platform_id: str
    language: str


def _now() -> datetime:
    """Today at midnight UTC: contacts and sessions keep the day, never the minute she wrote."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _hour(at: datetime) -> datetime:
    """Message traces need only the hour to be dropped after 48 hours."""
    return at.replace(minute=0, second=0, microsecond=0)


_this_contact = Contact.key == bindparam("b_key")
_contact_id = select(Contact.id).where(_this_contact).scalar_subquery()


class Store(ProcessedUpdates):
    """One engine per process; every method is a short transaction of its own, safe from any thread."""

    def __init__(self, url: str, *, secret: bytes = b"") -> None:
        """`secret` keys the contact pseudonyms; without one, see `bot.store.secret` (never the database).

        Contacts are found by a keyed hash of channel and platform id, so a copy of the database alone
        does not say who wrote. The platform id itself is kept only while she is subscribed to
        something, because sending to her needs it.
        """
        self._secret = b""
        self._given_secret = secret
        self._secret_lock = threading.Lock()
        self._url = url
        self._engine = open_database(url)
        upsert = upsert_for(self._engine)

        self._load = (
            select(Contact.key, Contact.language, Contact.consent, Contact.stopped, ConversationState.state)
            .outerjoin(ConversationState, ConversationState.contact_id == Contact.id)
            .where(Contact.key.in_(bindparam("b_keys", expanding=True)))
        )
        self._touch_contact = (
            update(Contact)
            .where(_this_contact)
            .values(
                language=bindparam("b_language"),
                consent=bindparam("b_consent"),
                stopped=False,
                last_seen_at=bindparam("b_now"),
            )
        )
        # A contact not there yet; ON CONFLICT covers another process adding her at the same moment.
        self._add_contact = (
            upsert(Contact)
            .from_select(
                ["channel", "key", "language", "consent", "stopped", "created_at", "last_seen_at"],
                select(
                    bindparam("b_channel", type_=String()),
                    bindparam("b_key", type_=String()),
                    bindparam("b_language", type_=String()),
                    bindparam("b_consent", type_=Boolean()),
                    false(),
                    bindparam("b_now", type_=UTCDateTime()),
                    bindparam("b_now", type_=UTCDateTime()),
                ).where(~exists().where(_this_contact)),
            )
            .on_conflict_do_nothing()
        )
        new_state = upsert(ConversationState).from_select(
            ["contact_id", "state", "updated_at"],
            select(
                Contact.id,
                bindparam("b_state", type_=ConversationState.state.type),
                bindparam("b_now", type_=UTCDateTime()),
            ).where(_this_contact),
        )
        self._save_state = new_state.on_conflict_do_update(
            index_elements=[ConversationState.contact_id],
            set_={"state": new_state.excluded.state, "updated_at": new_state.excluded.updated_at},
        )
        self._trace = insert(MessageTrace).from_select(
            ["contact_id", "message_id", "direction", "sent_at"],
            select(
                Contact.id,
                bindparam("b_message", type_=BigInteger()),
                bindparam("b_direction", type_=String()),
                bindparam("b_at", type_=UTCDateTime()),
            ).where(_this_contact),
        )
        self._subscribe = (
            upsert(Subscription)
            .from_select(
                ["contact_id", "topic", "created_at"],
                select(
                    Contact.id, bindparam("b_topic", type_=String()), bindparam("b_now", type_=UTCDateTime())
                ).where(_this_contact),
            )
            .on_conflict_do_nothing()
            .returning(Subscription.topic)
        )
        counted = upsert(SourceCount).values(
            source=bindparam("b_source"), month=bindparam("b_month"), count=1
        )
        self._count = counted.on_conflict_do_update(
            index_elements=[SourceCount.source, SourceCount.month], set_={"count": SourceCount.count + 1}
        )

    def key(self, channel: str, platform_id: str) -> str:
        """Her pseudonym: HMAC-SHA256 of channel and platform id under the store's secret."""
        if not self._secret:
            self._secret = self._stored_secret()
        return hmac.new(self._secret, f"{channel}:{platform_id}".encode(), hashlib.sha256).hexdigest()[:40]

    def derived_key(self, purpose: str) -> bytes:
        """A 32-byte key for `purpose` (the report pool), derived from the store's secret."""
        if not self._secret:
            self._secret = self._stored_secret()
        return hmac.new(self._secret, f"wegweiser/{purpose}".encode(), hashlib.sha256).digest()

    def _stored_secret(self) -> bytes:
        with self._secret_lock:  # the first turns may arrive together on several threads
            if not self._secret:
                self._secret = contact_secret(self._engine, self._url, self._given_secret)
            return self._secret

    @property
    def threads(self) -> int:
        return threads_for(self._engine)

    @property
    def engine(self) -> Engine:
        """For the scheduler's job store, which wants the same database."""
        return self._engine

    # --- lifecycle -------------------------------------------------------------------------------

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        with self._engine.begin() as connection:
            migrations.upgrade(connection)
        if not self._secret:
            self._secret = self._stored_secret()

    def ping(self) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def dispose(self) -> None:
        self._engine.dispose()

    # --- conversations ---------------------------------------------------------------------------

    def load(self, channel: str, platform_id: str) -> Conversation | None:
        return self.load_many([(channel, platform_id)])[0]

    def load_many(self, contacts: Sequence[tuple[str, str]]) -> list[Conversation | None]:
        """The conversations of these (channel, platform id) pairs, in their order; None for a stranger."""
        keys = [self.key(channel, platform_id) for channel, platform_id in contacts]
        with self._engine.connect() as connection:
            rows = connection.execute(self._load, {"b_keys": sorted(set(keys))}).all()
        found = {
            row[0]: Conversation(language=row[1], consent=row[2], stopped=row[3], state=row[4])
            for row in rows
        }
        return [found.get(key) for key in keys]

    def save(
        self, channel: str, platform_id: str, *, language: str, consent: bool, state: dict[str, Any]
    ) -> None:
        self.save_many([Saving(channel, platform_id, language, consent, state)])

    def save_many(self, savings: Sequence[Saving]) -> None:
        """Remember language, consent and conversation of each, in one transaction. A message from her
        means she is reachable again."""
        if not savings:
            return
        now = _now()
        rows = {
            key: {
                "b_key": key,
                "b_channel": saving.channel,
                "b_language": saving.language,
                "b_consent": saving.consent,
                "b_state": saving.state,
                "b_now": now,
            }
            for saving in savings
            for key in [self.key(saving.channel, saving.platform_id)]
        }
        params = list(rows.values())
        with self._engine.begin() as connection:
            touched = connection.execute(self._touch_contact, params).rowcount
            if touched != len(params) or not self._engine.dialect.supports_sane_multi_rowcount:
                connection.execute(self._add_contact, params)
            connection.execute(self._save_state, params)

    def erase_state(self, channel: str, platform_id: str) -> None:
        """Drop the open conversation (a report's answers) but keep language, consent and subscriptions."""
        with self._engine.begin() as connection:
            connection.execute(
                delete(ConversationState).where(ConversationState.contact_id == _contact_id),
                {"b_key": self.key(channel, platform_id)},
            )
        checkpoint(self._engine)

    def forget(self, channel: str, platform_id: str) -> bool:
        """Erase her: contact, conversation, subscriptions and traces. False if there was nothing."""
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(Contact).where(_this_contact), {"b_key": self.key(channel, platform_id)}
            )
        checkpoint(self._engine)
        return result.rowcount > 0

    def set_stopped(self, channel: str, platform_id: str, stopped: bool) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(Contact).where(_this_contact).values(stopped=bindparam("b_stopped")),
                {"b_key": self.key(channel, platform_id), "b_stopped": stopped},
            )

    # --- message traces (kept at most 48 hours) --------------------------------------------------

    def record_trace(
        self, channel: str, platform_id: str, message_id: int, direction: str, at: datetime
    ) -> None:
        """Note a message in her chat; call it after `save`, because a trace needs a known contact."""
        self.record_traces(channel, [(platform_id, message_id, direction, at)])

    def record_traces(self, channel: str, traces: Sequence[tuple[str, int, str, datetime]]) -> None:
        """Note messages of many chats (platform id, message id, direction, time) in one transaction.
        A trace of a contact that is gone by now is dropped: she asked to be forgotten."""
        if any(direction not in DIRECTIONS for _, _, direction, _ in traces):
            raise ValueError("direction must be 'in' or 'out'")
        if not traces:
            return
        rows = [
            {
                "b_key": self.key(channel, platform_id),
                "b_message": message_id,
                "b_direction": direction,
                "b_at": _hour(at),
            }
            for platform_id, message_id, direction, at in traces
        ]
        with self._engine.begin() as connection:
            connection.execute(self._trace, rows)

    def traces(self, channel: str, platform_id: str, since: datetime) -> list[int]:
        """Message ids in her chat since `since`, oldest first."""
        query = (
            select(MessageTrace.message_id)
            .join(Contact, Contact.id == MessageTrace.contact_id)
            .where(_this_contact, MessageTrace.sent_at >= bindparam("b_since", type_=UTCDateTime()))
            .order_by(MessageTrace.sent_at, MessageTrace.id)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query, {"b_key": self.key(channel, platform_id), "b_since": since})
            return list(rows.scalars())

    def clear_traces(self, channel: str, platform_id: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                delete(MessageTrace).where(MessageTrace.contact_id == _contact_id),
                {"b_key": self.key(channel, platform_id)},
            )

    def purge_traces(self, before: datetime) -> int:
        """Drop traces older than `before` (a job calls this with now - 48 h); returns how many."""
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(MessageTrace).where(MessageTrace.sent_at < bindparam("b_before", type_=UTCDateTime())),
                {"b_before": before},
            )
        return result.rowcount

    # --- subscriptions ---------------------------------------------------------------------------

    def subscribe(self, channel: str, platform_id: str, topic: str) -> bool:
        """True if she is newly subscribed; False if she already was or is unknown (save her first).

        Subscribing is what makes her reachable, so her platform id is kept from now on.
        """
        with self._engine.begin() as connection:
            connection.execute(
                update(Contact).where(_this_contact).values(platform_id=bindparam("b_platform")),
                {"b_key": self.key(channel, platform_id), "b_platform": platform_id},
            )
            row = connection.execute(
                self._subscribe,
                {"b_key": self.key(channel, platform_id), "b_topic": topic, "b_now": _now()},
            ).first()
        return row is not None

    def unsubscribe(self, channel: str, platform_id: str, topic: str) -> bool:
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(Subscription).where(
                    Subscription.contact_id == _contact_id, Subscription.topic == bindparam("b_topic")
                ),
                {"b_key": self.key(channel, platform_id), "b_topic": topic},
            )
            connection.execute(
                update(Contact)
                .where(
                    _this_contact,
                    ~select(Subscription.topic).where(Subscription.contact_id == Contact.id).exists(),
                )
                .values(platform_id=None),
                {"b_key": self.key(channel, platform_id)},
            )
        return result.rowcount > 0

    def subscriptions(self, channel: str, platform_id: str) -> list[str]:
        query = (
            select(Subscription.topic)
            .join(Contact, Contact.id == Subscription.contact_id)
            .where(_this_contact)
            .order_by(Subscription.topic)
        )
        with self._engine.connect() as connection:
            return list(connection.execute(query, {"b_key": self.key(channel, platform_id)}).scalars())

    def subscribers(self, topic: str) -> list[Recipient]:
        """Everyone subscribed to `topic` who has not blocked the bot, in a stable order."""
        query = (
            select(Contact.channel, Contact.platform_id, Contact.language)
            .join(Subscription, Subscription.contact_id == Contact.id)
            .where(Subscription.topic == topic, Contact.stopped.is_(False), Contact.platform_id.is_not(None))
            .order_by(Contact.id)
        )
        with self._engine.connect() as connection:
            return [
                Recipient(channel, str(platform_id), language)
                for channel, platform_id, language in connection.execute(query)
            ]

    # --- anonymous counts and webhook deduplication ----------------------------------------------

    def count_source(self, source: str, month: str) -> None:
        """Count one first contact through deep-link `source` in `month` (YYYY-MM); nothing else is kept."""
        if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
            raise ValueError(f"month must look like 2025-11, not {month!r}")
        if not source or len(source) > 64:
            raise ValueError("a source tag has 1 to 64 characters")
        with self._engine.begin() as connection:
            connection.execute(self._count, {"b_source": source, "b_month": month})

    def source_counts(self) -> dict[tuple[str, str], int]:
        query = select(SourceCount.source, SourceCount.month, SourceCount.count)
        with self._engine.connect() as connection:
            return {(source, month): count for source, month, count in connection.execute(query)}
