"""A plan's phases and the exercises prescribed in them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned, requires
from api.context import Info
from api.errors import BadUserInput
from api.loaders.plans import PlanRow
from api.loaders.plans.weeks import week_start
from api.models import plans as models
from api.schema.exercises import Dosage, Exercise
from api.schema.plans import fetch
from api.schema.plans.common import AbilityLevel, WeekAdherence
from api.schema.relay import database_keys
from api.services.plans.reading import can_see_plan
from api.services.plans.validation import MAX_WEEK


@patient_owned(Need.PLAN_VIEW)
@strawberry.type(
    description="One exercise of a phase at the dosage and ability level the therapist chose."
)
class Prescription(relay.Node):
    id: relay.NodeID[int]
    level: AbilityLevel  # type: ignore[valid-type]
    dosage: Dosage
    notes: str
    position: int = strawberry.field(description="Order within the phase, from 0.")
    sessions_per_week: int = strawberry.field(description="timesPerDay x daysPerWeek.")
    removed_at: datetime | None = strawberry.field(
        description="Set when the therapist removed it; its logged sessions stay."
    )
    exercise_row: strawberry.Private[models.Exercise]
    base_row: strawberry.Private[models.Exercise]

    @classmethod
    def from_model(cls, row: models.Prescription) -> Prescription:
        return cls(
            id=row.id,
            level=row.level,
            dosage=Dosage(
                sets=row.sets,
                reps=row.reps,
                hold_seconds=row.hold_seconds,
                duration_seconds=row.duration_seconds,
                times_per_day=row.times_per_day,
                days_per_week=row.days_per_week,
            ),
            notes=row.notes,
            position=row.position,
            sessions_per_week=row.times_per_day * row.days_per_week,
            removed_at=row.removed_at,
            exercise_row=row.exercise,
            base_row=row.base_exercise,
        )

    @strawberry.field(
        description="The exercise the patient performs (the chosen variant).",
        metadata=requires(Need.PLAN_VIEW),
    )
    def exercise(self) -> Exercise:
        return Exercise.from_model(self.exercise_row)

    @strawberry.field(
        description="The exercise the therapist picked before choosing a level.",
        metadata=requires(Need.PLAN_VIEW),
    )
    def base_exercise(self) -> Exercise:
        return Exercise.from_model(self.base_row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Prescription | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        loaders = info.context.loaders.plans
        rows = await loaders.prescription_by_id.load_many([k or 0 for k in keys])
        plans = await loaders.plan_by_id.load_many(
            [row.phase.plan_id if row else 0 for row in rows]
        )
        found: list[Prescription | None] = []
        for row, plan in zip(rows, plans, strict=True):
            if row is None or plan is None or not can_see_plan(scope, plan.patient_id, plan.status):
                found.append(None)
                continue
            info.context.record_access.saw(plan.patient_id, "Prescription", row.id)
            found.append(cls.from_model(row))
        return found


@patient_owned(Need.PLAN_VIEW)
@strawberry.type(description="A stretch of weeks of a plan with its focus and its exercises.")
class PlanPhase(relay.Node):
    id: relay.NodeID[int]
    name: str
    start_week: int = strawberry.field(description="First week (1-based, inclusive).")
    end_week: int = strawberry.field(description="Last week (inclusive).")
    starts_on: date = strawberry.field(description="First day of the first week.")
    ends_on: date = strawberry.field(description="Last day of the last week.")
    focus: str
    position: int = strawberry.field(description="Order within the plan, from 0.")
    plan: strawberry.Private[PlanRow]

    @classmethod
    def from_model(cls, row: models.PlanPhase, plan: PlanRow) -> PlanPhase:
        return cls(
            id=row.id,
            name=row.name,
            start_week=row.start_week,
            end_week=row.end_week,
            starts_on=week_start(plan.starts_on, row.start_week),
            ends_on=week_start(plan.starts_on, row.end_week) + timedelta(days=6),
            focus=row.focus,
            position=row.position,
            plan=plan,
        )

    @strawberry.field(
        description="The exercises of this phase, in order (removed ones left out).",
        metadata=requires(Need.PLAN_VIEW),
    )
    async def prescriptions(self, info: Info) -> list[Prescription]:
        (rows,) = await fetch.prescription_rows(info, [self.id])
        live = [row for row in rows if row.removed_at is None]
        for row in live:
            info.context.record_access.saw(self.plan.patient_id, "Prescription", row.id)
        return [Prescription.from_model(row) for row in live]

    @strawberry.field(
        description="Adherence to this phase's exercises in one of its weeks (by default "
        "this week); null for a week outside the phase or before the plan starts.",
        metadata=requires(Need.PLAN_VIEW),
    )
    async def adherence(self, info: Info, week: int | None = None) -> WeekAdherence | None:
        if week is not None and not 1 <= week <= MAX_WEEK:
            raise BadUserInput(f"Weeks run from 1 to {MAX_WEEK}.", field="week")
        week = week if week is not None else self.plan.current_week()
        if week is None or not self.start_week <= week <= self.end_week:
            return None
        (figures,) = await fetch.week_figures(info, self.plan, [week], phase_id=self.id)
        return WeekAdherence.from_figures(figures)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PlanPhase | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        loaders = info.context.loaders.plans
        rows = await loaders.phase_by_id.load_many([k or 0 for k in keys])
        plans = await loaders.plan_by_id.load_many([row.plan_id if row else 0 for row in rows])
        found: list[PlanPhase | None] = []
        for row, plan in zip(rows, plans, strict=True):
            if row is None or plan is None or not can_see_plan(scope, plan.patient_id, plan.status):
                found.append(None)
                continue
            info.context.record_access.saw(plan.patient_id, "PlanPhase", row.id)
            found.append(cls.from_model(row, plan))
        return found
