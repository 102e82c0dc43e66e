"""Goals: where a metric starts (baseline), where it should be (target) by a date, and the line
between them that a chart draws as "where I should be".

The line is drawn on calendar dates in the patient's time zone: straight from the baseline
value on the baseline's date to the target value on the target date, then flat at the target.
Before the baseline there is no line. Arithmetic is exact (Fraction), so 90 -> 120 degrees
over 30 days is 105.0 on day 15, not 104.99999999999999.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import NotFound
from api.models.patients import Patient
from api.models.plans import TreatmentPlan
from api.models.progress import BodySide, Goal, GoalStatus
from api.realtime.events import transaction
from api.services import audit
from api.services.progress.actors import require_care_team
from api.services.progress.checks import Checks, Metric, MetricSpec
from api.services.progress.errors import ProgressErrorCode as Code
from api.services.progress.errors import fail
from api.services.progress.metrics import definition_of
from api.services.progress.vocabulary import movement_or_none, site_or_none

DESCRIPTION_MAX = 300
CLOSED_STATUSES = frozenset({GoalStatus.ACHIEVED, GoalStatus.STOPPED})


class ClosedGoalStatus(StrEnum):
    """How a goal ends: reached, or given up (a changed plan, a new diagnosis)."""

    ACHIEVED = "ACHIEVED"
    STOPPED = "STOPPED"


@dataclass(frozen=True, slots=True)
class SetGoal:
    patient_id: int
    metric: MetricSpec
    description: str
    baseline_value: float
    target_value: float
    target_date: date
    baseline_at: datetime | None = None  # now when left out
    plan_id: int | None = None


@dataclass(frozen=True, slots=True)
class UpdateGoal:
    """The parts of an active goal that may change; None leaves a part as it is. The metric
    itself does not change: a goal for another metric is a new goal."""

    goal_id: int
    description: str | None = None
    baseline_value: float | None = None
    baseline_at: datetime | None = None
    target_value: float | None = None
    target_date: date | None = None
    plan_id: int | None = None


@dataclass(frozen=True, slots=True)
class GoalLine:
    baseline_date: date
    baseline_value: float
    target_date: date
    target_value: float


def zone_of(name: str) -> ZoneInfo:
    """The patient's zone; UTC for a name the zone database does not know (never an error:
    a chart in UTC is better than no chart)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def line_of(goal: Goal, zone: ZoneInfo) -> GoalLine:
    return GoalLine(
        baseline_date=goal.baseline_at.astimezone(zone).date(),
        baseline_value=goal.baseline_value,
        target_date=goal.target_date,
        target_value=goal.target_value,
    )


def projected_value_on(line: GoalLine, on: date) -> float | None:
    """Where the metric should be on a date: None before the baseline, the target from the
    target date on, and the straight line between."""
    if on < line.baseline_date:
        return None
    if on >= line.target_date:
        return line.target_value
    elapsed = Fraction((on - line.baseline_date).days, (line.target_date - line.baseline_date).days)
    start, end = Fraction(line.baseline_value), Fraction(line.target_value)
    return float(start + (end - start) * elapsed)


async def set_goal(scope: AccessScope, ctx: audit.AuditContext, command: SetGoal) -> Goal:
    require_care_team(scope, command.patient_id)
    zone = await _patient_zone(command.patient_id)
    checks = Checks()
    description = checks.text(
        command.description, "description", max_length=DESCRIPTION_MAX, required=True
    )
    metric = checks.metric(command.metric, await definition_of(command.patient_id, command.metric))
    if metric is not None:
        checks.value(metric.rule, command.baseline_value, "baselineValue")
        checks.value(metric.rule, command.target_value, "targetValue")
    baseline_at = checks.moment(command.baseline_at, "baselineAt")
    _target_after_baseline(checks, baseline_at, command.target_date, zone)
    await _check_plan(checks, command.patient_id, command.plan_id)
    checks.raise_if_any()
    assert metric is not None
    async with transaction():
        goal = await Goal.create(
            patient_id=command.patient_id,
            plan_id=command.plan_id,
            description=description,
            kind=metric.kind,
            definition_id=metric.definition_id,
            body_site=metric.body_site,
            side=metric.side,
            movement=metric.movement,
            unit=metric.unit,
            baseline_value=float(command.baseline_value),
            baseline_at=baseline_at,
            target_value=float(command.target_value),
            target_date=command.target_date,
            created_by_id=scope.viewer.user_id,
        )
        await _audit(ctx, "progress.goal_set", goal)
    return goal


async def update_goal(scope: AccessScope, ctx: audit.AuditContext, command: UpdateGoal) -> Goal:
    goal = await _goal_to_change(scope, command.goal_id)
    zone = await _patient_zone(goal.patient_id)
    checks = Checks()
    metric = await _metric_of(checks, goal)
    if command.description is not None:
        goal.description = checks.text(
            command.description, "description", max_length=DESCRIPTION_MAX, required=True
        )
    for field, value, attribute in (
        ("baselineValue", command.baseline_value, "baseline_value"),
        ("targetValue", command.target_value, "target_value"),
    ):
        if value is not None and metric is not None:
            setattr(goal, attribute, checks.value(metric.rule, value, field))
    if command.baseline_at is not None:
        goal.baseline_at = checks.moment(command.baseline_at, "baselineAt")
    if command.target_date is not None:
        goal.target_date = command.target_date
    _target_after_baseline(checks, goal.baseline_at, goal.target_date, zone)
    if command.plan_id is not None:
        await _check_plan(checks, goal.patient_id, command.plan_id)
        goal.plan_id = command.plan_id
    checks.raise_if_any()
    async with transaction():
        await goal.save()
        await _audit(ctx, "progress.goal_updated", goal)
    return goal


async def close_goal(
    scope: AccessScope, ctx: audit.AuditContext, goal_id: int, status: ClosedGoalStatus
) -> Goal:
    goal = await _goal_to_change(scope, goal_id)
    goal.status = GoalStatus(status.value)
    async with transaction():
        await goal.save(update_fields=["status"])
        await _audit(ctx, "progress.goal_closed", goal, status=status.value)
    return goal


async def _goal_to_change(scope: AccessScope, goal_id: int) -> Goal:
    """An active goal of a patient on the viewer's care team. A goal out of reach is not
    found; within reach but not the care team's to change, forbidden."""
    scope.require_authenticated()
    goal = await Goal.get_or_none(id=goal_id)
    patient_id: int | None = goal.patient_id if goal is not None else None
    if goal is None or patient_id is None:
        raise NotFound("No such goal.")
    if not scope.can_reach_patient(patient_id):
        raise NotFound("No such goal.")
    require_care_team(scope, patient_id)
    if goal.status in CLOSED_STATUSES:
        raise fail(Code.GOAL_CLOSED, "This goal is closed; set a new goal instead.", "id")
    return goal


async def _metric_of(checks: Checks, goal: Goal) -> Metric | None:
    spec = MetricSpec(
        kind=goal.kind,
        definition_id=goal.definition_id,
        body_site=site_or_none(goal.body_site),
        side=BodySide(goal.side),
        movement=movement_or_none(goal.movement),
        unit=goal.unit,
    )
    return checks.metric(spec, await definition_of(goal.patient_id, spec))


def _target_after_baseline(
    checks: Checks, baseline_at: datetime, target_date: date, zone: ZoneInfo
) -> None:
    if target_date <= baseline_at.astimezone(zone).date():
        checks.fail(
            Code.TARGET_BEFORE_BASELINE,
            "The target date must come after the baseline.",
            "targetDate",
        )


async def _check_plan(checks: Checks, patient_id: int, plan_id: int | None) -> None:
    if plan_id is None:
        return
    if not await TreatmentPlan.filter(id=plan_id, patient_id=patient_id).exists():
        checks.fail(Code.UNKNOWN_PLAN, "This plan does not exist for this patient.", "planId")


async def _patient_zone(patient_id: int) -> ZoneInfo:
    name = await Patient.filter(id=patient_id).first().values_list("time_zone", flat=True)
    return zone_of(str(name) if name else "UTC")


async def _audit(ctx: audit.AuditContext, action: str, goal: Goal, **details: str) -> None:
    # The caller may not know the patient before the goal is read (update and close by id).
    ctx = replace(ctx, acting_for_patient_id=goal.patient_id)
    await audit.record(
        ctx,
        action,
        target_type="Goal",
        target_id=str(goal.id),
        details={"kind": goal.kind.value, **details},
    )


def readable_goals(scope: AccessScope, rows: Sequence[Goal | None]) -> list[Goal | None]:
    """Each goal if the viewer may see that patient's progress, else None (as if unknown)."""
    return [
        row
        if row is not None and scope.can_read_patient(row.patient_id, Need.PROGRESS_VIEW)
        else None
        for row in rows
    ]
