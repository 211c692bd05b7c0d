"""Group commit: alone at once, together under load, and one failure stays one failure."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from bot.runtime.batches import Batches


class Doubler:
    """Doubles numbers; refuses 13; remembers the batches it was given."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, numbers: Sequence[int]) -> list[int | Exception]:
        self.release.wait(5)
        self.batches.append(list(numbers))
        return [ValueError("13 is refused") if n == 13 else 2 * n for n in numbers]


async def test_one_item_alone_is_worked_on_at_once() -> None:
    work = Doubler()
    assert await Batches(work).run(21) == 42
    assert work.batches == [[21]]


async def test_what_arrives_while_a_batch_is_under_way_goes_in_the_next_one_together() -> None:
    work = Doubler()
    batches = Batches(work)
    work.release.clear()
    first = asyncio.create_task(batches.run(1))
    await asyncio.sleep(0.05)  # the first batch is now in the worker thread, held
    rest = [asyncio.create_task(batches.run(n)) for n in range(2, 7)]
    await asyncio.sleep(0.05)
    work.release.set()

    assert await asyncio.gather(first, *rest) == [2, 4, 6, 8, 10, 12]
    assert work.batches == [[1], [2, 3, 4, 5, 6]]


async def test_a_batch_never_grows_beyond_its_limit() -> None:
    work = Doubler()
    batches = Batches(work, limit=4)
    results = await asyncio.gather(*(batches.run(n) for n in range(10)))
    assert results == [2 * n for n in range(10)]
    assert max(len(batch) for batch in work.batches) <= 4


async def test_a_failing_item_fails_alone() -> None:
    batches = Batches(Doubler())
    results = await asyncio.gather(batches.run(12), batches.run(13), batches.run(14), return_exceptions=True)
    assert results[0] == 24 and results[2] == 28
    assert isinstance(results[1], ValueError)


async def test_when_the_work_itself_fails_every_waiting_item_hears_it_and_the_next_batch_runs() -> None:
    calls: list[int] = []

    def flaky(numbers: Sequence[int]) -> list[int | Exception]:
        calls.append(len(numbers))
        if len(calls) == 1:
            raise ConnectionError("the database is gone")
        return list(numbers)

    batches = Batches(flaky)
    with pytest.raises(ConnectionError):
        await batches.run(1)
    assert await batches.run(2) == 2


async def test_a_caller_who_gives_up_does_not_break_the_batch() -> None:
    work = Doubler()
    batches = Batches(work)
    work.release.clear()
    impatient = asyncio.create_task(batches.run(1))
    patient = asyncio.create_task(batches.run(2))
    await asyncio.sleep(0.05)
    impatient.cancel()
    work.release.set()
    assert await patient == 4
    assert impatient.cancelled()
