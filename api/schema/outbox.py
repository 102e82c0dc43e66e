"""Mail as admins see it in the outbox (delivery state and text: it may hold live links)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Info
from api.models.outbox import OutboxMail as OutboxMailModel
from api.schema.relay import database_keys
from api.services import outbox


@strawberry.type(description="A mail we sent or will send. Admins only.")
class OutboxMail(relay.Node):
    id: relay.NodeID[int]
    to_address: str
    template: str
    subject: str
    text_body: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str

    @classmethod
    def from_model(cls, row: OutboxMailModel) -> OutboxMail:
        return cls(
            id=row.id,
            to_address=row.to_address,
            template=row.template,
            subject=row.subject,
            text_body=row.text_body,
            created_at=row.created_at,
            sent_at=row.sent_at,
            attempts=row.attempts,
            last_error=row.last_error,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[OutboxMail | None]:
        scope = await info.context.scope()
        keys = list(database_keys(node_ids))
        if not scope.is_admin:
            return [None for _ in keys]
        rows = await outbox.by_ids([key for key in keys if key is not None])
        return [cls.from_model(rows[key]) if key in rows else None for key in keys]
