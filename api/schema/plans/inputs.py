"""What the care team sends to write plans, and what a patient sends to log a session."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from api.models import plans as models
from api.schema.plans.common import AbilityLevel, SessionOutcome
from api.schema.relay import database_key, parse_global_id
from api.services.ids import parse_id
from api.services.plans import commands
from api.services.plans.commands import DOSAGE_FIELDS


def target_key(value: strawberry.ID, type_name: str, field: str) -> int:
    """The key of the record a mutation acts on (a bad id is a top-level BAD_USER_INPUT)."""
    return database_key(parse_global_id(str(value), field), type_name, field)


def exercise_key(value: strawberry.ID) -> int | None:
    """The key of an exercise named in a form; None (reported as INVALID_ID) when unreadable."""
    try:
        global_id = relay.GlobalID.from_id(str(value))
    except GlobalIDValueError:
        return None
    return parse_id(global_id.node_id) if global_id.type_name == "Exercise" else None


_AMOUNTS = "Left out: the exercise's default."


@strawberry.input(description="One exercise to prescribe, at a level and dosage.")
class PrescriptionInput:
    exercise_id: strawberry.ID
    level: AbilityLevel = models.AbilityLevel.STANDARD  # type: ignore[valid-type]
    sets: int | None = strawberry.field(default=None, description=f"1-20. {_AMOUNTS}")
    reps: int | None = strawberry.field(default=None, description=f"1-100. {_AMOUNTS}")
    hold_seconds: int | None = strawberry.field(default=None, description=f"1-600. {_AMOUNTS}")
    duration_seconds: int | None = strawberry.field(default=None, description=f"1-7200. {_AMOUNTS}")
    times_per_day: int | None = strawberry.field(default=None, description=f"1-6. {_AMOUNTS}")
    days_per_week: int | None = strawberry.field(default=None, description=f"1-7. {_AMOUNTS}")
    notes: str = strawberry.field(default="", description="At most 1000 characters.")

    def to_draft(self) -> commands.PrescriptionDraft:
        return commands.PrescriptionDraft(
            exercise_id=exercise_key(self.exercise_id),
            level=self.level,
            dosage=commands.Dosage(**{name: getattr(self, name) for name in DOSAGE_FIELDS}),
            notes=self.notes,
        )


@strawberry.input(description="A phase: a stretch of weeks (1-104) with a focus and exercises.")
class PhaseInput:
    name: str
    start_week: int
    end_week: int
    focus: str = ""
    prescriptions: list[PrescriptionInput] = strawberry.field(default_factory=list)

    def to_draft(self) -> commands.PhaseDraft:
        return commands.PhaseDraft(
            name=self.name,
            start_week=self.start_week,
            end_week=self.end_week,
            focus=self.focus,
            prescriptions=tuple(item.to_draft() for item in self.prescriptions),
        )


@strawberry.input(description="A new plan, saved as a draft; phases in the order they happen.")
class CreateTreatmentPlanInput:
    patient_id: strawberry.ID
    title: str
    condition: str
    goals: str = ""
    expected_outcome: str = ""
    starts_on: date = strawberry.field(description="Week 1 begins on this day.")
    phases: list[PhaseInput] = strawberry.field(default_factory=list)

    def to_draft(self) -> commands.PlanDraft:
        return commands.PlanDraft(
            patient_id=target_key(self.patient_id, "Patient", "patientId"),
            title=self.title,
            condition=self.condition,
            goals=self.goals,
            expected_outcome=self.expected_outcome,
            starts_on=self.starts_on,
            phases=tuple(phase.to_draft() for phase in self.phases),
        )


@strawberry.input(description="A plan's details to change; fields left out stay as they are.")
class UpdateTreatmentPlanInput:
    plan_id: strawberry.ID
    title: str | None = None
    condition: str | None = None
    goals: str | None = None
    expected_outcome: str | None = None
    starts_on: date | None = None

    def to_patch(self) -> commands.PlanDetailsPatch:
        return commands.PlanDetailsPatch(
            plan_id=target_key(self.plan_id, "TreatmentPlan", "planId"),
            title=self.title,
            condition=self.condition,
            goals=self.goals,
            expected_outcome=self.expected_outcome,
            starts_on=self.starts_on,
        )


@strawberry.input(description="A phase to add to a plan; it must not share weeks with another.")
class AddPlanPhaseInput(PhaseInput):
    plan_id: strawberry.ID


@strawberry.input(description="A phase's name, weeks or focus to change; left out, unchanged.")
class UpdatePlanPhaseInput:
    phase_id: strawberry.ID
    name: str | None = None
    start_week: int | None = None
    end_week: int | None = None
    focus: str | None = None

    def to_patch(self) -> commands.PhasePatch:
        return commands.PhasePatch(
            phase_id=target_key(self.phase_id, "PlanPhase", "phaseId"),
            name=self.name,
            start_week=self.start_week,
            end_week=self.end_week,
            focus=self.focus,
        )


@strawberry.input(description="An exercise to add to a phase.")
class AddPrescriptionInput(PrescriptionInput):
    phase_id: strawberry.ID


@strawberry.input(
    description="A prescription's level, dosage or notes to change. A field left out stays as "
    "it is; an amount sent as null is cleared."
)
class UpdatePrescriptionInput:
    prescription_id: strawberry.ID
    level: AbilityLevel | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Switches the performed exercise to the base exercise's easier or "
        "harder variant (the dosage stays as it is unless sent too).",
    )
    sets: int | None = strawberry.field(default=strawberry.UNSET, description="1-20.")
    reps: int | None = strawberry.field(default=strawberry.UNSET, description="1-100.")
    hold_seconds: int | None = strawberry.field(default=strawberry.UNSET, description="1-600.")
    duration_seconds: int | None = strawberry.field(default=strawberry.UNSET, description="1-7200.")
    times_per_day: int | None = strawberry.field(
        default=strawberry.UNSET, description="1-6; cannot be cleared."
    )
    days_per_week: int | None = strawberry.field(
        default=strawberry.UNSET, description="1-7; cannot be cleared."
    )
    notes: str | None = strawberry.field(default=None, description="At most 1000 characters.")

    def to_patch(self) -> commands.PrescriptionPatch:
        return commands.PrescriptionPatch(
            prescription_id=target_key(self.prescription_id, "Prescription", "prescriptionId"),
            level=self.level,
            dosage={
                name: getattr(self, name)
                for name in DOSAGE_FIELDS
                if getattr(self, name) is not strawberry.UNSET
            },
            notes=self.notes,
        )


@strawberry.input(description="A home session to log against a prescription.")
class LogExerciseSessionInput:
    prescription_id: strawberry.ID
    outcome: SessionOutcome  # type: ignore[valid-type]
    performed_on: date | None = strawberry.field(
        default=None, description="The patient's local date; left out: today."
    )
    pain_during: int | None = strawberry.field(default=None, description="Pain, 0-10.")
    effort: int | None = strawberry.field(default=None, description="Effort (RPE), 0-10.")
    note: str = strawberry.field(default="", description="At most 1000 characters.")

    def to_entry(self) -> commands.SessionEntry:
        return commands.SessionEntry(
            prescription_id=target_key(self.prescription_id, "Prescription", "prescriptionId"),
            outcome=self.outcome,
            performed_on=self.performed_on,
            pain_during=self.pain_during,
            effort=self.effort,
            note=self.note,
        )
