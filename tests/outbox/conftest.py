"""Subscribers in a real database, and a courier that records what it was asked to deliver."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from bot.outbox.courier import DeliveryError
from bot.store import Store
from bot.store.models import Contact, Subscription
from bot.store.outbox import Audience, Outbox

LANGUAGES12 = ("de", "en", "ar", "fa", "uk", "ru", "tr", "ku", "ti", "ps", "so", "fr")


def now() -> datetime:
    return datetime.now(UTC)


def add_subscribers(
    store: Store,
    count: int,
    *,
    topic: str = "announcements",
    first: int = 100_000,
    languages: Sequence[str] = LANGUAGES12,
) -> list[str]:
    """`count` Telegram contacts subscribed to `topic`, languages in turn; returns their chat ids."""
    ids = []
    for number in range(count):
        platform_id = str(first + number)
        store.save(
            "telegram", platform_id, language=languages[number % len(languages)], consent=True, state={}
        )
        store.subscribe("telegram", platform_id, topic)
        ids.append(platform_id)
    return ids


def many_subscribers(
    store: Store, count: int, first: int = 500_000, topic: str = "announcements"
) -> list[int]:
    """`count` subscribers in one transaction (the store's one-by-one path is for conversations)."""
    at = now()
    contacts = [
        {
            "id": number + 1,
            "key": store.key("telegram", str(first + number)),
            "channel": "telegram",
            "platform_id": str(first + number),
            "language": LANGUAGES12[number % 12],
            "consent": True,
            "stopped": False,
            "created_at": at,
            "last_seen_at": at,
        }
        for number in range(count)
    ]
    with store.engine.begin() as connection:
        connection.execute(insert(Contact), contacts)
        connection.execute(
            insert(Subscription),
            [{"contact_id": row["id"], "topic": topic, "created_at": at} for row in contacts],
        )
    return [first + number for number in range(count)]


def texts_by_language(prefix: str = "Nachricht") -> dict[str, str]:
    return {code: f"[{code}] {prefix}" for code in LANGUAGES12}


def queued_broadcast(outbox: Outbox, *, topics: tuple[str, ...] = ("announcements",)) -> int:
    announcement_id = outbox.create(
        kind="broadcast", text="[de] Nachricht", audience=Audience(topics), created_by="test", now=now()
    )
    outbox.queue(announcement_id, texts_by_language(), ["telegram"], now())
    return announcement_id


@dataclass
class Recorder:
    """A courier that keeps every delivery and can be told to fail for some chats."""

    delivered: list[tuple[str, str, str]] = field(default_factory=list)
    failures: dict[str, list[DeliveryError]] = field(default_factory=dict)

    async def deliver(
        self, platform_id: str, text: str, language: str, *, row: int = 0, announcement: int = 0
    ) -> None:
        planned = self.failures.get(platform_id)
        if planned:
            raise planned.pop(0)
        self.delivered.append((platform_id, text, language))

    def count(self, platform_id: str) -> int:
        return sum(1 for item in self.delivered if item[0] == platform_id)


@pytest.fixture
def outbox(store: Store) -> Iterator[Outbox]:
    yield Outbox(store.engine)
