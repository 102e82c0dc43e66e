"""Inputs of the progress mutations, each turned into a service command by `to_command`.

The patient's id is the request's subject: a malformed one is a top-level BAD_USER_INPUT, as
everywhere. Other ids inside an input (a custom metric, a plan) are that input's fields: a
malformed one comes back as a typed INVALID_ID error next to the others.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from api.errors import BadUserInput
from api.models import progress as models
from api.schema.progress.enums import (
    BodySide,
    BodySite,
    MeasurementMethod,
    MetricKind,
    Movement,
    OutcomeMeasure,
)
from api.schema.relay import database_key, parse_global_id
from api.services.outcome_measures import OutcomeMeasure as Measure
from api.services.progress.checks import MetricSpec
from api.services.progress.errors import ProgressErrorCode, fail
from api.services.progress.goals import SetGoal, UpdateGoal
from api.services.progress.measurements import RecordMeasurement
from api.services.progress.metrics import DefineMetric
from api.services.progress.outcomes import SubmitOutcomeMeasure


def patient_key(value: str, field: str = "patientId") -> int:
    return database_key(parse_global_id(value, field), "Patient", field)


def field_key(value: str | None, type_name: str, field: str) -> int | None:
    """The key of an id inside an input, or a typed INVALID_ID problem naming the field."""
    if value is None:
        return None
    try:
        return database_key(parse_global_id(value, field), type_name, field)
    except BadUserInput as error:
        raise fail(ProgressErrorCode.INVALID_ID, error.message, field) from None


@strawberry.input(description="One measurement. Units, ranges and required fields per kind.")
class RecordMeasurementInput:
    patient_id: strawberry.ID
    kind: MetricKind  # type: ignore[valid-type]
    value: float = strawberry.field(
        description=(
            "PAIN: whole 0-10. RANGE_OF_MOTION: -30 to 360 deg. STRENGTH: {MMT} 0-5 in steps "
            "of 0.5, or kg 0-500. FUNCTION: 0-100 %. SYMPTOM_FREQUENCY: 0 or more /d. CUSTOM: "
            "within the definition's bounds."
        )
    )
    unit: str | None = strawberry.field(
        default=None, description="Left out: the kind's unit (STRENGTH must say which)."
    )
    definition_id: strawberry.ID | None = strawberry.field(
        default=None, description="The custom metric, for kind CUSTOM."
    )
    body_site: BodySite | None = None  # type: ignore[valid-type]
    side: BodySide | None = None  # type: ignore[valid-type]
    movement: Movement | None = None  # type: ignore[valid-type]
    measured_at: datetime | None = strawberry.field(
        default=None, description="When it was measured (with its offset); now when left out."
    )
    method: MeasurementMethod | None = None  # type: ignore[valid-type]
    note: str | None = None

    def to_command(self) -> RecordMeasurement:
        return RecordMeasurement(
            patient_id=patient_key(self.patient_id),
            metric=MetricSpec(
                kind=models.MetricKind(self.kind),
                definition_id=field_key(self.definition_id, "MetricDefinition", "definitionId"),
                body_site=self.body_site,
                side=self.side,
                movement=self.movement,
                unit=self.unit,
            ),
            value=self.value,
            measured_at=self.measured_at,
            method=self.method,
            note=self.note,
        )


@strawberry.input(description="A custom metric for one patient (care team only).")
class DefineMetricInput:
    patient_id: strawberry.ID
    name: str
    unit: str = strawberry.field(description='A UCUM unit where one exists: "s", "{steps}".')
    minimum: float | None = None
    maximum: float | None = None
    higher_is_better: bool = True

    def to_command(self) -> DefineMetric:
        return DefineMetric(
            patient_id=patient_key(self.patient_id),
            name=self.name,
            unit=self.unit,
            minimum=self.minimum,
            maximum=self.maximum,
            higher_is_better=self.higher_is_better,
        )


@strawberry.input(description="A goal for one metric (care team only).")
class SetGoalInput:
    patient_id: strawberry.ID
    description: str
    kind: MetricKind  # type: ignore[valid-type]
    baseline_value: float
    target_value: float
    target_date: date = strawberry.field(description="After the baseline's date.")
    baseline_at: datetime | None = strawberry.field(
        default=None, description="When the baseline was measured; now when left out."
    )
    plan_id: strawberry.ID | None = None
    definition_id: strawberry.ID | None = None
    body_site: BodySite | None = None  # type: ignore[valid-type]
    side: BodySide | None = None  # type: ignore[valid-type]
    movement: Movement | None = None  # type: ignore[valid-type]
    unit: str | None = strawberry.field(
        default=None, description="Left out: the kind's unit (STRENGTH must say which)."
    )

    def to_command(self) -> SetGoal:
        return SetGoal(
            patient_id=patient_key(self.patient_id),
            metric=MetricSpec(
                kind=models.MetricKind(self.kind),
                definition_id=field_key(self.definition_id, "MetricDefinition", "definitionId"),
                body_site=self.body_site,
                side=self.side,
                movement=self.movement,
                unit=self.unit,
            ),
            description=self.description,
            baseline_value=self.baseline_value,
            target_value=self.target_value,
            target_date=self.target_date,
            baseline_at=self.baseline_at,
            plan_id=field_key(self.plan_id, "TreatmentPlan", "planId"),
        )


@strawberry.input(description="Changes to an active goal; a field left out stays as it is.")
class UpdateGoalInput:
    description: str | None = None
    baseline_value: float | None = None
    baseline_at: datetime | None = None
    target_value: float | None = None
    target_date: date | None = None
    plan_id: strawberry.ID | None = None

    def to_command(self, goal_id: int) -> UpdateGoal:
        return UpdateGoal(
            goal_id=goal_id,
            description=self.description,
            baseline_value=self.baseline_value,
            baseline_at=self.baseline_at,
            target_value=self.target_value,
            target_date=self.target_date,
            plan_id=field_key(self.plan_id, "TreatmentPlan", "planId"),
        )


@strawberry.input(description="A completed outcome measure form, scored by the server.")
class SubmitOutcomeMeasureInput:
    patient_id: strawberry.ID
    measure: OutcomeMeasure  # type: ignore[valid-type]
    answers: list[int | None] = strawberry.field(
        description="One rating per item, in the form's order; null for an unanswered item."
    )
    activities: list[str] | None = strawberry.field(
        default=None, description="PSFS only: the activity each rating is about (3 to 5)."
    )

    def to_command(self) -> SubmitOutcomeMeasure:
        return SubmitOutcomeMeasure(
            patient_id=patient_key(self.patient_id),
            measure=Measure(self.measure),
            answers=list(self.answers),
            activities=list(self.activities) if self.activities is not None else None,
        )
