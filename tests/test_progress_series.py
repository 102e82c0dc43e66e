"""progressSeries: calendar buckets in the patient's time zone across DST changes, the goal's
lines per bucket, the range caps, access, and a fixed number of SQL statements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from api.access.scope import AccessScope, Viewer
from api.loaders.progress import ProgressLoaders
from api.models.accounts import Role
from api.models.progress import BodySide, GoalStatus, MetricKind, RecorderRole
from api.services.progress.checks import MetricSpec
from api.services.progress.series import (
    Bucket,
    SeriesRequest,
    bucket_count,
    bucket_start,
    next_bucket_start,
    progress_series,
)
from tests.conftest import GraphQLClient
from tests.progress_support import add_goal, add_measurement, make_clinic, top_code, utc
from tests.sql_counter import count_sql

SERIES = """query($p: ID!, $metric: MetricSelector!, $from: DateTime!, $to: DateTime!,
  $bucket: Bucket!) {
  progressSeries(patientId: $p, metric: $metric, from: $from, to: $to, bucket: $bucket) {
    unit
    buckets { start end average minimum maximum count baseline target projected }
    points { measuredAt value recordedByRole }
    goal { id targetValue }
} }"""


async def series(
    gql: GraphQLClient,
    as_user: int | None,
    patient: str,
    start: str,
    end: str,
    bucket: str,
    metric: dict[str, Any] | None = None,
) -> dict[str, Any]:
    variables = {
        "p": patient,
        "metric": metric or {"kind": "PAIN"},
        "from": start,
        "to": end,
        "bucket": bucket,
    }
    return await gql.execute(SERIES, variables, as_user=as_user)


def counts(body: dict[str, Any]) -> dict[str, int]:
    """Bucket start -> number of points, for the buckets that have any."""
    buckets = body["data"]["progressSeries"]["buckets"]
    return {bucket["start"]: bucket["count"] for bucket in buckets if bucket["count"]}


# --- calendar arithmetic -------------------------------------------------------------------


def test_buckets_follow_the_calendar() -> None:
    sunday = date(2024, 3, 10)
    assert bucket_start(sunday, Bucket.WEEK) == date(2024, 3, 4)  # ISO weeks start on Monday
    assert bucket_start(date(2024, 3, 11), Bucket.WEEK) == date(2024, 3, 11)
    assert bucket_start(sunday, Bucket.MONTH) == date(2024, 3, 1)
    assert next_bucket_start(date(2024, 12, 1), Bucket.MONTH) == date(2025, 1, 1)
    assert next_bucket_start(date(2024, 1, 1), Bucket.MONTH) == date(2024, 2, 1)
    assert bucket_count(date(2024, 1, 1), date(2024, 12, 31), Bucket.DAY) == 366
    assert bucket_count(date(2024, 1, 3), date(2024, 1, 8), Bucket.WEEK) == 2
    assert bucket_count(date(2023, 11, 30), date(2024, 2, 1), Bucket.MONTH) == 4


# --- DST ---------------------------------------------------------------------------------


async def test_new_york_spring_forward(gql: GraphQLClient) -> None:
    clinic = await make_clinic("America/New_York")
    maria = clinic.maria_record
    await add_measurement(maria, 9, utc(2024, 3, 4, 4, 30))  # Sun 3 Mar 23:30 EST: before
    await add_measurement(maria, 2, utc(2024, 3, 10, 4, 30))  # Sat 9 Mar 23:30 EST
    await add_measurement(maria, 4, utc(2024, 3, 10, 6, 30))  # Sun 10 Mar 01:30 EST
    await add_measurement(maria, 6, utc(2024, 3, 10, 7, 30))  # Sun 10 Mar 03:30 EDT
    await add_measurement(maria, 8, utc(2024, 3, 11, 3, 30))  # Sun 10 Mar 23:30 EDT (Mon in UTC)
    await add_measurement(maria, 1, utc(2024, 3, 11, 4, 30))  # Mon 11 Mar 00:30 EDT
    start, end = "2024-03-04T00:00:00-05:00", "2024-03-18T00:00:00-04:00"
    weeks = await series(gql, clinic.maria.id, clinic.maria_id, start, end, "WEEK")
    buckets = weeks["data"]["progressSeries"]["buckets"]
    assert [(b["start"], b["end"], b["count"]) for b in buckets] == [
        ("2024-03-04", "2024-03-10", 4),
        ("2024-03-11", "2024-03-17", 1),
    ]
    assert buckets[0]["average"] == 5.0
    assert len(weeks["data"]["progressSeries"]["points"]) == 5  # [from, to) in any offset
    days = await series(gql, clinic.maria.id, clinic.maria_id, start, end, "DAY")
    day_buckets = days["data"]["progressSeries"]["buckets"]
    assert len(day_buckets) == 14  # the 23-hour day is one bucket like any other
    assert counts(days) == {"2024-03-09": 1, "2024-03-10": 3, "2024-03-11": 1}
    sunday = next(b for b in day_buckets if b["start"] == "2024-03-10")
    assert (sunday["minimum"], sunday["maximum"], sunday["average"]) == (4.0, 8.0, 6.0)


async def test_new_york_fall_back(gql: GraphQLClient) -> None:
    clinic = await make_clinic("America/New_York")
    maria = clinic.maria_record
    await add_measurement(maria, 3, utc(2024, 11, 3, 5, 30))  # 01:30 EDT, the first time
    await add_measurement(maria, 5, utc(2024, 11, 3, 6, 30))  # 01:30 EST, the second time
    await add_measurement(maria, 7, utc(2024, 11, 4, 4, 30))  # Sun 3 Nov 23:30 EST
    await add_measurement(maria, 9, utc(2024, 11, 4, 5, 30))  # Mon 4 Nov 00:30 EST
    start, end = "2024-10-28T00:00:00-04:00", "2024-11-11T00:00:00-05:00"
    days = await series(gql, clinic.maria.id, clinic.maria_id, start, end, "DAY")
    assert len(days["data"]["progressSeries"]["buckets"]) == 14  # the 25-hour day is one
    assert counts(days) == {"2024-11-03": 3, "2024-11-04": 1}
    weeks = await series(gql, clinic.maria.id, clinic.maria_id, start, end, "WEEK")
    assert counts(weeks) == {"2024-10-28": 3, "2024-11-04": 1}
    points = weeks["data"]["progressSeries"]["points"]
    assert [point["value"] for point in points] == [3.0, 5.0, 7.0, 9.0]  # oldest first
    assert points[0]["measuredAt"] == "2024-11-03T05:30:00+00:00"


async def test_london_months_and_weeks(gql: GraphQLClient) -> None:
    clinic = await make_clinic("Europe/London")
    maria = clinic.maria_record
    await add_measurement(maria, 2, utc(2024, 3, 31, 22, 30))  # 31 Mar 23:30 BST
    await add_measurement(maria, 4, utc(2024, 3, 31, 23, 30))  # 1 Apr 00:30 BST
    await add_measurement(maria, 6, utc(2024, 6, 30, 23, 30))  # 1 Jul 00:30 BST
    await add_measurement(maria, 8, utc(2024, 10, 27, 23, 30))  # Sun 27 Oct 23:30 GMT
    start, end = "2024-03-01T00:00:00Z", "2024-11-01T00:00:00Z"
    months = await series(gql, clinic.maria.id, clinic.maria_id, start, end, "MONTH")
    buckets = months["data"]["progressSeries"]["buckets"]
    assert [b["start"] for b in buckets] == [f"2024-{m:02d}-01" for m in range(3, 11)]
    assert buckets[0]["end"] == "2024-03-31"
    assert counts(months) == {"2024-03-01": 1, "2024-04-01": 1, "2024-07-01": 1, "2024-10-01": 1}
    weeks = await series(gql, clinic.maria.id, clinic.maria_id, start, end, "WEEK")
    assert counts(weeks) == {"2024-03-25": 1, "2024-04-01": 1, "2024-07-01": 1, "2024-10-21": 1}


# --- the goal's lines ----------------------------------------------------------------------


async def test_buckets_carry_the_goal_and_its_projected_line(gql: GraphQLClient) -> None:
    clinic = await make_clinic("America/New_York")
    maria = clinic.maria_record
    goal = await add_goal(
        maria, baseline=8, baseline_at=utc(2024, 3, 1, 17), target=2, target_date=date(2024, 3, 4)
    )
    for value, hour in ((3, 13), (4, 15), (8, 20)):
        await add_measurement(maria, value, utc(2024, 3, 2, hour), role=RecorderRole.THERAPIST)
    body = await series(
        gql, clinic.dana.id, clinic.maria_id, "2024-02-29T05:00:00Z", "2024-03-06T05:00:00Z", "DAY"
    )
    result = body["data"]["progressSeries"]
    assert result["unit"] == "{score}"
    assert result["goal"]["targetValue"] == 2.0
    rows = [
        (b["start"], b["count"], b["average"], b["baseline"], b["target"], b["projected"])
        for b in result["buckets"]
    ]
    assert rows == [
        ("2024-02-29", 0, None, 8.0, 2.0, None),  # before the baseline: no line
        ("2024-03-01", 0, None, 8.0, 2.0, 8.0),
        ("2024-03-02", 3, 5.0, 8.0, 2.0, 6.0),
        ("2024-03-03", 0, None, 8.0, 2.0, 4.0),
        ("2024-03-04", 0, None, 8.0, 2.0, 2.0),
        ("2024-03-05", 0, None, 8.0, 2.0, 2.0),
    ]
    assert {point["recordedByRole"] for point in result["points"]} == {"THERAPIST"}
    weeks = await series(
        gql, clinic.dana.id, clinic.maria_id, "2024-02-26T05:00:00Z", "2024-03-11T04:00:00Z", "WEEK"
    )
    projected = [b["projected"] for b in weeks["data"]["progressSeries"]["buckets"]]
    assert projected == [4.0, 2.0]  # at each week's Sunday: 3 Mar, then 10 Mar
    goal.status = GoalStatus.ACHIEVED
    await goal.save()
    closed = await series(
        gql, clinic.dana.id, clinic.maria_id, "2024-02-29T05:00:00Z", "2024-03-06T05:00:00Z", "DAY"
    )
    assert closed["data"]["progressSeries"]["goal"] is None
    assert {b["projected"] for b in closed["data"]["progressSeries"]["buckets"]} == {None}


async def test_the_goal_and_points_must_match_the_selected_metric(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    maria = clinic.maria_record
    knee: dict[str, Any] = {
        "kind": MetricKind.RANGE_OF_MOTION,
        "unit": "deg",
        "body_site": "KNEE",
        "movement": "FLEXION",
    }
    await add_goal(
        maria,
        baseline=90,
        baseline_at=utc(2024, 1, 1, 17),
        target=120,
        target_date=date(2024, 1, 31),
        side=BodySide.RIGHT,
        **knee,
    )
    await add_measurement(maria, 95, utc(2024, 1, 10, 15), side=BodySide.RIGHT, **knee)
    await add_measurement(maria, 100, utc(2024, 1, 10, 15), side=BodySide.LEFT, **knee)
    selector = {"kind": "RANGE_OF_MOTION", "bodySite": "KNEE", "movement": "FLEXION"}
    span = ("2024-01-01T05:00:00Z", "2024-02-01T05:00:00Z", "MONTH")
    right = await series(gql, clinic.dana.id, clinic.maria_id, *span, {**selector, "side": "RIGHT"})
    assert right["data"]["progressSeries"]["goal"]["targetValue"] == 120.0
    assert [p["value"] for p in right["data"]["progressSeries"]["points"]] == [95.0]
    assert right["data"]["progressSeries"]["buckets"][0]["projected"] == 120.0
    left = await series(gql, clinic.dana.id, clinic.maria_id, *span, {**selector, "side": "LEFT"})
    assert left["data"]["progressSeries"]["goal"] is None
    assert [p["value"] for p in left["data"]["progressSeries"]["points"]] == [100.0]


# --- limits, selectors and access ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "bucket", "metric", "field"),
    [
        ("2024-01-01T05:00:00Z", "2025-01-02T05:00:00Z", "DAY", None, "to"),  # 367 days
        ("2024-01-01T05:00:00Z", "2029-01-01T05:00:00Z", "WEEK", None, "to"),  # 262 weeks
        ("2014-01-01T05:00:00Z", "2024-02-01T05:00:00Z", "MONTH", None, "to"),  # 121 months
        ("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z", "DAY", None, "to"),
        ("2024-01-01T00:00:00", "2024-01-03T00:00:00Z", "DAY", None, "from"),
        (
            "2024-01-01T00:00:00Z",
            "2024-01-03T00:00:00Z",
            "DAY",
            {"kind": "RANGE_OF_MOTION"},
            "metric.bodySite",
        ),
        (
            "2024-01-01T00:00:00Z",
            "2024-01-03T00:00:00Z",
            "DAY",
            {"kind": "RANGE_OF_MOTION", "bodySite": "HIP", "movement": "ABDUCTION"},
            "metric.side",
        ),
        (
            "2024-01-01T00:00:00Z",
            "2024-01-03T00:00:00Z",
            "DAY",
            {"kind": "STRENGTH", "bodySite": "HIP", "movement": "ABDUCTION"},
            "metric.unit",
        ),
        (
            "2024-01-01T00:00:00Z",
            "2024-01-03T00:00:00Z",
            "DAY",
            {"kind": "CUSTOM"},
            "metric.definitionId",
        ),
    ],
)
async def test_bad_ranges_and_selectors_name_their_field(
    gql: GraphQLClient,
    start: str,
    end: str,
    bucket: str,
    metric: dict[str, Any] | None,
    field: str,
) -> None:
    clinic = await make_clinic()
    body = await series(gql, clinic.maria.id, clinic.maria_id, start, end, bucket, metric)
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_the_longest_ranges_are_allowed(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    for start, end, bucket, expected in (
        ("2024-01-01T05:00:00Z", "2025-01-01T05:00:00Z", "DAY", 366),
        ("2024-01-01T05:00:00Z", "2028-12-25T05:00:00Z", "WEEK", 260),
        ("2014-01-01T05:00:00Z", "2024-01-01T05:00:00Z", "MONTH", 120),
    ):
        body = await series(gql, clinic.maria.id, clinic.maria_id, start, end, bucket)
        assert len(body["data"]["progressSeries"]["buckets"]) == expected


async def test_who_may_see_a_series(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    await add_measurement(clinic.maria_record, 4, utc(2024, 1, 2, 15))
    span = ("2024-01-01T05:00:00Z", "2024-01-08T05:00:00Z", "WEEK")
    for viewer in (clinic.maria.id, clinic.dana.id, clinic.admin.id):
        body = await series(gql, viewer, clinic.maria_id, *span)
        assert body["data"]["progressSeries"]["buckets"][0]["average"] == 4.0
    for viewer in (clinic.bob.id, clinic.lee.id):
        assert top_code(await series(gql, viewer, clinic.maria_id, *span)) == "NOT_FOUND"
    assert top_code(await series(gql, None, clinic.maria_id, *span)) == "UNAUTHENTICATED"


# --- statements ----------------------------------------------------------------------------


async def _fill(patient_id: int, points: int) -> None:
    from api.models.patients import Patient

    patient = await Patient.get(id=patient_id)
    for index in range(points):
        await add_measurement(patient, index % 11, utc(2024, 1, 1 + index % 28, 12, index % 60))


@pytest.mark.parametrize("points", [10, 300])
async def test_a_series_runs_a_fixed_number_of_statements(gql: GraphQLClient, points: int) -> None:
    clinic = await make_clinic()
    await add_goal(
        clinic.maria_record,
        baseline=8,
        baseline_at=utc(2024, 1, 1, 17),
        target=2,
        target_date=date(2024, 3, 1),
    )
    await _fill(clinic.maria_record.id, points)
    span = ("2024-01-01T05:00:00Z", "2025-01-01T05:00:00Z", "DAY")
    with count_sql() as sql:
        body = await series(gql, clinic.dana.id, clinic.maria_id, *span)
    assert len(body["data"]["progressSeries"]["points"]) == points
    # viewer roles + care team (2), zone + goals + measurements (3), record-access log (1)
    assert sql.count == 6, sql.statements
    scope = AccessScope(
        Viewer(user_id=clinic.dana.id, roles=frozenset({Role.THERAPIST})),
        care_team=frozenset({clinic.maria_record.id}),
    )
    request = SeriesRequest(
        patient_id=clinic.maria_record.id,
        metric=MetricSpec(kind=MetricKind.PAIN),
        start=datetime.fromisoformat(span[0]),
        end=datetime.fromisoformat(span[1]),
        bucket=Bucket.DAY,
    )
    with count_sql() as service_sql:
        result = await progress_series(scope, ProgressLoaders(), request)
    assert service_sql.count == 3
    assert len(result.buckets) == 366
    assert sum(bucket.count for bucket in result.buckets) == points
