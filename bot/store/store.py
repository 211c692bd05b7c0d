"""The store: the only place that speaks SQL, for SQLite (embedded default) and PostgreSQL alike.

Statements are built once per store with bind parameters, so a message costs one SELECT to load and
two statements to save. Upserts use each dialect's INSERT ... ON CONFLICT, which is race-safe on both;
"was it new?" is answered by RETURNING, because drivers differ in what `rowcount` means for an INSERT.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Engine,
    String,
    bindparam,
    create_engine,
    delete,
    event,
    insert,
    make_url,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from bot.store import migrations
from bot.store.models import (
    Contact,
    ConversationState,
    MessageTrace,
    ProcessedUpdate,
    SourceCount,
    StoreSecret,
    Subscription,
    UTCDateTime,
)

Upsert = Callable[..., postgresql.Insert | sqlite.Insert]
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
class Recipient:
    """A subscriber to write to, in her language."""

    channel: str
    platform_id: str
    language: str


def _dumps(value: object) -> str:
    # Arabic, Farsi or Tigrinya text stays readable and a third of the size of \u escapes.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _tune_sqlite(dbapi_connection: Any, _record: object) -> None:
    """WAL lets readers run beside the writer; NORMAL sync is safe with WAL; SQLite needs FKs switched on."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # erased rows are overwritten, not left in free pages
    finally:
        cursor.close()


def _upsert_for(engine: Engine) -> Upsert:
    if engine.dialect.name == "postgresql":
        return postgresql.insert
    if engine.dialect.name == "sqlite":
        return sqlite.insert
    raise ValueError(f"unsupported database: {engine.dialect.name}")


def _now() -> datetime:
    """Today at midnight UTC: contacts and sessions keep the day, never the minute she wrote."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _hour(at: datetime) -> datetime:
    """Message traces need only the hour to be dropped after 48 hours."""
    return at.replace(minute=0, second=0, microsecond=0)


_this_contact = Contact.key == bindparam("b_key")
_contact_id = select(Contact.id).where(_this_contact).scalar_subquery()


class Store:
    """One engine per process; every method is a short transaction of its own, safe from any thread."""

    def __init__(self, url: str, *, secret: bytes = b"") -> None:
        """`secret` keys the contact pseudonyms; without one, a random key is kept in the database.

        Contacts are found by a keyed hash of channel and platform id, so a copy of the database alone
        does not say who wrote. The platform id itself is kept only while she is subscribed to
        something, because sending to her needs it.
        """
        self._secret = secret
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self._engine = create_engine(url, pool_pre_ping=True, json_serializer=_dumps)
        if self._engine.dialect.name == "sqlite":
            event.listen(self._engine, "connect", _tune_sqlite)
        upsert = _upsert_for(self._engine)

        self._load = (
            select(Contact.language, Contact.consent, Contact.stopped, ConversationState.state)
            .outerjoin(ConversationState, ConversationState.contact_id == Contact.id)
            .where(_this_contact)
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
            .returning(Contact.id)
        )
        new_contact = upsert(Contact).values(
            channel=bindparam("b_channel"),
            key=bindparam("b_key"),
            language=bindparam("b_language"),
            consent=bindparam("b_consent"),
            stopped=False,
            created_at=bindparam("b_now"),
            last_seen_at=bindparam("b_now"),
        )
        self._insert_contact = new_contact.on_conflict_do_update(
            index_elements=[Contact.key],
            set_={
                "language": new_contact.excluded.language,
                "consent": new_contact.excluded.consent,
                "stopped": False,
                "last_seen_at": new_contact.excluded.last_seen_at,
            },
        ).returning(Contact.id)
        new_state = upsert(ConversationState).values(
            contact_id=bindparam("b_contact"), state=bindparam("b_state"), updated_at=bindparam("b_now")
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
        self._mark = (
            upsert(ProcessedUpdate)
            .values(update_id=bindparam("b_update"), seen_on=bindparam("b_day"))
            .on_conflict_do_nothing()
            .returning(ProcessedUpdate.update_id)
        )

    def key(self, channel: str, platform_id: str) -> str:
        """Her pseudonym: HMAC-SHA256 of channel and platform id under the store's secret."""
        if not self._secret:
            self._secret = self._stored_secret()
        return hmac.new(self._secret, f"{channel}:{platform_id}".encode(), hashlib.sha256).hexdigest()[:40]

    def _stored_secret(self) -> bytes:
        """The database's own key: the first writer's random value wins, everyone reads it back."""
        new_secret = _upsert_for(self._engine)(StoreSecret).values(
            name="contact_key", value=secrets.token_hex(32)
        )
        with self._engine.begin() as connection:
            connection.execute(new_secret.on_conflict_do_nothing())
            value = connection.execute(
                select(StoreSecret.value).where(StoreSecret.name == "contact_key")
            ).scalar_one()
        return bytes.fromhex(value)

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
        with self._engine.connect() as connection:
            row = connection.execute(self._load, {"b_key": self.key(channel, platform_id)}).first()
        if row is None:
            return None
        return Conversation(language=row[0], consent=row[1], stopped=row[2], state=row[3])

    def save(
        self, channel: str, platform_id: str, *, language: str, consent: bool, state: dict[str, Any]
    ) -> None:
        """Remember her language, consent and conversation; a message from her means she is reachable."""
        params = {
            "b_key": self.key(channel, platform_id),
            "b_channel": channel,
            "b_language": language,
            "b_consent": consent,
            "b_now": _now(),
        }
        with self._engine.begin() as connection:
            contact_id = connection.execute(self._touch_contact, params).scalar()
            if contact_id is None:
                contact_id = connection.execute(self._insert_contact, params).scalar_one()
            connection.execute(
                self._save_state, {"b_contact": contact_id, "b_state": state, "b_now": params["b_now"]}
            )

    def erase_state(self, channel: str, platform_id: str) -> None:
        """Drop the open conversation (a report's answers) but keep language, consent and subscriptions."""
        with self._engine.begin() as connection:
            connection.execute(
                delete(ConversationState).where(ConversationState.contact_id == _contact_id),
                {"b_key": self.key(channel, platform_id)},
            )

    def forget(self, channel: str, platform_id: str) -> bool:
        """Erase her: contact, conversation, subscriptions and traces. False if there was nothing."""
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(Contact).where(_this_contact), {"b_key": self.key(channel, platform_id)}
            )
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
        self.record_traces(channel, platform_id, [(message_id, direction, at)])

    def record_traces(
        self, channel: str, platform_id: str, traces: Sequence[tuple[int, str, datetime]]
    ) -> None:
        """Note the messages of one turn in one transaction."""
        if any(direction not in DIRECTIONS for _, direction, _ in traces):
            raise ValueError("direction must be 'in' or 'out'")
        if not traces:
            return
        key = self.key(channel, platform_id)
        rows = [
            {"b_key": key, "b_message": message_id, "b_direction": direction, "b_at": _hour(at)}
            for message_id, direction, at in traces
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

    def mark_update(self, update_id: int, seen_on: date) -> bool:
        """True the first time an update id is seen, False for a redelivery (atomic on both databases)."""
        with self._engine.begin() as connection:
            row = connection.execute(self._mark, {"b_update": update_id, "b_day": seen_on}).first()
        return row is not None

    def purge_updates(self, before: date) -> int:
        """Forget update ids seen before `before`; Telegram stops redelivering after a day."""
        with self._engine.begin() as connection:
            result = connection.execute(delete(ProcessedUpdate).where(ProcessedUpdate.seen_on < before))
        return result.rowcount
