"""Many threads at once (as under a busy webhook): no lost updates, no duplicates, no errors."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TypeVar

from bot.store import Store
from bot.store.store import Saving

T = TypeVar("T")
WORKERS = 8


def _at_once(count: int, job: Callable[[int], T]) -> list[T]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(job, range(count)))


def test_a_redelivered_update_is_new_exactly_once(store: Store) -> None:
    results = _at_once(40, lambda _: store.mark_update(42, date(2025, 11, 25)))
    assert results.count(True) == 1


def test_concurrent_first_messages_make_one_contact(store: Store) -> None:
    _at_once(40, lambda n: store.save("telegram", "1", language="ar", consent=True, state={"n": n}))

    loaded = store.load("telegram", "1")
    assert loaded is not None and loaded.state is not None and 0 <= loaded.state["n"] < 40
    assert store.forget("telegram", "1") is True
    assert store.load("telegram", "1") is None


def test_concurrent_counts_lose_nothing(store: Store) -> None:
    _at_once(60, lambda n: store.count_source(f"flyer-{n % 3}", "2025-11"))
    assert store.source_counts() == {(f"flyer-{n}", "2025-11"): 20 for n in range(3)}


def test_many_contacts_in_parallel_keep_their_own_state(store: Store) -> None:
    def converse(n: int) -> None:
        for step in range(3):
            store.save("web", f"c{n}", language="tr", consent=True, state={"who": n, "step": step})
            assert store.load("web", f"c{n}") is not None

    _at_once(24, converse)
    for n in range(24):
        loaded = store.load("web", f"c{n}")
        assert loaded is not None and loaded.state == {"who": n, "step": 2}


def test_batches_saved_from_many_threads_at_once_lose_nobody(store: Store) -> None:
    def batch(n: int) -> None:
        store.save_many([Saving("telegram", str(n * 10 + i), "ar", True, {"n": n}) for i in range(10)])

    _at_once(20, batch)

    loaded = store.load_many([("telegram", str(number)) for number in range(200)])
    assert all(c is not None and c.state == {"n": number // 10} for number, c in enumerate(loaded))
