"""Writes the request's record-access log once execution has finished (one statement)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from api.context import Context
from api.observability import get_logger
from api.services import audit

log = get_logger(__name__)


class RecordAccessExtension(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if not isinstance(context, Context):
            return
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
            )
            for record in records
        ]
        try:
            await audit.record_accesses(entries)
        except Exception:  # the answer is already computed; the failure must be seen, loudly
            log.exception("audit.record_access_failed", records=len(entries))
