"""Group commit: work that arrives while a batch is under way waits and goes with the next one.

A turn that comes alone is done at once, as before. Under load, the turns that arrive together
share one trip to the database thread and one transaction instead of each paying for its own;
the batch grows with the load, and nobody waits for a timer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

Work = Callable[[Sequence[Item]], Sequence[Result | Exception]]


class Batches(Generic[Item, Result]):
    """Runs `work` in a worker thread on lists of items; `work` answers each item in order, with its
    result or the exception that belongs to that item alone. When `work` itself raises (one item's
    data broke the shared transaction, or the database is gone), each item is tried again alone, so
    one woman's bad turn never fails another's; `work` must undo all it did when it raises."""

    def __init__(self, work: Work[Item, Result], *, limit: int = 64) -> None:
        self._work = work
        self._limit = limit
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def run(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._waiting.append((item, future))
        if self._worker is None or self._worker.done() or self._worker.get_loop() is not loop:
            self._worker = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._limit], self._waiting[self._limit :]
            items = [item for item, _ in batch]
            try:
                results = await asyncio.to_thread(self._work, items)
            except Exception as error:
                results = await self._alone(items) if len(items) > 1 else [error]
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():  # its caller gave up waiting
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    async def _alone(self, items: list[Item]) -> list[Result | Exception]:
        results: list[Result | Exception] = []
        for item in items:
            try:
                results.extend(await asyncio.to_thread(self._work, [item]))
            except Exception as error:
                results.append(error)
        return results
