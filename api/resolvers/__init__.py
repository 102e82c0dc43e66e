"""Composes the root Query (and, as domains add them, Mutation and Subscription)."""

from __future__ import annotations

import strawberry

from api.resolvers.accounts import AccountsQuery
from api.resolvers.system import SystemQuery
from api.schema.accounts import User


@strawberry.type
class Query(SystemQuery, AccountsQuery):
    pass


# Node types the schema must know even where no field returns them by name.
NODE_TYPES: tuple[type, ...] = (User,)
