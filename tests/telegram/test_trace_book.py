"""The trace book: message ids noted at once, written a moment later for all chats together."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pytest

from bot.channels.telegram.traces import Trace, TraceBook
from tests.telegram.conftest import MemoryStore

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within the time")


class CountingStore(MemoryStore):
    def __init__(self, failures: int = 0) -> None:
        super().__init__()
        self.writes = 0
        self.failures = failures

    def record_traces(self, channel: str, traces: Sequence[tuple[str, int, str, datetime]], /) -> None:
        self.writes += 1
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the database is away")
        super().record_traces(channel, traces)


async def test_many_chats_are_written_in_one_go_after_a_moment() -> None:
    store = CountingStore()
    book = TraceBook(store, delay=0.05)
    for chat in range(20):
        book.note(chat, [Trace(1, "in", NOW), Trace(2, "out", NOW)])
    assert store.trace_rows == []

    await until(lambda: store.writes > 0)
    await asyncio.sleep(0.05)

    assert store.writes == 1
    assert len(store.trace_rows) == 40
    assert store.traces("telegram", "7", NOW) == [1, 2]


async def test_a_failed_write_keeps_the_ids_for_the_next_one(caplog: pytest.LogCaptureFixture) -> None:
    store = CountingStore(failures=1)
    book = TraceBook(store, delay=0.01)
    book.note(5, [Trace(11, "out", NOW)])
    await until(lambda: "traces not written yet: ConnectionError" in caplog.text)
    assert store.trace_rows == []

    await book.write()

    assert store.traces("telegram", "5", NOW) == [11]


async def test_closing_writes_what_is_waiting() -> None:
    store = CountingStore()
    book = TraceBook(store, delay=60)
    book.note(3, [Trace(8, "in", NOW)])
    await book.close()
    assert store.traces("telegram", "3", NOW) == [8]


async def test_noting_nothing_starts_no_write() -> None:
    store = CountingStore()
    book = TraceBook(store, delay=0.01)
    book.note(3, [])
    await asyncio.sleep(0.05)
    assert store.writes == 0
