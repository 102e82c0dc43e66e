"""Events leave only after the commit that makes them true, and never after a rollback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.models.jobs import Job
from api.realtime.broker import Event, MemoryBroker, get_broker, set_broker
from api.realtime.events import publish_after_commit, transaction
from api.services import jobs


class Recording(MemoryBroker):
    def __init__(self) -> None:
        super().__init__()
        self.published: list[Event] = []

    async def publish(self, events: list[Event]) -> None:
        self.published.extend(events)


@pytest.fixture
def recording() -> Iterator[Recording]:
    previous = get_broker()
    broker = Recording()
    set_broker(broker)
    yield broker
    set_broker(previous)


async def test_events_wait_for_the_outermost_commit(database: None, recording: Recording) -> None:
    async with transaction():
        await publish_after_commit("a", {"n": 1})
        async with transaction():  # nested: a savepoint, not a commit
            await publish_after_commit("b", {"n": 2})
        assert recording.published == []
        assert await Job.all().count() == 0
    assert [event.topic for event in recording.published] == ["a", "b"]


async def test_a_rollback_drops_the_events_and_the_jobs(
    database: None, recording: Recording
) -> None:
    async def failing_change() -> None:
        async with transaction():
            await jobs.enqueue("test.never", {"n": 1})
            await publish_after_commit("a", {"n": 1})
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        await failing_change()
    assert recording.published == []
    assert await Job.all().count() == 0
    # The next transaction starts with nothing gathered.
    async with transaction():
        await publish_after_commit("b", {"n": 2})
    assert [event.topic for event in recording.published] == ["b"]


async def test_outside_a_transaction_an_event_goes_at_once(
    database: None, recording: Recording
) -> None:
    await publish_after_commit("now", {})
    assert [event.topic for event in recording.published] == ["now"]


async def test_a_failing_broker_does_not_fail_the_committed_change(database: None) -> None:
    class Broken(MemoryBroker):
        async def publish(self, events: list[Event]) -> None:
            raise ConnectionError("redis is down")

    previous = get_broker()
    set_broker(Broken())
    try:
        async with transaction():
            await jobs.enqueue("test.kept", {})
            await publish_after_commit("lost", {})
    finally:
        set_broker(previous)
    assert await Job.filter(kind="test.kept").count() == 1


async def test_a_rolled_back_nested_transaction_drops_only_its_own_events(
    database: None, recording: Recording
) -> None:
    async def failing_part() -> None:
        async with transaction():  # a savepoint, rolled back; the caller carries on
            await jobs.enqueue("test.undone", {})
            await publish_after_commit("undone", {})
            raise RuntimeError("this part failed")

    async with transaction():
        await publish_after_commit("kept", {})
        with pytest.raises(RuntimeError):
            await failing_part()
        await publish_after_commit("after", {})
    assert [event.topic for event in recording.published] == ["kept", "after"]
    assert await Job.filter(kind="test.undone").count() == 0
