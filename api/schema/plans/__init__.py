"""The plans domain as the API shows it: treatment plans in phases, prescriptions, revisions
the patient can read, logged sessions and weekly adherence; the inputs and results of the
care team's edits and of logging a session; resolvers the Patient type attaches."""

from __future__ import annotations

from api.schema.plans.common import (
    AbilityLevel,
    PlanChange,
    PlanChangeKind,
    PlanErrorCode,
    PlanStatus,
    SessionOutcome,
    WeekAdherence,
)
from api.schema.plans.history import ExerciseLog, PlanRevision
from api.schema.plans.patient_fields import (
    patient_active_plan,
    patient_adherence_this_week,
    patient_plans,
)
from api.schema.plans.phases import PlanPhase, Prescription
from api.schema.plans.plan import TreatmentPlan
from api.schema.plans.results import (
    ExerciseLogPayload,
    LogExerciseSessionResult,
    PlanError,
    PlanErrors,
    PlanPhasePayload,
    PlanPhaseResult,
    PrescriptionPayload,
    PrescriptionResult,
    TreatmentPlanPayload,
    TreatmentPlanResult,
)

__all__ = [
    "TYPES",
    "AbilityLevel",
    "ExerciseLog",
    "ExerciseLogPayload",
    "LogExerciseSessionResult",
    "PlanChange",
    "PlanChangeKind",
    "PlanError",
    "PlanErrorCode",
    "PlanErrors",
    "PlanPhase",
    "PlanPhasePayload",
    "PlanPhaseResult",
    "PlanRevision",
    "PlanStatus",
    "Prescription",
    "PrescriptionPayload",
    "PrescriptionResult",
    "SessionOutcome",
    "TreatmentPlan",
    "TreatmentPlanPayload",
    "TreatmentPlanResult",
    "WeekAdherence",
    "patient_active_plan",
    "patient_adherence_this_week",
    "patient_plans",
]

# Types the schema must know even where no field returns them by name.
TYPES: tuple[type, ...] = (
    TreatmentPlan,
    PlanPhase,
    Prescription,
    PlanRevision,
    ExerciseLog,
    WeekAdherence,
    PlanError,
)
