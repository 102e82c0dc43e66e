"""Expected outcomes of account operations, each with a stable code and the field it is about."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias

from api.services import problems


class AccountErrorCode(StrEnum):
    INVALID_EMAIL = "INVALID_EMAIL"
    EMAIL_TAKEN = "EMAIL_TAKEN"
    WEAK_PASSWORD = "WEAK_PASSWORD"  # noqa: S105 (a code, not a secret)
    INVALID_NAME = "INVALID_NAME"
    INVALID_DATE_OF_BIRTH = "INVALID_DATE_OF_BIRTH"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_TIME_ZONE = "INVALID_TIME_ZONE"
    INVALID_ROLE = "INVALID_ROLE"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_DEACTIVATED = "ACCOUNT_DEACTIVATED"
    INVALID_CODE = "INVALID_CODE"
    INVALID_TOKEN = "INVALID_TOKEN"  # noqa: S105 (a code, not a secret)
    REAUTHENTICATION_FAILED = "REAUTHENTICATION_FAILED"
    TWO_FACTOR_ALREADY_ENABLED = "TWO_FACTOR_ALREADY_ENABLED"
    TWO_FACTOR_NOT_ENABLED = "TWO_FACTOR_NOT_ENABLED"
    NO_PENDING_ENROLLMENT = "NO_PENDING_ENROLLMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_VERIFIED = "ALREADY_VERIFIED"


Problem: TypeAlias = problems.Problem[AccountErrorCode]


class AccountProblems(problems.Problems[AccountErrorCode]):
    """Raised by account services; resolvers return the problems as typed errors."""


fail = AccountProblems.one
