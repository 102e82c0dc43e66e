"""Expected outcomes of progress operations: a stable code and the input field each is about
(`value`, `answers[3]`), so a form can show every problem next to its field at once."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias

from api.services import problems


class ProgressErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    NOT_ALLOWED = "NOT_ALLOWED"  # a field this kind of metric does not take
    OUT_OF_RANGE = "OUT_OF_RANGE"
    NOT_WHOLE_NUMBER = "NOT_WHOLE_NUMBER"
    INVALID_STEP = "INVALID_STEP"  # an MMT grade between the half steps
    INVALID_UNIT = "INVALID_UNIT"
    INVALID_SIDE = "INVALID_SIDE"
    INVALID_METHOD = "INVALID_METHOD"
    INVALID_ID = "INVALID_ID"
    INVALID_TEXT = "INVALID_TEXT"
    TOO_LONG = "TOO_LONG"
    DATE_IN_FUTURE = "DATE_IN_FUTURE"
    DATE_TOO_EARLY = "DATE_TOO_EARLY"
    TIME_ZONE_REQUIRED = "TIME_ZONE_REQUIRED"
    TARGET_BEFORE_BASELINE = "TARGET_BEFORE_BASELINE"
    INVALID_RANGE = "INVALID_RANGE"  # a custom metric whose minimum is above its maximum
    UNKNOWN_DEFINITION = "UNKNOWN_DEFINITION"
    UNKNOWN_PLAN = "UNKNOWN_PLAN"
    NOT_SELF_REPORTED = "NOT_SELF_REPORTED"  # a kind only the care team measures
    GOAL_CLOSED = "GOAL_CLOSED"
    INVALID_ANSWER = "INVALID_ANSWER"
    MISSING_ANSWERS = "MISSING_ANSWERS"
    ACTIVITIES_MISMATCH = "ACTIVITIES_MISMATCH"


Problem: TypeAlias = problems.Problem[ProgressErrorCode]


class ProgressProblems(problems.Problems[ProgressErrorCode]):
    """Raised by progress services; resolvers return the problems as typed errors."""

    def summary(self) -> str:
        return f"{len(self.problems)} problem(s) with the progress input"


fail = ProgressProblems.one
