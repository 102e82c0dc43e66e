"""The outbox query (admins only)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.context import Info
from api.schema.outbox import OutboxMail
from api.schema.relay import connection_from_page
from api.services import outbox


@strawberry.type
class OutboxQuery:
    @strawberry.field(description="Mail we sent or will send, newest first (admins only).")
    async def outbox(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        unsent_only: bool = False,
    ) -> relay.Connection[OutboxMail]:
        page = await outbox.list_mail(
            await info.context.scope(),
            unsent_only=unsent_only,
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, OutboxMail.from_model)
