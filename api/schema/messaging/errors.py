"""Typed errors of messaging mutations: every problem of an input, each with its field."""

from __future__ import annotations

import strawberry

from api.schema.errors import UserError, errors_from
from api.schema.messaging.enums import MessagingErrorCode
from api.services.messaging.errors import MessagingProblems


@strawberry.type(description="One problem with a message or thread, with the field it is about.")
class MessagingError(UserError):
    code: MessagingErrorCode  # type: ignore[valid-type]


@strawberry.type(description="A messaging change did not happen; every problem is listed.")
class MessagingErrors:
    errors: list[MessagingError]

    @classmethod
    def from_problems(cls, problems: MessagingProblems) -> MessagingErrors:
        return cls(errors=errors_from(MessagingError, problems))
