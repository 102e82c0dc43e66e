"""Outcome measures submitted through the API, scored by api/services/outcome_measures.py.

The scorer is pure and raises OutcomeMeasureError naming `answers` or `answers[i]`; here those
become typed problems, PSFS activities are checked (the patient's own words, one per rating),
and the scored form is stored with who submitted it and in what capacity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from api.access.needs import Need
from api.access.scope import AccessScope
from api.models.progress import OutcomeMeasureSubmission
from api.realtime.events import transaction
from api.services import audit, outcome_measures
from api.services.outcome_measures import (
    MissingAnswersError,
    NdiBand,
    OdiBand,
    OutcomeMeasure,
    OutcomeMeasureError,
)
from api.services.pagination import Page, paginate
from api.services.progress.actors import recorder_role
from api.services.progress.errors import Problem, ProgressProblems
from api.services.progress.errors import ProgressErrorCode as Code

ACTIVITY_MAX = 120

_ODI_BANDS = {
    OdiBand.MINIMAL: "minimal disability (0-20%)",
    OdiBand.MODERATE: "moderate disability (21-40%)",
    OdiBand.SEVERE: "severe disability (41-60%)",
    OdiBand.CRIPPLING: "very severe disability (61-80%)",
    OdiBand.BED_BOUND: "the most severe band (81-100%)",
}
_NDI_BANDS = {
    NdiBand.NONE: "no disability (0-4 of 50)",
    NdiBand.MILD: "mild disability (5-14 of 50)",
    NdiBand.MODERATE: "moderate disability (15-24 of 50)",
    NdiBand.SEVERE: "severe disability (25-34 of 50)",
    NdiBand.COMPLETE: "complete disability (35-50 of 50)",
}


@dataclass(frozen=True, slots=True)
class SubmitOutcomeMeasure:
    patient_id: int
    measure: OutcomeMeasure
    answers: list[int | None]
    activities: list[str] | None = None


async def submit_outcome_measure(
    scope: AccessScope, ctx: audit.AuditContext, command: SubmitOutcomeMeasure
) -> OutcomeMeasureSubmission:
    """Score, store and audit one form. Raises ProgressProblems with every problem."""
    role = recorder_role(scope, command.patient_id)
    problems: list[Problem] = []
    scored: outcome_measures.MeasureScore | None = None
    try:
        scored = outcome_measures.score(command.measure, command.answers)
    except MissingAnswersError as error:
        problems.append(Problem(Code.MISSING_ANSWERS, error.message, error.field))
    except OutcomeMeasureError as error:
        problems.append(Problem(Code.INVALID_ANSWER, error.message, error.field))
    activities = _activities(command, problems)
    ProgressProblems.raise_if_any(problems)
    assert scored is not None
    async with transaction():
        row = await OutcomeMeasureSubmission.create(
            patient_id=command.patient_id,
            measure=scored.measure.value,
            answers=list(command.answers),
            activities=activities,
            score=scored.score,
            maximum=scored.maximum,
            band=scored.band,
            answered=scored.answered,
            submitted_by_id=scope.viewer.user_id,
            submitted_by_role=role,
            submitted_at=datetime.now(UTC),
        )
        await audit.record(
            ctx,
            "progress.outcome_measure_submitted",
            target_type="OutcomeMeasureResult",
            target_id=str(row.id),
            details={"measure": scored.measure.value, "role": role.value},
        )
    return row


def _activities(command: SubmitOutcomeMeasure, problems: list[Problem]) -> list[str]:
    given = command.activities or []
    if command.measure is not OutcomeMeasure.PSFS:
        if given:
            problems.append(
                Problem(Code.NOT_ALLOWED, "Only the PSFS names activities.", "activities")
            )
        return []
    if len(given) != len(command.answers):
        problems.append(
            Problem(
                Code.ACTIVITIES_MISMATCH,
                f"Name one activity for each rating: {len(command.answers)} ratings, "
                f"{len(given)} activities.",
                "activities",
            )
        )
    cleaned: list[str] = []
    for index, activity in enumerate(given):
        text = " ".join(activity.split())
        field = f"activities[{index}]"
        if not text:
            problems.append(Problem(Code.REQUIRED, "Name the activity.", field))
        elif len(text) > ACTIVITY_MAX:
            problems.append(
                Problem(Code.TOO_LONG, f"Use at most {ACTIVITY_MAX} characters.", field)
            )
        cleaned.append(text)
    return cleaned


def interpretation(row: OutcomeMeasureSubmission) -> str:
    """What the score means, in plain words, by the instrument's own scale and bands."""
    measure = OutcomeMeasure(row.measure)
    score = _number(row.score)
    if measure is OutcomeMeasure.PSFS:
        return (
            f"Average {score} out of 10 over {row.answered} activities. "
            "Higher means the activities are easier."
        )
    if measure is OutcomeMeasure.LEFS:
        return f"{score} out of 80. Higher means better function of the legs."
    if measure is OutcomeMeasure.ODI:
        band = _ODI_BANDS.get(OdiBand(row.band)) if row.band else None
        return f"{score}% on the Oswestry index: {band}. Lower is better."
    if measure is OutcomeMeasure.NDI:
        band = _NDI_BANDS.get(NdiBand(row.band)) if row.band else None
        return f"{score}% on the Neck Disability Index: {band}. Lower is better."
    return f"{score} out of 100. Lower means less difficulty with the arm, shoulder and hand."


async def outcome_measures_page(
    scope: AccessScope,
    patient_id: int,
    *,
    measure: OutcomeMeasure | None,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[OutcomeMeasureSubmission]:
    """Newest first (submission time is the server's, so the id order is the time order)."""
    scope.require_patient(patient_id, Need.PROGRESS_VIEW)
    query = OutcomeMeasureSubmission.filter(patient_id=patient_id)
    if measure is not None:
        query = query.filter(measure=measure.value)
    return await paginate(
        query, first=first, after=after, max_page_size=max_page_size, descending=True
    )


def readable_submissions(
    scope: AccessScope, rows: Sequence[OutcomeMeasureSubmission | None]
) -> list[OutcomeMeasureSubmission | None]:
    return [
        row
        if row is not None and scope.can_read_patient(row.patient_id, Need.PROGRESS_VIEW)
        else None
        for row in rows
    ]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
