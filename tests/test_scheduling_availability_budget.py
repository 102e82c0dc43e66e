"""availableSlots reads in at most four statements, however many therapists and days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.models.therapists import Specialty, TherapistSpecialty
from api.services.scheduling.availability import SlotQuery, find_slots
from api.settings import Settings
from tests.accounts_support import make_user
from tests.clinical_support import gid, make_location, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import give_hours, make_session_types
from tests.sql_counter import count_sql

START = datetime(2031, 7, 7, 4, 0, tzinfo=UTC)
NOW = START - timedelta(days=1)


async def _clinic(count: int) -> list[int]:
    await make_session_types()
    location = await make_location()
    ids = []
    for n in range(count):
        _, therapist = await make_therapist(f"t{n}@clinic.test", name=f"T {n}")
        await TherapistSpecialty.create(therapist=therapist, specialty=Specialty.ORTHOPEDIC)
        await give_hours(therapist, location, weekdays=(0, 1, 2, 3), start="09:00", end="17:00")
        await give_hours(therapist, None, weekdays=(4,), start="08:00", end="12:00")
        ids.append(therapist.id)
    return ids


@pytest.mark.parametrize("therapists", [2, 20])
@pytest.mark.parametrize("days", [1, 28])
async def test_service_statement_budget(
    database: None, settings: Settings, therapists: int, days: int
) -> None:
    ids = await _clinic(therapists)
    query = SlotQuery(
        session_type="follow_up",
        starts_from=START,
        until=START + timedelta(days=days),
        specialty=Specialty.ORTHOPEDIC,
        now=NOW,
    )
    with count_sql() as counter:
        found = await find_slots(settings, query)
    assert counter.count <= 4, counter.statements
    assert {slot.therapist_id for slot in found.slots} == set(ids)


@pytest.mark.parametrize("therapists", [2, 20])
async def test_graphql_statement_budget(
    database: None, settings: Settings, gql: object, therapists: int
) -> None:
    await _clinic(therapists)
    user, _patient = await make_patient()
    query = """
      query($filter: SlotFilter!) {
        availableSlots(filter: $filter, timeZone: "Europe/London") {
          ... on AvailableSlots { timeZone slots { startsAt localStart localDate
              therapist { id name } location { id timeZone } sessionType { code } } }
          ... on ScheduleErrors { errors { code field } }
        }
      }"""
    begin = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    variables = {
        "filter": {
            "sessionType": "follow_up",
            "from": begin.isoformat(),
            "to": (begin + timedelta(days=28)).isoformat(),
        }
    }
    execute = gql.execute  # type: ignore[attr-defined]
    await execute("{ sessionTypes { code } }", as_user=user.id)  # warm the scope path
    with count_sql() as baseline:
        await execute("{ sessionTypes { code } }", as_user=user.id)
    with count_sql() as counter:
        body = await execute(query, variables, as_user=user.id)
    slots = body["data"]["availableSlots"]["slots"]
    assert len({slot["therapist"]["id"] for slot in slots}) == therapists
    assert slots[0]["localStart"][19:] in {"+00:00", "+01:00"}
    # The baseline is the viewer's session and scope plus one statement (session types).
    assert counter.count - (baseline.count - 1) <= 4, counter.statements


async def test_range_and_zone_errors(database: None, settings: Settings, gql: object) -> None:
    await _clinic(1)
    user = await make_user("x@example.org")
    execute = gql.execute  # type: ignore[attr-defined]
    query = """
      query($filter: SlotFilter!, $tz: String) {
        availableSlots(filter: $filter, timeZone: $tz) {
          ... on ScheduleErrors { errors { code field } }
        }
      }"""
    body = await execute(
        query,
        {
            "filter": {
                "sessionType": "follow_up",
                "from": "2031-07-01T00:00:00Z",
                "to": "2031-08-15T00:00:00Z",
            },
            "tz": "Mars/Olympus",
        },
        as_user=user.id,
    )
    codes = {e["code"] for e in body["data"]["availableSlots"]["errors"]}
    assert codes == {"UNKNOWN_TIME_ZONE", "RANGE_TOO_LONG"}
    body = await execute(
        query,
        {
            "filter": {
                "sessionType": "nope",
                "from": "2031-07-01T00:00:00Z",
                "to": "2031-07-02T00:00:00Z",
            }
        },
        as_user=user.id,
    )
    assert body["data"]["availableSlots"]["errors"][0]["code"] == "UNKNOWN_SESSION_TYPE"


@pytest.mark.parametrize("zone", ["Europe", "America/", "x" * 300, "../etc/passwd"])
async def test_a_zone_that_is_a_directory_or_too_long_is_a_typed_error(
    database: None, settings: Settings, gql: GraphQLClient, zone: str
) -> None:
    await _clinic(1)
    user = await make_user("x@example.org")
    query = """query($tz: String) { availableSlots(filter: {sessionType: "follow_up",
      from: "2031-07-01T00:00:00Z", to: "2031-07-02T00:00:00Z"}, timeZone: $tz) {
      ... on ScheduleErrors { errors { code field } } } }"""
    body = await gql.execute(query, {"tz": zone}, as_user=user.id)
    assert "errors" not in body, body
    assert body["data"]["availableSlots"]["errors"] == [
        {"code": "UNKNOWN_TIME_ZONE", "field": "timeZone"}
    ]


async def test_therapist_ids_are_bounded(
    database: None, settings: Settings, gql: GraphQLClient
) -> None:
    ids = await _clinic(1)
    user = await make_user("x@example.org")
    query = """query($ids: [ID!]) { availableSlots(filter: {sessionType: "follow_up",
      from: "2031-07-01T00:00:00Z", to: "2031-07-02T00:00:00Z", therapistIds: $ids}) {
      __typename } }"""
    fifty = [gid("Therapist", ids[0] + n) for n in range(50)]
    body = await gql.execute(query, {"ids": fifty}, as_user=user.id)
    assert body["data"]["availableSlots"]["__typename"] == "AvailableSlots", body
    body = await gql.execute(query, {"ids": [*fifty, gid("Therapist", 1)]}, as_user=user.id)
    assert body["data"] is None or body["data"]["availableSlots"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error


async def test_times_without_an_offset_are_refused_in_words(
    database: None, settings: Settings, gql: GraphQLClient
) -> None:
    await _clinic(1)
    user = await make_user("x@example.org")
    # Inline, as a hand-written query would: a date alone parses as a naive DateTime.
    query = """query { availableSlots(filter: {sessionType: "follow_up", from: "2031-07-01",
      to: "2031-07-03T00:00:00Z"}) { ... on ScheduleErrors { errors { code field } } } }"""
    body = await gql.execute(query, as_user=user.id)
    assert body["data"]["availableSlots"]["errors"] == [
        {"code": "INVALID_TIME", "field": "filter.from"}
    ]
