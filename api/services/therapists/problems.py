"""Expected outcomes of directory and care-team changes: a stable code and the field it is about.

Checks collect every problem of an input before anything is written, so a form can show them
all at once; `Problems.raise_if_any` then stops the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class TherapistErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_MANY = "TOO_MANY"
    INVALID_TEXT = "INVALID_TEXT"  # control characters
    INVALID_ID = "INVALID_ID"
    DUPLICATE = "DUPLICATE"
    INVALID_LANGUAGE = "INVALID_LANGUAGE"
    UNKNOWN_LOCATION = "UNKNOWN_LOCATION"
    UNKNOWN_USER = "UNKNOWN_USER"
    NOT_A_THERAPIST = "NOT_A_THERAPIST"
    ALREADY_A_THERAPIST = "ALREADY_A_THERAPIST"
    INVALID_TIME_ZONE = "INVALID_TIME_ZONE"
    INVALID_COUNTRY = "INVALID_COUNTRY"
    INVALID_PHONE = "INVALID_PHONE"
    UNKNOWN_THERAPIST = "UNKNOWN_THERAPIST"
    NOT_ON_CARE_TEAM = "NOT_ON_CARE_TEAM"


@dataclass(frozen=True, slots=True)
class Problem:
    code: TherapistErrorCode
    message: str
    field: str | None = None


class TherapistProblems(Exception):
    """Raised by the directory and care-team services; resolvers return them as typed errors."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = tuple(problems)


def fail(code: TherapistErrorCode, message: str, field: str | None = None) -> TherapistProblems:
    return TherapistProblems([Problem(code, message, field)])


@dataclass(slots=True)
class Problems:
    found: list[Problem] = field(default_factory=list)

    def add(self, code: TherapistErrorCode, message: str, field: str | None) -> None:
        self.found.append(Problem(code, message, field))

    def raise_if_any(self) -> None:
        if self.found:
            raise TherapistProblems(self.found)
