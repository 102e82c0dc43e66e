"""Treatment plans: the exercise library, plans in phases, prescriptions, revisions, adherence."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from api.models.accounts import User
    from api.models.patients import Patient
    from api.models.therapists import Therapist


class BodyRegion(StrEnum):
    NECK = "NECK"
    SHOULDER = "SHOULDER"
    ELBOW_WRIST_HAND = "ELBOW_WRIST_HAND"
    THORACIC = "THORACIC"
    LUMBAR_CORE = "LUMBAR_CORE"
    HIP = "HIP"
    KNEE = "KNEE"
    ANKLE_FOOT = "ANKLE_FOOT"
    BALANCE_VESTIBULAR = "BALANCE_VESTIBULAR"
    FINE_MOTOR = "FINE_MOTOR"
    SPEECH_SWALLOW = "SPEECH_SWALLOW"
    WHOLE_BODY = "WHOLE_BODY"


class PlanStatus(StrEnum):
    DRAFT = "DRAFT"  # only the care team sees it
    ACTIVE = "ACTIVE"  # at most one per patient
    COMPLETED = "COMPLETED"


class AbilityLevel(StrEnum):
    REGRESSION = "REGRESSION"  # the easier variant
    STANDARD = "STANDARD"
    PROGRESSION = "PROGRESSION"  # the harder variant


class SessionOutcome(StrEnum):
    DONE = "DONE"
    PARTIAL = "PARTIAL"
    SKIPPED = "SKIPPED"


class Exercise(Model):
    id = fields.BigIntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=120)
    body_region = fields.CharEnumField(BodyRegion, max_length=24)
    instructions: fields.Field[list[str]] = fields.JSONField(default=list)
    equipment: fields.Field[list[str]] = fields.JSONField(default=list)
    cautions = fields.TextField(default="")
    video_url = fields.CharField(max_length=500, default="")
    image_urls: fields.Field[list[str]] = fields.JSONField(default=list)
    # Default dosage, copied into a prescription when the therapist does not change it.
    sets = fields.SmallIntField(null=True)
    reps = fields.SmallIntField(null=True)
    hold_seconds = fields.SmallIntField(null=True)
    duration_seconds = fields.IntField(null=True)
    times_per_day = fields.SmallIntField(default=1)
    days_per_week = fields.SmallIntField(default=7)
    regression: fields.ForeignKeyNullableRelation[Exercise] = fields.ForeignKeyField(
        "relief.Exercise", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    regression_id: int | None
    progression: fields.ForeignKeyNullableRelation[Exercise] = fields.ForeignKeyField(
        "relief.Exercise", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    progression_id: int | None
    # Null for the shipped library; a clinic's own exercises name their author.
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    created_by_id: int | None
    archived = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "plans_exercise"
        indexes = (("body_region", "name"),)


class TreatmentPlan(Model):
    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="plans", on_delete=fields.CASCADE
    )
    patient_id: int
    therapist: fields.ForeignKeyRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name="plans", on_delete=fields.RESTRICT
    )
    therapist_id: int
    title = fields.CharField(max_length=160)
    condition = fields.CharField(max_length=200)
    goals = fields.TextField(default="")
    expected_outcome = fields.TextField(default="")
    status = fields.CharEnumField(PlanStatus, max_length=12, default=PlanStatus.DRAFT)
    starts_on = fields.DateField()  # week 1 begins on this day, in the patient's time zone
    revision = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    activated_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "plans_plan"
        indexes = (("patient_id", "status"),)


class PlanPhase(Model):
    id = fields.BigIntField(primary_key=True)
    plan: fields.ForeignKeyRelation[TreatmentPlan] = fields.ForeignKeyField(
        "relief.TreatmentPlan", related_name="phases", on_delete=fields.CASCADE
    )
    plan_id: int
    position = fields.SmallIntField()
    name = fields.CharField(max_length=120)
    start_week = fields.SmallIntField()  # 1-based, inclusive
    end_week = fields.SmallIntField()  # inclusive
    focus = fields.TextField(default="")

    class Meta:
        table = "plans_phase"
        indexes = (("plan_id", "position"),)


class Prescription(Model):
    """One exercise in one phase, at the dosage and ability level the therapist chose."""

    id = fields.BigIntField(primary_key=True)
    phase: fields.ForeignKeyRelation[PlanPhase] = fields.ForeignKeyField(
        "relief.PlanPhase", related_name="prescriptions", on_delete=fields.CASCADE
    )
    phase_id: int
    position = fields.SmallIntField()
    # What the patient performs: the standard exercise or its chosen variant.
    exercise: fields.ForeignKeyRelation[Exercise] = fields.ForeignKeyField(
        "relief.Exercise", related_name=False, on_delete=fields.RESTRICT
    )
    exercise_id: int
    # The exercise the therapist picked before choosing a level.
    base_exercise: fields.ForeignKeyRelation[Exercise] = fields.ForeignKeyField(
        "relief.Exercise", related_name=False, on_delete=fields.RESTRICT
    )
    base_exercise_id: int
    level = fields.CharEnumField(AbilityLevel, max_length=12, default=AbilityLevel.STANDARD)
    sets = fields.SmallIntField(null=True)
    reps = fields.SmallIntField(null=True)
    hold_seconds = fields.SmallIntField(null=True)
    duration_seconds = fields.IntField(null=True)
    times_per_day = fields.SmallIntField(default=1)
    days_per_week = fields.SmallIntField(default=7)
    notes = fields.TextField(default="")
    # A removed prescription stays, so the logs against it keep their meaning.
    removed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "plans_prescription"
        indexes = (("phase_id", "position"),)


class PlanRevision(Model):
    """What one change by the care team did to a plan, readable by the patient."""

    id = fields.BigIntField(primary_key=True)
    plan: fields.ForeignKeyRelation[TreatmentPlan] = fields.ForeignKeyField(
        "relief.TreatmentPlan", related_name="revisions", on_delete=fields.CASCADE
    )
    plan_id: int
    number = fields.IntField()
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    created_by_id: int | None
    created_at = fields.DatetimeField()
    summary = fields.CharField(max_length=300)
    # [{kind, target, field, before, after}], in words a patient can follow.
    changes: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)

    class Meta:
        table = "plans_revision"
        unique_together = (("plan", "number"),)


class ExerciseLog(Model):
    """A home session the patient (or a caregiver for them) logged against a prescription."""

    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="exercise_logs", on_delete=fields.CASCADE
    )
    patient_id: int
    plan: fields.ForeignKeyRelation[TreatmentPlan] = fields.ForeignKeyField(
        "relief.TreatmentPlan", related_name="logs", on_delete=fields.CASCADE
    )
    plan_id: int
    prescription: fields.ForeignKeyRelation[Prescription] = fields.ForeignKeyField(
        "relief.Prescription", related_name="logs", on_delete=fields.CASCADE
    )
    prescription_id: int
    performed_on = fields.DateField()  # the patient's local date
    outcome = fields.CharEnumField(SessionOutcome, max_length=8)
    pain_during = fields.SmallIntField(null=True)  # NRS 0-10
    effort = fields.SmallIntField(null=True)  # RPE 0-10
    note = fields.TextField(default="")
    logged_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    logged_by_id: int | None
    logged_by_role = fields.CharField(max_length=16)
    logged_at = fields.DatetimeField()

    class Meta:
        table = "plans_exercise_log"
        indexes = (("patient_id", "performed_on"), ("plan_id", "performed_on"))
