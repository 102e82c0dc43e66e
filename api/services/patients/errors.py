"""Expected outcomes of profile edits: each problem has a stable code and the field path it is
about (`medications[2].dose`), so a form can show every problem next to its field at once."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias

from api.services import problems


class PatientProfileErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_MANY = "TOO_MANY"
    INVALID_TEXT = "INVALID_TEXT"  # control characters
    DATE_IN_FUTURE = "DATE_IN_FUTURE"
    DATE_TOO_EARLY = "DATE_TOO_EARLY"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_TIME_ZONE = "INVALID_TIME_ZONE"
    INVALID_LANGUAGE = "INVALID_LANGUAGE"
    INVALID_COUNTRY = "INVALID_COUNTRY"
    MULTIPLE_PRIMARY_CONTACTS = "MULTIPLE_PRIMARY_CONTACTS"
    SELF_PAY_CONFLICT = "SELF_PAY_CONFLICT"


Problem: TypeAlias = problems.Problem[PatientProfileErrorCode]


class PatientProblems(problems.Problems[PatientProfileErrorCode]):
    """Raised by profile services; resolvers return the problems as typed errors."""

    def summary(self) -> str:
        return f"{len(self.problems)} problem(s) with the profile edit"
