"""Batch loads of the progress domain: one statement per batch, whatever the number of keys.

The dashboard's "last 30 pain scores" and the caseload's "latest pain" need the newest N rows
of each patient in one statement. Tortoise 1.1.9 has no window expressions (tortoise-orm issue
#1254 was closed without one, #1420 asks for them with CTEs), so `_newest_per_patient` builds
`ROW_NUMBER() OVER (PARTITION BY patient_id ORDER BY measured_at DESC, id DESC)` in a subquery
with pypika, Tortoise's own query builder, through the connection's dialect: placeholders are
`?` on SQLite and `$1` on PostgreSQL, and the rows come back as models through the executor,
converted exactly as a queryset's would be. Both databases have had window functions for years
(SQLite 3.25, PostgreSQL 8.4).

The loaders do not check access: the schema checks each patient before it asks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiodataloader import DataLoader
from pypika_tortoise.analytics import RowNumber
from pypika_tortoise.enums import Order
from pypika_tortoise.queries import Table
from pypika_tortoise.terms import Field

from api.models.patients import Patient
from api.models.progress import (
    Goal,
    GoalStatus,
    Measurement,
    MetricDefinition,
    MetricKind,
    OutcomeMeasureSubmission,
)

RECENT_PAIN_POINTS = 30
_RANK = "newest_rank"


async def _newest_per_patient(
    patient_ids: Sequence[int], kind: MetricKind, per_patient: int
) -> dict[int, list[Measurement]]:
    """Each patient's newest `per_patient` measurements of a kind, newest first: one statement."""
    if not patient_ids:
        return {}
    db: Any = Measurement._meta.db
    table = Table(Measurement._meta.db_table)
    rank = (
        RowNumber()
        .over(table.patient_id)
        .orderby(table.measured_at, table.id, order=Order.desc)
        .as_(_RANK)
    )
    ranked = (
        db.query_class.from_(table)
        .select(table.star, rank)
        .where(table.patient_id.isin(list(patient_ids)) & (table.kind == kind.value))
    )
    newest = (
        db.query_class.from_(ranked)
        .select(ranked.star)
        .where(Field(_RANK, table=ranked) <= per_patient)
        .orderby(Field("patient_id", table=ranked))
        .orderby(Field(_RANK, table=ranked))
    )
    sql, values = newest.get_parameterized_sql()
    rows: list[Measurement] = await db.executor_class(model=Measurement, db=db).execute_select(
        sql, values
    )
    by_patient: dict[int, list[Measurement]] = defaultdict(list)
    for row in rows:
        by_patient[row.patient_id].append(row)
    return by_patient


class RecentPainByPatientIdLoader(DataLoader[int, list[Measurement]]):
    """The last 30 pain scores of each patient, newest first."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Measurement]]:
        rows = await _newest_per_patient(keys, MetricKind.PAIN, RECENT_PAIN_POINTS)
        return [rows.get(key, []) for key in keys]


class LatestPainByPatientIdLoader(DataLoader[int, Measurement | None]):
    """The newest pain score of each patient (a caseload's column)."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[Measurement | None]:
        rows = await _newest_per_patient(keys, MetricKind.PAIN, 1)
        return [next(iter(rows.get(key, [])), None) for key in keys]


class ActiveGoalsByPatientIdLoader(DataLoader[int, list[Goal]]):
    """Each patient's active goals, soonest target first."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Goal]]:
        by_patient: dict[int, list[Goal]] = defaultdict(list)
        rows = await Goal.filter(patient_id__in=list(keys), status=GoalStatus.ACTIVE).order_by(
            "target_date", "id"
        )
        for row in rows:
            by_patient[row.patient_id].append(row)
        return [by_patient.get(key, []) for key in keys]


class MeasurementByIdLoader(DataLoader[int, Measurement | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[Measurement | None]:
        rows = {row.id: row for row in await Measurement.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class GoalByIdLoader(DataLoader[int, Goal | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[Goal | None]:
        rows = {row.id: row for row in await Goal.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class MetricDefinitionByIdLoader(DataLoader[int, MetricDefinition | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[MetricDefinition | None]:
        rows = {row.id: row for row in await MetricDefinition.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class OutcomeMeasureByIdLoader(DataLoader[int, OutcomeMeasureSubmission | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[OutcomeMeasureSubmission | None]:
        found = await OutcomeMeasureSubmission.filter(id__in=list(keys))
        rows = {row.id: row for row in found}
        return [rows.get(key) for key in keys]


class TimeZoneByPatientIdLoader(DataLoader[int, str | None]):
    """The patient's IANA zone name (None for an unknown patient): calendar buckets need it."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[str | None]:
        rows = await Patient.filter(id__in=list(keys)).values_list("id", "time_zone")
        zones = {int(patient_id): str(zone) for patient_id, zone in rows}
        return [zones.get(key) for key in keys]


@dataclass(slots=True)
class ProgressLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""

    recent_pain_by_patient_id: RecentPainByPatientIdLoader = field(
        default_factory=RecentPainByPatientIdLoader
    )
    latest_pain_by_patient_id: LatestPainByPatientIdLoader = field(
        default_factory=LatestPainByPatientIdLoader
    )
    active_goals_by_patient_id: ActiveGoalsByPatientIdLoader = field(
        default_factory=ActiveGoalsByPatientIdLoader
    )
    measurement_by_id: MeasurementByIdLoader = field(default_factory=MeasurementByIdLoader)
    goal_by_id: GoalByIdLoader = field(default_factory=GoalByIdLoader)
    metric_definition_by_id: MetricDefinitionByIdLoader = field(
        default_factory=MetricDefinitionByIdLoader
    )
    outcome_measure_by_id: OutcomeMeasureByIdLoader = field(
        default_factory=OutcomeMeasureByIdLoader
    )
    time_zone_by_patient_id: TimeZoneByPatientIdLoader = field(
        default_factory=TimeZoneByPatientIdLoader
    )
