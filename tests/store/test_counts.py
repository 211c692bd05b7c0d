"""Anonymous source counts, webhook deduplication and subscriptions."""

from __future__ import annotations

from datetime import date

import pytest

from bot.store import Recipient, Store


def test_source_counts_add_up_per_source_and_month(store: Store) -> None:
    for source, month in [("flyer-kreishaus", "2025-11")] * 3 + [
        ("qr-cafe", "2025-11"),
        ("flyer-kreishaus", "2025-12"),
    ]:
        store.count_source(source, month)

    assert store.source_counts() == {
        ("flyer-kreishaus", "2025-11"): 3,
        ("qr-cafe", "2025-11"): 1,
        ("flyer-kreishaus", "2025-12"): 1,
    }


@pytest.mark.parametrize(
    ("source", "month"), [("flyer", "11/2025"), ("flyer", "2025-1"), ("", "2025-11"), ("x" * 65, "2025-11")]
)
def test_source_counts_refuse_malformed_tags_and_months(store: Store, source: str, month: str) -> None:
    with pytest.raises(ValueError):
        store.count_source(source, month)
    assert store.source_counts() == {}


def test_mark_update_is_true_once_per_update_id(store: Store) -> None:
    day = date(2025, 11, 25)
    assert store.mark_update(123_456_789_012, day) is True
    assert store.mark_update(123_456_789_012, day) is False
    assert store.mark_update(123_456_789_012, date(2025, 11, 26)) is False
    assert store.mark_update(123_456_789_013, day) is True


def test_purge_updates_forgets_old_days(store: Store) -> None:
    store.mark_update(1, date(2025, 11, 23))
    store.mark_update(2, date(2025, 11, 25))

    assert store.purge_updates(date(2025, 11, 24)) == 1
    assert store.mark_update(1, date(2025, 11, 25)) is True
    assert store.mark_update(2, date(2025, 11, 25)) is False


def test_subscriptions_per_contact_and_per_topic(store: Store) -> None:
    store.save("telegram", "1", language="ar", consent=True, state={})
    store.save("web", "abc", language="fa", consent=True, state={})
    store.save("telegram", "3", language="uk", consent=True, state={})

    assert store.subscribe("telegram", "1", "announcements") is True
    assert store.subscribe("telegram", "1", "announcements") is False
    assert store.subscribe("telegram", "1", "workshop-2026-03") is True
    assert store.subscribe("web", "abc", "announcements") is True
    assert store.subscribe("telegram", "3", "announcements") is True
    store.set_stopped("telegram", "3", True)

    assert store.subscriptions("telegram", "1") == ["announcements", "workshop-2026-03"]
    assert store.subscribers("announcements") == [
        Recipient("telegram", "1", "ar"),
        Recipient("web", "abc", "fa"),
    ]
    assert store.unsubscribe("telegram", "1", "announcements") is True
    assert store.unsubscribe("telegram", "1", "announcements") is False
    assert store.subscriptions("telegram", "1") == ["workshop-2026-03"]


def test_an_unknown_contact_cannot_subscribe(store: Store) -> None:
    assert store.subscribe("telegram", "404", "announcements") is False
    assert store.subscribers("announcements") == []
