"""The progress series a chart draws: measurements of one metric in calendar buckets, with the
active goal's baseline, target and projected line per bucket.

Buckets are calendar days, ISO weeks (Monday to Sunday) or calendar months in the patient's
own time zone. Each measurement's instant is turned into the patient's local date (zoneinfo
knows every DST change), so the day the clocks go forward is still one bucket of 23 hours,
and a score at 23:30 on a Sunday in New York belongs to that week, not to Monday's as it
would in UTC. Every bucket of the range is returned, empty ones with a null average, so the
chart has its whole x axis.

Statements: the patient's zone and active goals (through the request's loaders, shared with
the rest of the query) and one for the measurements; a custom metric adds one for its
definition. Never more, however many points or buckets.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import BadUserInput, NotFound
from api.models.progress import Goal, Measurement, RecorderRole
from api.services.progress.checks import Checks, Metric, MetricSpec
from api.services.progress.goals import GoalLine, line_of, projected_value_on, zone_of
from api.services.progress.metrics import definition_of

if TYPE_CHECKING:
    from api.loaders.progress import ProgressLoaders


class Bucket(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


# A year of days, five years of weeks, ten years of months: more is not one chart.
MAX_BUCKETS = {Bucket.DAY: 366, Bucket.WEEK: 260, Bucket.MONTH: 120}
_UNIT_NAMES = {Bucket.DAY: "days", Bucket.WEEK: "weeks", Bucket.MONTH: "months"}


@dataclass(frozen=True, slots=True)
class SeriesRequest:
    patient_id: int
    metric: MetricSpec
    start: datetime  # inclusive
    end: datetime  # exclusive
    bucket: Bucket


@dataclass(frozen=True, slots=True)
class Point:
    measurement_id: int
    measured_at: datetime
    value: float
    recorded_by_role: RecorderRole


@dataclass(frozen=True, slots=True)
class BucketSummary:
    start: date  # the bucket's first day
    end: date  # its last day (inclusive)
    average: float | None
    minimum: float | None
    maximum: float | None
    count: int
    baseline: float | None
    target: float | None
    projected: float | None  # the goal's line on the bucket's last day


@dataclass(frozen=True, slots=True)
class Series:
    unit: str
    buckets: list[BucketSummary]
    points: list[Point]
    goal: Goal | None


def bucket_start(day: date, bucket: Bucket) -> date:
    if bucket is Bucket.WEEK:
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if bucket is Bucket.MONTH:
        return day.replace(day=1)
    return day


def next_bucket_start(start: date, bucket: Bucket) -> date:
    if bucket is Bucket.WEEK:
        return start + timedelta(days=7)
    if bucket is Bucket.MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def bucket_count(first_day: date, last_day: date, bucket: Bucket) -> int:
    """How many buckets the days span, counted without walking them (the range may be huge)."""
    first, last = bucket_start(first_day, bucket), bucket_start(last_day, bucket)
    if bucket is Bucket.MONTH:
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return (last - first).days // (7 if bucket is Bucket.WEEK else 1) + 1


def local_days(start: datetime, end: datetime, zone_name: str) -> tuple[date, date]:
    """The patient's local dates of the first and last instant of [start, end)."""
    zone = zone_of(zone_name)
    last_instant = end - timedelta(microseconds=1)
    return start.astimezone(zone).date(), last_instant.astimezone(zone).date()


async def progress_series(
    scope: AccessScope, loaders: ProgressLoaders, request: SeriesRequest
) -> Series:
    scope.require_patient(request.patient_id, Need.PROGRESS_VIEW)
    _check_range(request)
    zone_name = await loaders.time_zone_by_patient_id.load(request.patient_id)
    if zone_name is None:
        raise NotFound("No such patient.")
    first_day, last_day = local_days(request.start, request.end, zone_name)
    count = bucket_count(first_day, last_day, request.bucket)
    if count > MAX_BUCKETS[request.bucket]:
        limit, unit = MAX_BUCKETS[request.bucket], _UNIT_NAMES[request.bucket]
        raise BadUserInput(
            f"A {request.bucket.value} series covers at most {limit} {unit}; "
            f"this range covers {count}. Shorten the range or choose a larger bucket.",
            field="to",
        )
    metric = await _metric(request)
    goals = await loaders.active_goals_by_patient_id.load(request.patient_id)
    goal = matching_goal(goals, metric)
    points = await _points(request, metric)
    zone = zone_of(zone_name)
    line = line_of(goal, zone) if goal is not None else None
    by_bucket: dict[date, list[float]] = defaultdict(list)
    for point in points:
        local_day = point.measured_at.astimezone(zone).date()
        by_bucket[bucket_start(local_day, request.bucket)].append(point.value)
    buckets: list[BucketSummary] = []
    start = bucket_start(first_day, request.bucket)
    while start <= last_day:
        following = next_bucket_start(start, request.bucket)
        end = following - timedelta(days=1)
        buckets.append(_summary(start, end, by_bucket.get(start, []), goal, line))
        start = following
    return Series(unit=metric.unit, buckets=buckets, points=points, goal=goal)


def matching_goal(goals: list[Goal], metric: Metric) -> Goal | None:
    """The newest active goal for exactly this metric (a site or side left out of the selector
    matches a goal without one)."""
    found = [
        goal
        for goal in goals
        if goal.kind == metric.kind
        and goal.definition_id == metric.definition_id
        and goal.body_site == metric.body_site
        and goal.side == metric.side
        and goal.movement == metric.movement
        and goal.unit == metric.unit
    ]
    return max(found, key=lambda goal: goal.id, default=None)


def _check_range(request: SeriesRequest) -> None:
    for field, moment in (("from", request.start), ("to", request.end)):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise BadUserInput(
                "Give the time with its offset, e.g. 2024-05-01T00:00:00Z.", field=field
            )
    if request.end <= request.start:
        raise BadUserInput("The end of the range must come after its start.", field="to")


async def _metric(request: SeriesRequest) -> Metric:
    """The selector, checked as a measurement's metric is: a range of motion needs its site,
    movement and side, strength its unit, a custom metric its definition."""
    checks = Checks()
    definition = await definition_of(request.patient_id, request.metric)
    metric = checks.metric(request.metric, definition)
    if checks.problems:
        problem = checks.problems[0]
        raise BadUserInput(problem.message, field=f"metric.{problem.field}")
    assert metric is not None
    return metric


async def _points(request: SeriesRequest, metric: Metric) -> list[Point]:
    spec = request.metric
    # In UTC, as stored: SQLite compares the text, and Tortoise passes a filter's offset as is.
    query = Measurement.filter(
        patient_id=request.patient_id,
        kind=metric.kind,
        unit=metric.unit,
        measured_at__gte=request.start.astimezone(UTC),
        measured_at__lt=request.end.astimezone(UTC),
    )
    if metric.definition_id is not None:
        query = query.filter(definition_id=metric.definition_id)
    if spec.body_site is not None:
        query = query.filter(body_site=spec.body_site.value)
    if spec.side is not None:
        query = query.filter(side=spec.side)
    if spec.movement is not None:
        query = query.filter(movement=spec.movement.value)
    rows = await query.order_by("measured_at", "id").values(
        "id", "measured_at", "value", "recorded_by_role"
    )
    return [
        Point(
            measurement_id=int(row["id"]),
            measured_at=row["measured_at"],
            value=float(row["value"]),
            recorded_by_role=RecorderRole(row["recorded_by_role"]),
        )
        for row in rows
    ]


def _summary(
    start: date, end: date, values: list[float], goal: Goal | None, line: GoalLine | None
) -> BucketSummary:
    return BucketSummary(
        start=start,
        end=end,
        average=math.fsum(values) / len(values) if values else None,
        minimum=min(values) if values else None,
        maximum=max(values) if values else None,
        count=len(values),
        baseline=goal.baseline_value if goal is not None else None,
        target=goal.target_value if goal is not None else None,
        projected=projected_value_on(line, end) if line is not None else None,
    )
