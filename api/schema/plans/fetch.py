"""Reads the plan types share, all through the request's loaders."""

from __future__ import annotations

from collections.abc import Sequence

from api.context import Info
from api.loaders.plans import Dose, PlanRow, WeekFigures
from api.loaders.plans.weeks import count_week, week_start
from api.models import plans as models


async def phase_rows(info: Info, plan: PlanRow) -> list[models.PlanPhase]:
    rows = await info.context.loaders.plans.phases_by_plan_id.load(plan.id)
    for row in rows:
        info.context.record_access.saw(plan.patient_id, "PlanPhase", row.id)
    return rows


async def prescription_rows(
    info: Info, phase_ids: Sequence[int]
) -> list[list[models.Prescription]]:
    """Each phase's prescriptions (removed ones too), their exercises primed for the request."""
    found = await info.context.loaders.plans.prescriptions_by_phase_id.load_many(phase_ids)
    exercises = info.context.loaders.exercises.exercise_by_id
    for rows in found:
        for row in rows:
            exercises.prime(row.exercise.id, row.exercise)
            exercises.prime(row.base_exercise.id, row.base_exercise)
    return found


async def doses(info: Info, plan: PlanRow) -> list[Dose]:
    phases = await phase_rows(info, plan)
    prescriptions = await prescription_rows(info, [p.id for p in phases])
    return [
        Dose.of(prescription, phase, plan.time_zone)
        for phase, rows in zip(phases, prescriptions, strict=True)
        for prescription in rows
    ]


async def week_figures(
    info: Info, plan: PlanRow, weeks: Sequence[int], phase_id: int | None = None
) -> list[WeekFigures]:
    """Several weeks of a plan (or of one phase): one batch of tallies for all of them."""
    plan_doses = await doses(info, plan)
    tallies = await info.context.loaders.plans.log_tallies_by_plan_week.load_many(
        [(plan.id, week_start(plan.starts_on, week)) for week in weeks]
    )
    return [
        count_week(plan.starts_on, week, plan_doses, week_tallies, phase_id)
        for week, week_tallies in zip(weeks, tallies, strict=True)
    ]
