"""Publishing after commit: a service says what happened; the event leaves once it is true.

Services open their transactions with `transaction()` (not Tortoise's `in_transaction`
directly) and call `publish_after_commit` anywhere inside, however deep. The outermost
`transaction()` publishes what was gathered once its commit succeeded and drops it on rollback
(a nested one drops what it gathered when its savepoint rolls back), so a subscriber never
hears of a row it cannot read yet. Outside any transaction the statement
has already committed, and the event goes at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from api.observability import get_logger
from api.realtime.broker import Event, Message, get_broker

log = get_logger(__name__)
_pending: ContextVar[list[Event] | None] = ContextVar("relief_pending_events", default=None)


@asynccontextmanager
async def transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """`in_transaction()` that publishes the events gathered inside after the outermost commit."""
    outer = _pending.get()
    if outer is not None:  # nested: the outermost transaction publishes
        mark = len(outer)
        try:
            async with in_transaction() as connection:
                yield connection
        except BaseException:
            # Its savepoint was rolled back: what it gathered did not happen, even when the
            # caller catches the error and the outer transaction commits.
            del outer[mark:]
            raise
        return
    gathered: list[Event] = []
    token = _pending.set(gathered)
    try:
        async with in_transaction() as connection:
            yield connection
    finally:
        _pending.reset(token)
    await publish(gathered)  # reached only when the commit succeeded


async def publish_after_commit(topic: str, message: Message) -> None:
    gathered = _pending.get()
    if gathered is not None:
        gathered.append(Event(topic, message))
        return
    await publish([Event(topic, message)])


async def publish(events: list[Event]) -> None:
    """Never raises: the rows are stored, so a lost event costs only latency."""
    if not events:
        return
    try:
        await get_broker().publish(events)
    except Exception as error:
        log.warning("publish_failed", events=len(events), error=error)
