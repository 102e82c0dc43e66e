"""Checks of plan input that need no database: texts, week ranges, phase order, dosages.

Every check returns problems instead of raising, so a form is answered with all of its
problems at once. Field paths use the GraphQL names: `phases[1].prescriptions[0].reps`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from api.services.plans.commands import AMOUNT_FIELDS, DOSAGE_FIELDS
from api.services.plans.errors import PlanErrorCode, Problem

MAX_WEEK = 104  # two years of weekly phases
MAX_PHASES = 20
MAX_PRESCRIPTIONS_PER_PHASE = 40
MAX_LOG_NOTE = 1000

# (longest length, required) of each text, by its GraphQL name.
TEXT_RULES: dict[str, tuple[int, bool]] = {
    "title": (160, True),
    "condition": (200, True),
    "goals": (4000, False),
    "expectedOutcome": (4000, False),
    "name": (120, True),
    "focus": (2000, False),
    "notes": (1000, False),
    "note": (MAX_LOG_NOTE, False),
}

DOSAGE_BOUNDS: dict[str, tuple[int, int]] = {
    "sets": (1, 20),
    "reps": (1, 100),
    "hold_seconds": (1, 600),
    "duration_seconds": (1, 7200),
    "times_per_day": (1, 6),
    "days_per_week": (1, 7),
}

GRAPHQL_NAMES: dict[str, str] = {
    "sets": "sets",
    "reps": "reps",
    "hold_seconds": "holdSeconds",
    "duration_seconds": "durationSeconds",
    "times_per_day": "timesPerDay",
    "days_per_week": "daysPerWeek",
}

_LABELS: dict[str, str] = {
    "title": "The title",
    "condition": "The condition",
    "goals": "The goals",
    "expectedOutcome": "The expected outcome",
    "name": "The name",
    "focus": "The focus",
    "notes": "The notes",
    "note": "The note",
    "sets": "Sets",
    "reps": "Reps",
    "hold_seconds": "The hold",
    "duration_seconds": "The duration",
    "times_per_day": "Times a day",
    "days_per_week": "Days a week",
}


def at(prefix: str, name: str) -> str:
    """The path of field `name` inside the object at `prefix` ("" for the input itself)."""
    return f"{prefix}.{name}" if prefix else name


def check_text(value: str, name: str, prefix: str = "") -> list[Problem]:
    limit, required = TEXT_RULES[name]
    label = _LABELS[name]
    if required and not value.strip():
        return [Problem(PlanErrorCode.REQUIRED, f"{label} is required.", at(prefix, name))]
    if len(value) > limit:
        message = f"{label} can be at most {limit} characters."
        return [Problem(PlanErrorCode.TOO_LONG, message, at(prefix, name))]
    return []


def check_week_range(start: int, end: int, prefix: str = "") -> list[Problem]:
    problems: list[Problem] = []
    for name, week in (("startWeek", start), ("endWeek", end)):
        if not 1 <= week <= MAX_WEEK:
            message = f"Weeks run from 1 to {MAX_WEEK}."
            problems.append(Problem(PlanErrorCode.OUT_OF_RANGE, message, at(prefix, name)))
    if not problems and start > end:
        message = "A phase cannot end before it starts."
        problems.append(Problem(PlanErrorCode.INVALID_WEEK_RANGE, message, at(prefix, "endWeek")))
    return problems


@dataclass(frozen=True, slots=True)
class WeekSpan:
    start: int
    end: int
    path: str  # where the phase is in the input
    name: str = ""


def check_phase_sequence(spans: Sequence[WeekSpan]) -> list[Problem]:
    """Phases listed in the order they happen, none sharing a week with the one before."""
    problems: list[Problem] = []
    for before, after in pairwise(spans):
        field = at(after.path, "startWeek")
        if after.end < before.start:
            message = "List the phases in the order they happen."
            problems.append(Problem(PlanErrorCode.PHASES_OUT_OF_ORDER, message, field))
        elif after.start <= before.end:
            message = f"This phase overlaps the one before (weeks {before.start}-{before.end})."
            problems.append(Problem(PlanErrorCode.PHASES_OVERLAP, message, field))
    return problems


def check_no_overlap(span: WeekSpan, others: Sequence[WeekSpan]) -> list[Problem]:
    """A phase added to (or moved in) a plan must not share a week with another phase."""
    for other in others:
        if span.start <= other.end and other.start <= span.end:
            message = (
                f'These weeks overlap the phase "{other.name}" (weeks {other.start}-{other.end}).'
            )
            return [Problem(PlanErrorCode.PHASES_OVERLAP, message, at(span.path, "startWeek"))]
    return []


def check_count(count: int, limit: int, what: str, field: str) -> list[Problem]:
    if count > limit:
        return [Problem(PlanErrorCode.TOO_MANY, f"At most {limit} {what}.", field)]
    return []


def check_dosage(values: Mapping[str, int | None], prefix: str = "") -> list[Problem]:
    """Each amount within its bounds, and at least one of reps, hold or duration."""
    problems: list[Problem] = []
    for name in DOSAGE_FIELDS:
        value = values.get(name)
        low, high = DOSAGE_BOUNDS[name]
        if value is not None and not low <= value <= high:
            message = f"{_LABELS[name]} must be between {low} and {high}."
            field = at(prefix, GRAPHQL_NAMES[name])
            problems.append(Problem(PlanErrorCode.OUT_OF_RANGE, message, field))
    for name in ("times_per_day", "days_per_week"):
        if values.get(name) is None:
            message = f"{_LABELS[name]} is required."
            field = at(prefix, GRAPHQL_NAMES[name])
            problems.append(Problem(PlanErrorCode.REQUIRED, message, field))
    if all(values.get(name) is None for name in AMOUNT_FIELDS):
        message = "Give at least one amount: reps, a hold or a duration."
        problems.append(Problem(PlanErrorCode.AMOUNT_REQUIRED, message, at(prefix, "reps")))
    return problems


def check_scale(value: int | None, name: str, label: str) -> list[Problem]:
    """A 0-10 score (pain NRS, effort RPE)."""
    if value is not None and not 0 <= value <= 10:
        return [Problem(PlanErrorCode.OUT_OF_RANGE, f"{label} is a score from 0 to 10.", name)]
    return []
