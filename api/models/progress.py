"""Progress: measurements over time, the goals they are held against, outcome measures."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from api.models.accounts import User
    from api.models.patients import Patient
    from api.models.plans import TreatmentPlan


class MetricKind(StrEnum):
    PAIN = "PAIN"  # NRS 0-10, LOINC 72514-3
    RANGE_OF_MOTION = "RANGE_OF_MOTION"  # degrees (UCUM "deg") at a body site, side, movement
    STRENGTH = "STRENGTH"  # MMT grade 0-5 or kilograms
    FUNCTION = "FUNCTION"  # a 0-100 functional score
    SYMPTOM_FREQUENCY = "SYMPTOM_FREQUENCY"  # episodes per day
    CUSTOM = "CUSTOM"  # defined by a therapist (MetricDefinition)


class BodySide(StrEnum):
    LEFT = "LEFT"
    RIGHT = "RIGHT"
    BILATERAL = "BILATERAL"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class RecorderRole(StrEnum):
    PATIENT = "PATIENT"
    THERAPIST = "THERAPIST"
    CAREGIVER = "CAREGIVER"


class MeasurementMethod(StrEnum):
    SELF_REPORT = "SELF_REPORT"
    GONIOMETER = "GONIOMETER"
    INCLINOMETER = "INCLINOMETER"
    DYNAMOMETER = "DYNAMOMETER"
    MANUAL_MUSCLE_TEST = "MANUAL_MUSCLE_TEST"
    CLINICAL_OBSERVATION = "CLINICAL_OBSERVATION"
    DEVICE = "DEVICE"


class GoalStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ACHIEVED = "ACHIEVED"
    STOPPED = "STOPPED"


class MetricDefinition(Model):
    """A custom metric a therapist defines for one patient (or the clinic, patient null)."""

    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyNullableRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="metric_definitions", on_delete=fields.CASCADE, null=True
    )
    patient_id: int | None
    name = fields.CharField(max_length=120)
    unit = fields.CharField(max_length=40)  # UCUM where one exists ("s", "m", "{steps}")
    minimum = fields.FloatField(null=True)
    maximum = fields.FloatField(null=True)
    higher_is_better = fields.BooleanField(default=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "progress_metric_definition"


class Measurement(Model):
    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="measurements", on_delete=fields.CASCADE
    )
    patient_id: int
    kind = fields.CharEnumField(MetricKind, max_length=20)
    definition: fields.ForeignKeyNullableRelation[MetricDefinition] = fields.ForeignKeyField(
        "relief.MetricDefinition", related_name="measurements", on_delete=fields.RESTRICT, null=True
    )
    definition_id: int | None
    value = fields.FloatField()
    unit = fields.CharField(max_length=40)
    body_site = fields.CharField(max_length=40, default="")  # "KNEE", "SHOULDER"...
    side = fields.CharEnumField(BodySide, max_length=16, default=BodySide.NOT_APPLICABLE)
    movement = fields.CharField(max_length=40, default="")  # "FLEXION", "ABDUCTION"...
    measured_at = fields.DatetimeField()
    method = fields.CharEnumField(MeasurementMethod, max_length=24)
    note = fields.TextField(default="")
    recorded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    recorded_by_id: int | None
    recorded_by_role = fields.CharEnumField(RecorderRole, max_length=12)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "progress_measurement"
        indexes = (("patient_id", "kind", "measured_at"),)


class Goal(Model):
    """Where a metric starts and where it should be by a date, drawn as the projected line."""

    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="progress_goals", on_delete=fields.CASCADE
    )
    patient_id: int
    plan: fields.ForeignKeyNullableRelation[TreatmentPlan] = fields.ForeignKeyField(
        "relief.TreatmentPlan", related_name="progress_goals", on_delete=fields.SET_NULL, null=True
    )
    plan_id: int | None
    description = fields.CharField(max_length=300)
    kind = fields.CharEnumField(MetricKind, max_length=20)
    definition: fields.ForeignKeyNullableRelation[MetricDefinition] = fields.ForeignKeyField(
        "relief.MetricDefinition", related_name="goals", on_delete=fields.RESTRICT, null=True
    )
    definition_id: int | None
    body_site = fields.CharField(max_length=40, default="")
    side = fields.CharEnumField(BodySide, max_length=16, default=BodySide.NOT_APPLICABLE)
    movement = fields.CharField(max_length=40, default="")
    unit = fields.CharField(max_length=40)
    baseline_value = fields.FloatField()
    baseline_at = fields.DatetimeField()
    target_value = fields.FloatField()
    target_date = fields.DateField()
    status = fields.CharEnumField(GoalStatus, max_length=12, default=GoalStatus.ACTIVE)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "progress_goal"
        indexes = (("patient_id", "status"),)


class OutcomeMeasureSubmission(Model):
    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="outcome_measures", on_delete=fields.CASCADE
    )
    patient_id: int
    measure = fields.CharField(max_length=16)  # an OutcomeMeasure value
    answers: fields.Field[list[Any]] = fields.JSONField(default=list)
    # PSFS activities are the patient's own words, one per answer.
    activities: fields.Field[list[str]] = fields.JSONField(default=list)
    score = fields.FloatField()
    maximum = fields.FloatField()
    band = fields.CharField(max_length=16, null=True)
    answered = fields.SmallIntField()
    submitted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    submitted_by_id: int | None
    submitted_by_role = fields.CharEnumField(RecorderRole, max_length=12)
    submitted_at = fields.DatetimeField()

    class Meta:
        table = "progress_outcome_measure"
        indexes = (("patient_id", "measure", "submitted_at"),)
