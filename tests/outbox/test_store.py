"""The outbox table on SQLite and PostgreSQL: unique rows, exclusive claims, crash recovery."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from bot.store.deliveries import Deliveries
from bot.store.outbox import Audience, Outbox, summary
from tests.outbox.conftest import add_subscribers, now, queued_broadcast, texts_by_language

LEASE = timedelta(seconds=30)


def test_queueing_twice_adds_nobody_twice(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 6)
    store.subscribe("telegram", "100000", "workshop:w")  # one woman in both audiences
    announcement_id = outbox.create(
        kind="broadcast",
        text="x",
        audience=Audience(("announcements", "workshop:w")),
        created_by="t",
        now=now(),
    )
    assert outbox.queue(announcement_id, texts_by_language(), ["telegram"], now()) == 6
    assert outbox.queue(announcement_id, texts_by_language(), ["telegram"], now(), statuses=("queued",)) == 0
    assert (
        outbox.queue(announcement_id, texts_by_language(), ["telegram"], now()) == 0
    )  # not a draft any more
    assert outbox.counts(announcement_id) == {"pending": 6}


def test_a_reminder_key_names_one_announcement(outbox: Outbox) -> None:
    first = outbox.ensure_reminder(
        "reminder:w:7d:2027", text="x", audience=Audience(("workshop:w",)), now=now()
    )
    again = outbox.ensure_reminder(
        "reminder:w:7d:2027", text="x", audience=Audience(("workshop:w",)), now=now()
    )
    assert first == again
    assert outbox.has_key("reminder:w:7d:2027")


def test_audience_by_language_and_without_stopped_or_web_contacts(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 12)
    store.set_stopped("telegram", "100002", True)  # ar, blocked the bot
    store.save("web", "browser-1", language="ar", consent=True, state={})
    store.subscribe("web", "browser-1", "announcements")
    arabic = Audience(("announcements",), ("ar", "fa"))
    assert outbox.audience_languages(arabic, ["telegram"]) == {"fa": 1}


def test_claims_never_overlap_and_recovery_follows_the_policy(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 5)
    announcement_id = queued_broadcast(outbox)
    rows = Deliveries(store.engine)
    first = rows.claim("a", 3, now(), LEASE)
    second = rows.claim("b", 10, now(), LEASE)
    assert len(first) == 3 and len(second) == 2
    assert not {parcel.id for parcel in first} & {parcel.id for parcel in second}
    assert rows.mark_sending_many([first[0].id], "a", now(), LEASE) == {first[0].id}
    assert rows.mark_sending_many([first[1].id], "b", now(), LEASE) == set()  # not b's row
    later = now() + 2 * LEASE
    assert rows.recover(later) == (4, 1)  # claimed ones back, the one under way is unknown
    assert outbox.counts(announcement_id) == {"pending": 4, "unknown": 1}


def test_resend_policy_returns_interrupted_rows(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 2)
    announcement_id = queued_broadcast(outbox)
    rows = Deliveries(store.engine)
    parcels = rows.claim("a", 2, now(), LEASE)
    rows.mark_sending_many([parcel.id for parcel in parcels], "a", now(), LEASE)
    assert rows.recover(now() + 2 * LEASE, resend_uncertain=True) == (2, 0)
    assert outbox.counts(announcement_id) == {"pending": 2}


def test_blocked_stops_her_and_her_other_rows(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 1)
    first, second = queued_broadcast(outbox), queued_broadcast(outbox)
    rows = Deliveries(store.engine)
    parcel = rows.claim("a", 1, now(), LEASE)[0]
    rows.mark_sending_many([parcel.id], "a", now(), LEASE)
    rows.mark_blocked(parcel.id)
    assert outbox.counts(first) == {"blocked": 1} and outbox.counts(second) == {"blocked": 1}
    assert store.load("telegram", "100000").stopped  # type: ignore[union-attr]


def test_cancel_withdraws_what_has_not_gone(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 3)
    announcement_id = queued_broadcast(outbox)
    rows = Deliveries(store.engine)
    parcel = rows.claim("a", 1, now(), LEASE)[0]
    rows.mark_sending_many([parcel.id], "a", now(), LEASE)
    rows.mark_sent([parcel.id], now())
    assert outbox.cancel(announcement_id) == 2
    assert summary(outbox.counts(announcement_id)) == {
        "total": 3,
        "sent": 1,
        "waiting": 0,
        "failed": 0,
        "cancelled": 2,
    }
    assert rows.claim("a", 10, now(), LEASE) == []


def test_erasing_her_data_takes_her_rows(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 2)
    announcement_id = queued_broadcast(outbox)
    store.forget("telegram", "100000")
    assert outbox.counts(announcement_id) == {"pending": 1}


def test_retention_erases_idle_sessions_and_long_stopped_contacts(store: Store, outbox: Outbox) -> None:
    add_subscribers(store, 3)
    store.set_stopped("telegram", "100001", True)
    assert outbox.erase_idle_sessions(now() - timedelta(days=30)) == 0
    assert outbox.erase_idle_sessions(now() + timedelta(seconds=1)) == 3
    assert outbox.erase_stopped_contacts(now() + timedelta(seconds=1)) == 1
    assert store.load("telegram", "100001") is None
    assert store.load("telegram", "100000") is not None
