"""Reads for live events, shared by the subscribers of one worker.

One event reaches many subscribers of a worker at the same moment (a broadcast reaches a
thousand of them), and each re-reads its row before it sends. Reads made in the same tick are
folded into one statement by a worker-wide DataLoader. It has no cache: every event must see
the rows as committed now, and access is still checked per subscriber on the rows returned.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Generic, TypeVar

from aiodataloader import DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
# Large enough for a broadcast, small enough for one IN (...) list on every database.
MAX_BATCH = 1000


class SharedReads(Generic[K, V]):
    def __init__(self, batch: Callable[[list[K]], Awaitable[Sequence[V]]]) -> None:
        self._batch = batch
        self._loaders: dict[asyncio.AbstractEventLoop, DataLoader[K, V]] = {}

    async def load(self, key: K) -> V:
        loop = asyncio.get_running_loop()
        loader = self._loaders.get(loop)
        if loader is None:
            # A DataLoader belongs to one event loop (tests run several, one after another).
            self._loaders = {
                loop: DataLoader(self._load_many, cache=False, max_batch_size=MAX_BATCH)
            }
            loader = self._loaders[loop]
        return await loader.load(key)

    async def _load_many(self, keys: list[K]) -> list[V]:
        return list(await self._batch(keys))
