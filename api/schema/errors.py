"""Every GraphQL error leaves with `extensions.code`; unexpected ones leave masked.

- Errors the request itself causes (syntax, validation, limits, variables) carry no path and
  become BAD_USER_INPUT with their message.
- A PortalError raised by a service keeps its message and code (and `field`, when it names one).
- Anything else is a bug: the client sees INTERNAL with the request's correlation id, and the
  log has the same id with the stack (never the message: it can hold patient data).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from api.errors import ErrorCode, PortalError
from api.observability import current_request_id, get_logger
from api.services.problems import Problems

log = get_logger(__name__)

E = TypeVar("E")
E_co = TypeVar("E_co", covariant=True)

INTERNAL_MESSAGE = "Something went wrong on our side. Please try again; if it keeps happening, "


@strawberry.interface(description="An expected outcome a mutation reports instead of its result.")
class UserError:
    message: str = strawberry.field(description="Words to show the person who asked.")
    field: str | None = strawberry.field(
        default=None, description="The input field this is about, when it is about one."
    )


class ErrorType(Protocol[E_co]):
    """A domain's error type (`PlanError`): a UserError with that domain's `code`."""

    def __call__(self, *, code: StrEnum, message: str, field: str | None) -> E_co: ...


def errors_from(error_type: ErrorType[E], problems: Problems[Any]) -> list[E]:
    """Every problem a service raised, as the domain's typed errors, in order."""
    return [
        error_type(code=problem.code, message=problem.message, field=problem.field)
        for problem in problems.problems
    ]


def give_code(error: GraphQLError) -> None:
    """Set `extensions.code` on one error, masking it in place when it is unexpected."""
    original = error.original_error
    if isinstance(original, PortalError):
        extensions: dict[str, object] = {"code": original.code.value}
        if original.field:
            extensions["field"] = original.field
        retry_after = getattr(original, "retry_after_seconds", None)
        if retry_after is not None:
            extensions["retryAfterSeconds"] = retry_after
        _rewrite(error, original.message, extensions)
        return
    if error.path is None and (original is None or isinstance(original, GraphQLError)):
        _rewrite(error, error.message, {"code": ErrorCode.BAD_USER_INPUT.value})
        return
    correlation_id = current_request_id()
    log.error(
        "graphql.unexpected_error",
        correlation_id=correlation_id,
        path=".".join(str(part) for part in error.path or ()),
        error=original or error,
    )
    message = f"{INTERNAL_MESSAGE}quote reference {correlation_id}."
    _rewrite(error, message, {"code": ErrorCode.INTERNAL.value, "correlationId": correlation_id})


def _rewrite(error: GraphQLError, message: str, extensions: dict[str, object]) -> None:
    error.message = message
    error.args = (message,)
    error.extensions = extensions
    error.original_error = None


class CodedErrorsSchema(strawberry.Schema):
    """strawberry.Schema whose errors all leave coded, and are logged only by us.

    `process_errors` is the one hook strawberry calls for every result on every path (parse,
    validation, execution; HTTP and WebSocket). Its default logs each error with its message
    and traceback, which could put patient data in the log: replaced here.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            give_code(error)
