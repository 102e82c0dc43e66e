"""The shape of every subscription resolver: listen first, catch up, then follow live events.

`follow` subscribes to the topics *before* it reads what the client missed, so nothing that
happens in between is lost; an item seen twice (in the catch-up and live) is sent once. Each
event is loaded through `load`, which applies the subscriber's access rules and answers None
for what this subscriber may not see. When the subscriber fell so far behind that its queue
dropped events, it catches up again from the store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

from api.realtime.broker import Message, get_broker

T = TypeVar("T")


async def follow(
    topics: Sequence[str],
    *,
    load: Callable[[Message], Awaitable[T | None]],
    key: Callable[[T], int],
    catch_up: Callable[[int], Awaitable[Sequence[T]]],
    after: int | None = None,
) -> AsyncIterator[T]:
    """Items newer than `after` (when given) from the store, then live ones, in key order.

    `catch_up(k)` returns the stored items with key > k, oldest first, that the subscriber may
    see, possibly only the first page of them; `key` is an increasing id (a database id).
    """
    async with get_broker().subscribe(*topics) as subscription:
        newest = after or 0
        if after is not None:
            async for item in _caught_up(catch_up, key, after):
                newest = max(newest, key(item))
                yield item
        async for event in subscription:
            if subscription.lagged:
                subscription.lagged = False
                async for item in _caught_up(catch_up, key, newest):
                    newest = max(newest, key(item))
                    yield item
                continue
            loaded = await load(event.message)
            if loaded is None or key(loaded) <= newest:
                continue
            newest = key(loaded)
            yield loaded


async def _caught_up(
    catch_up: Callable[[int], Awaitable[Sequence[T]]], key: Callable[[T], int], after: int
) -> AsyncIterator[T]:
    """Every item after `after`, page by page: a catch-up returns a bounded page, and what a
    client missed may be longer than one."""
    while True:
        page = await catch_up(after)
        before = after
        for item in page:
            after = max(after, key(item))
            yield item
        if after == before:  # nothing (newer) left
            return
