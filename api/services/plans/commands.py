"""What callers ask of the plan services: plain data, checked by `validation`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from api.access.scope import AccessScope
from api.models.plans import AbilityLevel, SessionOutcome
from api.services import audit

DOSAGE_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "duration_seconds",
    "times_per_day",
    "days_per_week",
)
AMOUNT_FIELDS = ("reps", "hold_seconds", "duration_seconds")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks, through which scope, from where (for the audit trail)."""

    scope: AccessScope
    ip: str | None = None

    @property
    def user_id(self) -> int | None:
        return self.scope.viewer.user_id

    def audit_context(self, patient_id: int) -> audit.AuditContext:
        return audit.AuditContext(
            actor_user_id=self.scope.viewer.user_id,
            acting_for_patient_id=patient_id,
            ip=self.ip,
            session_id=self.scope.viewer.session_id,
        )


@dataclass(frozen=True, slots=True)
class Dosage:
    """A dosage as asked; None means "the exercise's default" (or "none" once resolved)."""

    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    times_per_day: int | None = None
    days_per_week: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in DOSAGE_FIELDS}


@dataclass(frozen=True, slots=True)
class PrescriptionDraft:
    exercise_id: int | None  # None: the id given could not be read
    level: AbilityLevel = AbilityLevel.STANDARD
    dosage: Dosage = field(default_factory=Dosage)
    notes: str = ""


@dataclass(frozen=True, slots=True)
class PhaseDraft:
    name: str
    start_week: int
    end_week: int
    focus: str = ""
    prescriptions: tuple[PrescriptionDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanDraft:
    patient_id: int
    title: str
    condition: str
    starts_on: date
    goals: str = ""
    expected_outcome: str = ""
    phases: tuple[PhaseDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanDetailsPatch:
    """None leaves a field as it is."""

    plan_id: int
    title: str | None = None
    condition: str | None = None
    goals: str | None = None
    expected_outcome: str | None = None
    starts_on: date | None = None


@dataclass(frozen=True, slots=True)
class PhasePatch:
    phase_id: int
    name: str | None = None
    start_week: int | None = None
    end_week: int | None = None
    focus: str | None = None


@dataclass(frozen=True, slots=True)
class PrescriptionPatch:
    """`dosage` holds only the fields given; a None value there clears that amount."""

    prescription_id: int
    level: AbilityLevel | None = None
    dosage: dict[str, int | None] = field(default_factory=dict)
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class SessionEntry:
    prescription_id: int
    outcome: SessionOutcome
    performed_on: date | None = None  # None: today in the patient's time zone
    pain_during: int | None = None
    effort: int | None = None
    note: str = ""
