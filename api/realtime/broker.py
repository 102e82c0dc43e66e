"""One interface for live events, whatever carries them between workers.

`MemoryBroker` serves one process (the embedded default). `RedisBroker` (api/realtime/redis.py)
publishes to one Redis channel and keeps one listener per worker that fans each message out
to this worker's local subscribers: never one Redis connection per subscription.

An event is a topic (see api/realtime/topics.py) and a small JSON object naming rows, never
their content: a subscriber loads the row through its own access scope before it sends it,
and rows are stored, so an event lost on the way costs only latency (a reconnecting client
asks for what it missed with a cursor).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

from api.observability import get_logger
from api.settings import Settings

log = get_logger(__name__)

Message = dict[str, object]
# A subscriber that falls this far behind loses the oldest events (and is told, see Lagged).
SUBSCRIBER_QUEUE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Event:
    topic: str
    message: Message


@dataclass(slots=True, eq=False)  # hashed by identity: the hub keeps them in sets
class Subscription:
    """What one subscriber receives: events of its topics, in order, from one worker's hub."""

    topics: frozenset[str]
    queue: asyncio.Queue[Event] = field(
        default_factory=lambda: asyncio.Queue(maxsize=SUBSCRIBER_QUEUE_SIZE)
    )
    lagged: bool = False  # events were dropped: the subscriber should re-read from the store

    def offer(self, event: Event) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.lagged = True
        self.queue.put_nowait(event)

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._events()

    async def _events(self) -> AsyncIterator[Event]:
        while True:
            yield await self.queue.get()


class LocalHub:
    """This worker's subscribers by topic; `deliver` hands an event to each of them."""

    def __init__(self) -> None:
        self._by_topic: dict[str, set[Subscription]] = defaultdict(set)

    def add(self, subscription: Subscription) -> None:
        for topic in subscription.topics:
            self._by_topic[topic].add(subscription)

    def remove(self, subscription: Subscription) -> None:
        for topic in subscription.topics:
            subscribers = self._by_topic.get(topic)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._by_topic[topic]

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        """Registered on entry, removed on exit, whatever ends the subscriber."""
        subscription = Subscription(frozenset(topics))
        self.add(subscription)
        try:
            yield subscription
        finally:
            self.remove(subscription)

    def deliver(self, event: Event) -> None:
        for subscription in tuple(self._by_topic.get(event.topic, ())):
            subscription.offer(event)

    @property
    def subscriber_count(self) -> int:
        return len({id(s) for subs in self._by_topic.values() for s in subs})


class Broker(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, events: list[Event]) -> None:
        """Sends events to every worker's subscribers. Call it after the commit."""

    def subscribe(self, *topics: str) -> AbstractAsyncContextManager[Subscription]:
        """`async with broker.subscribe(...) as events:` receives from now until exit."""


class MemoryBroker:
    """One process: publishing is handing the event to this worker's hub."""

    def __init__(self) -> None:
        self.hub = LocalHub()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, events: list[Event]) -> None:
        for event in events:
            self.hub.deliver(event)

    def subscribe(self, *topics: str) -> AbstractAsyncContextManager[Subscription]:
        return self.hub.subscribe(*topics)


def broker_for(settings: Settings) -> Broker:
    """Redis when PORTAL_REDIS_URL is set (several workers), else this process alone."""
    if settings.redis_url is not None:
        from api.realtime.redis import RedisBroker  # only deployments with Redis import it

        return RedisBroker(settings.redis_url, settings.redis_channel)
    return MemoryBroker()


_current: Broker = MemoryBroker()


def get_broker() -> Broker:
    return _current


def set_broker(broker: Broker) -> None:
    """The app's lifespan installs the configured broker (and a memory one after it closes)."""
    global _current
    _current = broker
