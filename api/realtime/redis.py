"""Redis pub/sub between workers: one channel, one listener per worker, local fan-out.

Every worker publishes to one channel and keeps one subscribed connection; what arrives is
handed to this worker's `LocalHub`, which knows the subscriptions by topic. So a thousand
subscribers on a worker cost one Redis connection, not a thousand. Redis pub/sub is
at-most-once: a message published while a worker reconnects is lost to it. That is
acceptable because every event names a stored row, and clients catch up with a cursor.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager, suppress

import orjson
import redis.asyncio as redis

from api.observability import get_logger
from api.realtime.broker import Event, LocalHub, Subscription

log = get_logger(__name__)

CHANNEL = "relief:events"
RECONNECT_DELAY_SECONDS = 1.0


class RedisBroker:
    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        self.url = url
        self.channel = channel
        self.hub = LocalHub()
        self._client: redis.Redis = redis.Redis.from_url(url)
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen(), name="redis-broker-listener")
        # Subscribed before the worker serves: an event published after start() reaches it.
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
        await self._client.aclose()

    async def publish(self, events: list[Event]) -> None:
        async with self._client.pipeline(transaction=False) as pipe:
            for event in events:
                pipe.publish(self.channel, orjson.dumps({"t": event.topic, "m": event.message}))
            await pipe.execute()

    def subscribe(self, *topics: str) -> AbstractAsyncContextManager[Subscription]:
        return self.hub.subscribe(*topics)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._client.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    self._ready.set()
                    async for raw in pubsub.listen():
                        self._deliver(raw)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis went away: keep the worker up, reconnect
                log.warning("redis_broker_disconnected", error=type(error).__name__)
                await asyncio.sleep(RECONNECT_DELAY_SECONDS)

    def _deliver(self, raw: object) -> None:
        if not isinstance(raw, dict) or raw.get("type") != "message":
            return
        try:
            decoded = orjson.loads(raw["data"])
            topic, message = decoded["t"], decoded["m"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            log.warning("redis_broker_bad_message")
            return
        if isinstance(topic, str) and isinstance(message, dict):
            self.hub.deliver(Event(topic, message))
