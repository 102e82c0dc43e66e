"""RedisBroker against a real Redis: workers hear each other, and a worker's subscribers
share one pub/sub connection. Needs PORTAL_TEST_REDIS_URL."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
import redis.asyncio as redis

from api.realtime.broker import Event, Subscription
from api.realtime.redis import RedisBroker

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(
    REDIS_URL is None, reason="set PORTAL_TEST_REDIS_URL to run the Redis broker tests"
)


@pytest.fixture
def channel() -> str:
    return f"relief:test:{uuid.uuid4().hex}"  # no other test (or run) hears these


@pytest.fixture
async def brokers(channel: str) -> AsyncIterator[tuple[RedisBroker, RedisBroker]]:
    assert REDIS_URL is not None
    first, second = RedisBroker(REDIS_URL, channel), RedisBroker(REDIS_URL, channel)
    await first.start()
    await second.start()
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def _next(subscription: Subscription) -> Event:
    return await asyncio.wait_for(subscription.queue.get(), timeout=5)


async def test_two_workers_deliver_to_each_others_subscribers(
    brokers: tuple[RedisBroker, RedisBroker],
) -> None:
    first, second = brokers
    async with (
        first.subscribe("user:1:notifications") as on_first,
        second.subscribe("user:1:notifications", "user:2:notifications") as on_second,
    ):
        await first.publish([Event("user:2:notifications", {"notification_id": 7})])
        await second.publish([Event("user:1:notifications", {"notification_id": 8})])
        assert await _next(on_second) == Event("user:2:notifications", {"notification_id": 7})
        assert await _next(on_second) == Event("user:1:notifications", {"notification_id": 8})
        assert await _next(on_first) == Event("user:1:notifications", {"notification_id": 8})
        assert on_first.queue.empty()


async def test_a_hundred_subscriptions_share_one_redis_connection(
    brokers: tuple[RedisBroker, RedisBroker], channel: str
) -> None:
    first, second = brokers
    assert REDIS_URL is not None
    probe = redis.Redis.from_url(REDIS_URL)
    try:
        async with AsyncExitStack() as stack:
            subscriptions = [
                await stack.enter_async_context(first.subscribe(f"user:{n}:notifications"))
                for n in range(100)
            ]
            # One listener per broker (worker): two, however many subscribe.
            assert await probe.pubsub_numsub(channel) == [(channel.encode(), 2)]
            await second.publish([Event(f"user:{n}:notifications", {}) for n in range(100)])
            for n, subscription in enumerate(subscriptions):
                assert (await _next(subscription)).topic == f"user:{n}:notifications"
    finally:
        await probe.aclose()
