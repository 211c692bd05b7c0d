"""A copy of the database alone does not say who wrote, nor when to the minute."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.store import Store
from bot.store.models import Contact, ConversationState


def dump(store: Store) -> str:
    with store.engine.connect() as connection:
        rows = [*connection.execute(select(Contact)), *connection.execute(select(ConversationState))]
    return repr(rows)


def test_her_platform_id_is_not_stored_unless_she_subscribes(store: Store) -> None:
    store.save("telegram", "987654321", language="ar", consent=True, state={"flow": "main_menu"})
    assert "987654321" not in dump(store)
    assert store.load("telegram", "987654321") is not None

    assert store.subscribe("telegram", "987654321", "announcements")
    assert "987654321" in dump(store), "sending to her needs her id"
    assert [recipient.platform_id for recipient in store.subscribers("announcements")] == ["987654321"]

    assert store.unsubscribe("telegram", "987654321", "announcements")
    assert "987654321" not in dump(store), "gone with the last subscription"
    assert store.subscribers("announcements") == []


def test_pseudonyms_are_stable_across_restarts_and_differ_by_channel(database_url: str) -> None:
    first = Store(database_url)
    first.upgrade()
    first.save("web", "abcdefgh", language="de", consent=False, state={})
    key = first.key("web", "abcdefgh")
    first.dispose()
    second = Store(database_url)
    assert second.key("web", "abcdefgh") == key
    assert second.key("telegram", "abcdefgh") != key
    assert second.load("web", "abcdefgh") is not None
    second.dispose()


def test_a_given_secret_changes_every_pseudonym(database_url: str) -> None:
    assert Store(database_url, secret=b"one").key("web", "x") != Store(database_url, secret=b"two").key(
        "web", "x"
    )


def test_times_are_kept_to_the_day(store: Store) -> None:
    store.save("web", "abcdefgh", language="de", consent=True, state={})
    with store.engine.connect() as connection:
        created, seen = connection.execute(select(Contact.created_at, Contact.last_seen_at)).one()
        updated = connection.execute(select(ConversationState.updated_at)).scalar_one()
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert created == seen == updated == midnight


def test_many_first_conversations_at_once_share_one_key(database_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = Store(database_url)
    with store.engine.begin() as connection:
        from bot.store.migrations import upgrade

        upgrade(connection)
    with ThreadPoolExecutor(16) as pool:
        list(
            pool.map(
                lambda n: store.save("web", f"session{n:04d}", language="de", consent=False, state={}),
                range(48),
            )
        )
    assert all(store.load("web", f"session{n:04d}") is not None for n in range(48))
    store.dispose()
