"""Typed errors of progress mutations: every problem of an input, each with its field."""

from __future__ import annotations

import strawberry

from api.schema.errors import UserError, errors_from
from api.schema.progress.enums import ProgressErrorCode
from api.services.progress.errors import ProgressProblems


@strawberry.type(description="One problem with a progress operation, with the field it is about.")
class ProgressError(UserError):
    code: ProgressErrorCode  # type: ignore[valid-type]


@strawberry.type(description="A progress operation did not happen; every problem is listed.")
class ProgressErrors:
    errors: list[ProgressError]

    @classmethod
    def from_problems(cls, problems: ProgressProblems) -> ProgressErrors:
        return cls(errors=errors_from(ProgressError, problems))
