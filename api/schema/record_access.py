"""Writes the record-access log: once a request has run (one statement), and after each event
a subscription sends (a subscription's operation "ends" before its first event)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeVar

from strawberry.extensions import SchemaExtension

from api.context import Context
from api.observability import get_logger
from api.services import audit

log = get_logger(__name__)
T = TypeVar("T")


class RecordAccessExtension(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if isinstance(context, Context):
            await write_record_access(context)


async def audited(context: Context, items: AsyncIterator[T]) -> AsyncIterator[T]:
    """A subscription's items, each one's record reads written once it has been sent.

    The generator resumes only when the next item is asked for, which is after the previous one
    was resolved and sent, so its reads are complete then; the last item's reads are written
    when the subscription ends.
    """
    try:
        async for item in items:
            yield item
            await write_record_access(context)
    finally:
        await write_record_access(context)


async def write_record_access(context: Context) -> None:
    records = context.record_access.drain()
    if not records:
        return
    scope = await context.scope()
    client = context.client
    entries = [
        audit.RecordAccessEntry(
            actor_user_id=scope.viewer.user_id,
            actor_role=scope.actor_role(record.patient_id).value,
            patient_id=record.patient_id,
            resource=record.resource,
            resource_id=record.resource_id,
            action=record.action.value,
            ip=client.ip or None,
            session_id=scope.viewer.session_id,
            request_id=context.request_id,
            emergency_access_id=scope.emergency_access_id(record.patient_id),
        )
        for record in records
    ]
    try:
        await audit.record_accesses(entries)
    except Exception:  # the answer is already computed; the failure must be seen, loudly
        log.exception("audit.record_access_failed", records=len(entries))
