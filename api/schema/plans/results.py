"""What plan mutations answer: the changed records, or every problem as a typed error."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.schema.errors import UserError, errors_from
from api.schema.plans.common import PlanErrorCode
from api.schema.plans.history import ExerciseLog
from api.schema.plans.phases import PlanPhase, Prescription
from api.schema.plans.plan import TreatmentPlan
from api.services.plans.errors import PlanProblems


@strawberry.type(description="One problem with a plan operation, with the field it is about.")
class PlanError(UserError):
    code: PlanErrorCode  # type: ignore[valid-type]


@strawberry.type(description="A plan operation did not happen; every problem is listed.")
class PlanErrors:
    errors: list[PlanError]

    @classmethod
    def from_problems(cls, problems: PlanProblems) -> PlanErrors:
        return cls(errors=errors_from(PlanError, problems))


@strawberry.type
class TreatmentPlanPayload:
    plan: TreatmentPlan


@strawberry.type
class PlanPhasePayload:
    plan: TreatmentPlan
    phase: PlanPhase


@strawberry.type
class PrescriptionPayload:
    plan: TreatmentPlan
    prescription: Prescription


@strawberry.type
class ExerciseLogPayload:
    log: ExerciseLog


TreatmentPlanResult = Annotated[
    TreatmentPlanPayload | PlanErrors, strawberry.union("TreatmentPlanResult")
]
PlanPhaseResult = Annotated[PlanPhasePayload | PlanErrors, strawberry.union("PlanPhaseResult")]
PrescriptionResult = Annotated[
    PrescriptionPayload | PlanErrors, strawberry.union("PrescriptionResult")
]
LogExerciseSessionResult = Annotated[
    ExerciseLogPayload | PlanErrors, strawberry.union("LogExerciseSessionResult")
]
