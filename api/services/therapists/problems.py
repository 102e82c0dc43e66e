"""Expected outcomes of directory and care-team changes: a stable code and the field it is about.

Checks collect every problem of an input before anything is written, so a form can show them
all at once; `Problems.raise_if_any` then stops the change.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias

from api.services import problems


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


Problem: TypeAlias = problems.Problem[TherapistErrorCode]


class TherapistProblems(problems.Problems[TherapistErrorCode]):
    """Raised by the directory and care-team services; resolvers return them as typed errors."""


fail = TherapistProblems.one


class Problems(problems.Collector[TherapistErrorCode]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(TherapistProblems)
