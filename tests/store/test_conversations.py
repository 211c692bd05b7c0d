"""Loading, saving, stopping and forgetting a contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.store import Conversation, Store
from bot.store.models import Contact, ConversationState, MessageTrace, Subscription
from bot.store.store import Saving

ARABIC = "أبحث عن استشارة مجانية للنساء 🌸"
STATE = {
    "language": "ar",
    "flow": "find_counselling",
    "step": "ask_topic",
    "slots": {"topic": "health", "note": ARABIC, "emoji": "👩‍👧 🏠", "tigrinya": "ሰላም"},
    "stack": [{"flow": "menu", "step": "start"}],
    "notices": [],
}


def _rows(store: Store, platform_id: str) -> dict[str, int]:
    """How many rows in each contact-linked table belong to this Telegram contact."""
    counts = {}
    with store.engine.connect() as connection:
        contact = select(Contact.id).where(Contact.key == store.key("telegram", platform_id))
        counts["contacts"] = connection.scalar(select(func.count()).select_from(contact.subquery())) or 0
        for model in (ConversationState, Subscription, MessageTrace):
            linked = select(func.count()).where(model.contact_id.in_(contact))
            counts[model.__tablename__] = connection.scalar(linked) or 0
    return counts


def test_an_unknown_contact_loads_as_none(store: Store) -> None:
    assert store.load("telegram", "404") is None


def test_save_then_load_round_trips_unicode_state(store: Store) -> None:
    store.save("telegram", "1001", language="ar", consent=True, state=STATE)

    assert store.load("telegram", "1001") == Conversation(
        language="ar", consent=True, stopped=False, state=STATE
    )


def test_contacts_are_told_apart_by_channel_and_platform_id(store: Store) -> None:
    store.save("telegram", "7", language="uk", consent=True, state={"step": "a"})
    store.save("web", "7", language="tr", consent=False, state={"step": "b"})

    telegram, web = store.load("telegram", "7"), store.load("web", "7")
    assert telegram is not None and web is not None
    assert (telegram.language, telegram.state) == ("uk", {"step": "a"})
    assert (web.language, web.consent, web.state) == ("tr", False, {"step": "b"})


def test_a_second_save_replaces_language_consent_and_state(store: Store) -> None:
    store.save("telegram", "1", language="de", consent=False, state={"step": "privacy"})
    store.save("telegram", "1", language="fa", consent=True, state={"step": "menu"})

    assert store.load("telegram", "1") == Conversation("fa", True, False, {"step": "menu"})
    assert _rows(store, "1") == {"contacts": 1, "sessions": 1, "subscriptions": 0, "message_traces": 0}


def test_save_keeps_created_at_and_moves_last_seen_in_utc(store: Store) -> None:
    store.save("telegram", "1", language="de", consent=True, state={})
    store.save("telegram", "1", language="de", consent=True, state={})
    with store.engine.connect() as connection:
        created, seen = connection.execute(select(Contact.created_at, Contact.last_seen_at)).one()
    assert created.utcoffset() == timedelta(0) and seen.utcoffset() == timedelta(0)
    assert created <= seen <= datetime.now(UTC)


def test_erase_state_keeps_the_contact(store: Store) -> None:
    store.save("telegram", "1", language="so", consent=True, state={"flow": "report"})
    store.subscribe("telegram", "1", "announcements")

    store.erase_state("telegram", "1")

    assert store.load("telegram", "1") == Conversation("so", True, False, None)
    assert store.subscriptions("telegram", "1") == ["announcements"]


def test_stopped_is_set_by_a_block_and_cleared_by_her_next_message(store: Store) -> None:
    store.save("telegram", "1", language="ru", consent=True, state={})
    store.set_stopped("telegram", "1", True)
    stopped = store.load("telegram", "1")
    assert stopped is not None and stopped.stopped

    store.save("telegram", "1", language="ru", consent=True, state={})
    again = store.load("telegram", "1")
    assert again is not None and not again.stopped


def test_set_stopped_for_an_unknown_contact_creates_nothing(store: Store) -> None:
    store.set_stopped("telegram", "404", True)
    assert store.load("telegram", "404") is None


def test_forget_deletes_everything_of_that_contact_and_nothing_of_others(store: Store) -> None:
    now = datetime.now(UTC)
    for platform_id in ("her", "other"):
        store.save("telegram", platform_id, language="ar", consent=True, state={"slots": {"x": ARABIC}})
        store.subscribe("telegram", platform_id, "announcements")
        store.subscribe("telegram", platform_id, "workshop-2026-03")
        store.record_trace("telegram", platform_id, 10, "in", now)
        store.record_trace("telegram", platform_id, 11, "out", now)
    before = _rows(store, "other")

    assert store.forget("telegram", "her") is True

    assert _rows(store, "her") == {"contacts": 0, "sessions": 0, "subscriptions": 0, "message_traces": 0}
    assert (
        _rows(store, "other")
        == before
        == {"contacts": 1, "sessions": 1, "subscriptions": 2, "message_traces": 2}
    )
    assert store.load("telegram", "her") is None
    assert store.forget("telegram", "her") is False


def test_many_conversations_load_in_their_order_with_strangers_as_none(store: Store) -> None:
    store.save("telegram", "1", language="ar", consent=True, state=STATE)
    store.save("web", "1", language="uk", consent=False, state={"step": "welcome"})

    loaded = store.load_many([("web", "1"), ("telegram", "404"), ("telegram", "1"), ("web", "1")])

    assert [c.language if c else None for c in loaded] == ["uk", None, "ar", "uk"]
    assert loaded[2] is not None and loaded[2].state == STATE


def test_saving_many_adds_new_contacts_and_updates_known_ones_in_one_go(store: Store) -> None:
    store.save("telegram", "known", language="de", consent=False, state={"step": "welcome"})
    store.set_stopped("telegram", "known", True)

    store.save_many(
        [
            Saving("telegram", "known", "fa", True, {"step": "menu"}),
            Saving("telegram", "new", "ti", True, {"step": "privacy", "note": "ሰላም"}),
            Saving("web", "known", "so", False, {"step": "welcome"}),
        ]
    )

    known, new, web = store.load_many([("telegram", "known"), ("telegram", "new"), ("web", "known")])
    assert known == Conversation(language="fa", consent=True, stopped=False, state={"step": "menu"})
    assert new == Conversation(
        language="ti", consent=True, stopped=False, state={"step": "privacy", "note": "ሰላም"}
    )
    assert web is not None and web.language == "so"
    assert _rows(store, "known") == {"contacts": 1, "sessions": 1, "subscriptions": 0, "message_traces": 0}


def test_empty_batches_need_no_database_work_and_raise_nothing(store: Store) -> None:
    store.save_many([])
    assert store.load_many([]) == []
