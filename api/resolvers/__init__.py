"""Composes the root Query and Mutation (and, as domains add them, Subscription)."""

from __future__ import annotations

import strawberry

from api.resolvers.accounts import AccountsMutation, AccountsQuery
from api.resolvers.outbox import OutboxQuery
from api.resolvers.system import SystemQuery
from api.schema.accounts import AccountError, AccountSession, LoginAttempt, User
from api.schema.outbox import OutboxMail


@strawberry.type
class Query(SystemQuery, AccountsQuery, OutboxQuery):
    pass


@strawberry.type
class Mutation(AccountsMutation):
    pass


# Types the schema must know even where no field returns them by name.
NODE_TYPES: tuple[type, ...] = (User, LoginAttempt, AccountSession, AccountError, OutboxMail)
