"""Message traces: kept so she can wipe the chat from her phone, purged after 48 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import StatementError

from bot.store import Store

NOW = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def her(store: Store) -> Store:
    store.save("telegram", "1", language="ti", consent=True, state={})
    store.save("telegram", "2", language="ps", consent=True, state={})
    return store


def test_traces_since_a_moment_oldest_first(her: Store) -> None:
    her.record_trace("telegram", "1", 3, "in", NOW - timedelta(hours=50))
    her.record_trace("telegram", "1", 5, "out", NOW - timedelta(hours=1))
    her.record_trace("telegram", "1", 4, "in", NOW - timedelta(hours=2))
    her.record_trace("telegram", "2", 9, "in", NOW)

    assert her.traces("telegram", "1", NOW - timedelta(hours=48)) == [4, 5]


def test_times_in_other_zones_are_compared_as_instants(her: Store) -> None:
    berlin = NOW.astimezone(ZoneInfo("Europe/Berlin"))
    her.record_trace("telegram", "1", 1, "out", berlin)
    assert her.traces("telegram", "1", NOW) == [1]
    assert her.traces("telegram", "1", NOW + timedelta(seconds=1)) == []


def test_naive_times_are_refused(her: Store) -> None:
    with pytest.raises(StatementError, match="timezone-aware"):
        her.record_trace("telegram", "1", 1, "out", datetime(2025, 11, 25, 12, 0))


def test_a_large_message_id_fits(her: Store) -> None:
    her.record_trace("telegram", "1", 2**40, "in", NOW)
    assert her.traces("telegram", "1", NOW) == [2**40]


def test_clear_traces_only_for_her(her: Store) -> None:
    her.record_trace("telegram", "1", 1, "in", NOW)
    her.record_trace("telegram", "2", 2, "in", NOW)

    her.clear_traces("telegram", "1")

    assert her.traces("telegram", "1", NOW - timedelta(days=1)) == []
    assert her.traces("telegram", "2", NOW - timedelta(days=1)) == [2]


def test_purge_drops_what_is_older_than_the_cut(her: Store) -> None:
    her.record_trace("telegram", "1", 1, "in", NOW - timedelta(hours=49))
    her.record_trace("telegram", "2", 2, "out", NOW - timedelta(hours=48, seconds=1))
    her.record_trace("telegram", "1", 3, "in", NOW - timedelta(hours=47))

    assert her.purge_traces(NOW - timedelta(hours=48)) == 2
    assert her.purge_traces(NOW - timedelta(hours=48)) == 0
    assert her.traces("telegram", "1", NOW - timedelta(days=7)) == [3]


def test_a_trace_needs_a_known_contact(her: Store) -> None:
    her.record_trace("telegram", "404", 1, "in", NOW)
    assert her.traces("telegram", "404", NOW - timedelta(days=1)) == []


def test_direction_is_in_or_out(her: Store) -> None:
    with pytest.raises(ValueError, match="direction"):
        her.record_trace("telegram", "1", 1, "sideways", NOW)
