"""Errors that cross layers: services raise them, the GraphQL layer gives each its code.

Expected business outcomes of a mutation are *not* raised: they are typed results in the
schema (see ``api.schema.errors.UserError``). These exceptions are for the request-level
outcomes that every API shares.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The value of ``extensions.code`` on every GraphQL error."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL = "INTERNAL"


class PortalError(Exception):
    """An outcome the client is told about in words, with a stable code."""

    code: ErrorCode = ErrorCode.INTERNAL
    default_message = "Something went wrong."

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.field = field


class Unauthenticated(PortalError):
    code = ErrorCode.UNAUTHENTICATED
    default_message = "Please sign in."


class Forbidden(PortalError):
    code = ErrorCode.FORBIDDEN
    default_message = "You do not have access to this."


class NotFound(PortalError):
    code = ErrorCode.NOT_FOUND
    default_message = "Not found."


class BadUserInput(PortalError):
    code = ErrorCode.BAD_USER_INPUT
    default_message = "The request is not valid."


class RateLimited(PortalError):
    code = ErrorCode.RATE_LIMITED
    default_message = "Too many attempts. Please wait a moment and try again."

    def __init__(self, message: str | None = None, *, retry_after_seconds: int = 60) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
