"""The plans domain's DataLoaders: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from aiodataloader import DataLoader
from tortoise.functions import Count

from api.loaders.plans.rows import PLAN_COLUMNS, PlanRow
from api.loaders.plans.weeks import Dose, Tally, WeekFigures, count_week, local_date, week_start
from api.models.plans import (
    ExerciseLog,
    PlanPhase,
    PlanStatus,
    Prescription,
    SessionOutcome,
    TreatmentPlan,
)


async def _plans(**filters: Any) -> list[PlanRow]:
    query = TreatmentPlan.filter(**filters).order_by("-starts_on", "-id").values(*PLAN_COLUMNS)
    return [PlanRow.from_values(values) for values in await query]


class PlanByIdLoader(DataLoader[int, PlanRow | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[PlanRow | None]:
        rows = {row.id: row for row in await _plans(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class PlansByPatientIdLoader(DataLoader[int, list[PlanRow]]):
    """Every plan of a patient (drafts too: the caller filters by who is asking), newest first."""

    def __init__(self, plan_by_id: PlanByIdLoader) -> None:
        super().__init__()
        self.plan_by_id = plan_by_id

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[PlanRow]]:
        found: dict[int, list[PlanRow]] = defaultdict(list)
        for row in await _plans(patient_id__in=list(keys)):
            self.plan_by_id.prime(row.id, row)
            found[row.patient_id].append(row)
        return [found.get(key, []) for key in keys]


class ActivePlanByPatientIdLoader(DataLoader[int, PlanRow | None]):
    def __init__(self, plan_by_id: PlanByIdLoader) -> None:
        super().__init__()
        self.plan_by_id = plan_by_id

    async def batch_load_fn(self, keys: Sequence[int]) -> list[PlanRow | None]:
        found: dict[int, PlanRow] = {}
        for row in await _plans(patient_id__in=list(keys), status=PlanStatus.ACTIVE):
            self.plan_by_id.prime(row.id, row)
            found.setdefault(row.patient_id, row)  # newest first, should there be two
        return [found.get(key) for key in keys]


class PhasesByPlanIdLoader(DataLoader[int, list[PlanPhase]]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[PlanPhase]]:
        found: dict[int, list[PlanPhase]] = defaultdict(list)
        phases = PlanPhase.filter(plan_id__in=list(keys)).order_by("plan_id", "position", "id")
        for phase in await phases:
            found[phase.plan_id].append(phase)
        return [found.get(key, []) for key in keys]


class PhaseByIdLoader(DataLoader[int, PlanPhase | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[PlanPhase | None]:
        rows = {row.id: row for row in await PlanPhase.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


def _prescriptions_query() -> Any:
    # The performed and the base exercise come in the same statement (two joins).
    return Prescription.all().select_related("exercise", "base_exercise")


class PrescriptionsByPhaseIdLoader(DataLoader[int, list[Prescription]]):
    """A phase's prescriptions in order, removed ones included (adherence of past weeks needs
    them), each with its `exercise` and `base_exercise` rows already fetched."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Prescription]]:
        found: dict[int, list[Prescription]] = defaultdict(list)
        query = _prescriptions_query().filter(phase_id__in=list(keys)).order_by("position", "id")
        for row in await query:
            found[row.phase_id].append(row)
        return [found.get(key, []) for key in keys]


class PrescriptionByIdLoader(DataLoader[int, Prescription | None]):
    """One prescription (removed or not) with its exercises and its phase."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[Prescription | None]:
        query = _prescriptions_query().select_related("phase").filter(id__in=list(keys))
        rows = {row.id: row for row in await query}
        return [rows.get(key) for key in keys]


PlanWeek = tuple[int, date]  # (plan id, first day of the week)


class LogTalliesByPlanWeekLoader(DataLoader[PlanWeek, list[Tally]]):
    """Logged sessions per prescription and outcome in one week of one plan."""

    async def batch_load_fn(self, keys: Sequence[PlanWeek]) -> list[list[Tally]]:
        first = min(starts for _, starts in keys)
        last = max(starts for _, starts in keys) + timedelta(days=6)
        query = (
            ExerciseLog.filter(
                plan_id__in=list({plan_id for plan_id, _ in keys}),
                performed_on__gte=first,
                performed_on__lte=last,
            )
            .annotate(count=Count("id"))
            .group_by("plan_id", "prescription_id", "performed_on", "outcome")
            .values("plan_id", "prescription_id", "performed_on", "outcome", "count")
        )
        found: dict[PlanWeek, dict[tuple[int, SessionOutcome], int]] = defaultdict(
            lambda: defaultdict(int)
        )
        wanted = set(keys)
        for row in await query:
            for plan_week in _weeks_holding(row["plan_id"], row["performed_on"], wanted):
                outcome = SessionOutcome(row["outcome"])
                found[plan_week][(row["prescription_id"], outcome)] += int(row["count"])
        return [
            [Tally(pid, outcome, n) for (pid, outcome), n in found.get(key, {}).items()]
            for key in keys
        ]


def _weeks_holding(plan_id: int, day: date, wanted: set[PlanWeek]) -> Iterable[PlanWeek]:
    return (
        (plan_id, starts)
        for starts in (day - timedelta(days=offset) for offset in range(7))
        if (plan_id, starts) in wanted
    )


class DosesByPlanIdLoader(DataLoader[int, list[Dose]]):
    """The lean weekly doses of a plan's prescriptions (no exercise rows), for caseloads."""

    def __init__(self, plan_by_id: PlanByIdLoader) -> None:
        super().__init__()
        self.plan_by_id = plan_by_id

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Dose]]:
        plans = {row.id: row for row in await self.plan_by_id.load_many(keys) if row}
        query = Prescription.filter(phase__plan_id__in=list(keys)).values(
            "id",
            "phase_id",
            "phase__plan_id",
            "phase__start_week",
            "phase__end_week",
            "times_per_day",
            "days_per_week",
            "removed_at",
        )
        found: dict[int, list[Dose]] = defaultdict(list)
        for row in await query:
            plan = plans[row["phase__plan_id"]]
            removed_at: datetime | None = row["removed_at"]
            found[plan.id].append(
                Dose(
                    prescription_id=row["id"],
                    phase_id=row["phase_id"],
                    start_week=row["phase__start_week"],
                    end_week=row["phase__end_week"],
                    sessions_per_week=row["times_per_day"] * row["days_per_week"],
                    removed_on=local_date(removed_at, plan.time_zone) if removed_at else None,
                )
            )
        return [found.get(key, []) for key in keys]


class AdherenceThisWeekByPatientIdLoader(DataLoader[int, WeekFigures | None]):
    """This week's adherence of each patient's active plan: three statements for any number
    of patients (active plans, their doses, their logs). None without an active plan, or
    before it starts."""

    def __init__(
        self,
        active_plan: ActivePlanByPatientIdLoader,
        doses: DosesByPlanIdLoader,
        tallies: LogTalliesByPlanWeekLoader,
    ) -> None:
        super().__init__()
        self.active_plan = active_plan
        self.doses = doses
        self.tallies = tallies

    async def batch_load_fn(self, keys: Sequence[int]) -> list[WeekFigures | None]:
        plans = await self.active_plan.load_many(keys)
        weeks: dict[int, int] = {}
        for plan in plans:
            current = plan.current_week() if plan is not None else None
            if plan is not None and current is not None:
                weeks[plan.id] = current
        started = [plan for plan in plans if plan is not None and plan.id in weeks]
        doses = await self.doses.load_many([plan.id for plan in started])
        tallies = await self.tallies.load_many(
            [(plan.id, week_start(plan.starts_on, weeks[plan.id])) for plan in started]
        )
        figures = {
            plan.id: count_week(plan.starts_on, weeks[plan.id], plan_doses, plan_tallies)
            for plan, plan_doses, plan_tallies in zip(started, doses, tallies, strict=True)
        }
        return [figures.get(plan.id) if plan is not None else None for plan in plans]
