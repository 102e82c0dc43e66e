"""Root fields of the accounts domain."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.context import Info
from api.schema.accounts import User
from api.schema.relay import connection_from_page
from api.services import accounts


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="Every account, oldest first (admins only). At most 100 a page.")
    async def users(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> relay.Connection[User]:
        page = await accounts.list_users(
            await info.context.scope(),
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, User.from_model)
