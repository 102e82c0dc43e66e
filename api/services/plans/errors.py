"""Expected outcomes of plan operations, each with a stable code and the field it is about."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias

from api.services import problems


class PlanErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    TOO_MANY = "TOO_MANY"
    INVALID_WEEK_RANGE = "INVALID_WEEK_RANGE"
    PHASES_OVERLAP = "PHASES_OVERLAP"
    PHASES_OUT_OF_ORDER = "PHASES_OUT_OF_ORDER"
    AMOUNT_REQUIRED = "AMOUNT_REQUIRED"
    INVALID_ID = "INVALID_ID"
    EXERCISE_NOT_FOUND = "EXERCISE_NOT_FOUND"
    EXERCISE_ARCHIVED = "EXERCISE_ARCHIVED"
    NO_VARIANT = "NO_VARIANT"
    NO_THERAPIST = "NO_THERAPIST"
    PLAN_COMPLETED = "PLAN_COMPLETED"
    NOT_DRAFT = "NOT_DRAFT"
    NOT_ACTIVE = "NOT_ACTIVE"
    EMPTY_PLAN = "EMPTY_PLAN"
    PHASE_HAS_LOGS = "PHASE_HAS_LOGS"
    PRESCRIPTION_REMOVED = "PRESCRIPTION_REMOVED"
    DATE_IN_FUTURE = "DATE_IN_FUTURE"
    BEFORE_PLAN_START = "BEFORE_PLAN_START"
    TOO_FAR_BACK = "TOO_FAR_BACK"


Problem: TypeAlias = problems.Problem[PlanErrorCode]


class PlanProblems(problems.Problems[PlanErrorCode]):
    """Raised by plan services; resolvers return the problems as typed errors."""


fail = PlanProblems.one
raise_if_any = PlanProblems.raise_if_any
