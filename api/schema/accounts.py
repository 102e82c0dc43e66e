"""Accounts as the API shows them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Info
from api.models import accounts as models
from api.schema.relay import database_keys

Role = strawberry.enum(
    models.Role, description="What a user may act as; one user may hold several."
)


@strawberry.type(description="A person who can sign in. Readable by that person and by admins.")
class User(relay.Node):
    id: relay.NodeID[int]
    email: str
    display_name: str
    is_active: bool
    created_at: datetime

    @strawberry.field(description="The roles this account holds.")
    async def roles(self, info: Info) -> list[Role]:  # type: ignore[valid-type]
        roles: list[models.Role] = await info.context.loaders.roles_by_user_id.load(self.id)
        return roles

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            is_active=user.is_active,
            created_at=user.created_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[User | None]:
        scope = await info.context.scope()
        # Ids the viewer may not read are dropped before any SQL: they answer null, like ids
        # that do not exist.
        keys = [
            key if key is not None and scope.can_read_user(key) else None
            for key in database_keys(node_ids)
        ]
        found = await info.context.loaders.user_by_id.load_many([k for k in keys if k is not None])
        users = iter(found)
        results: list[User | None] = []
        for key in keys:
            user: models.User | None = next(users) if key is not None else None
            results.append(cls.from_model(user) if user is not None else None)
        return results
