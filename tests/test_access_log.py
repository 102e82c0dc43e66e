"""Who saw my record: the grouped access log, who may read it, its window, its pages and
statements, and the CSV export."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.access.needs import Need
from api.models.accounts import Role, User
from api.models.audit import RecordAccess
from api.models.caregivers import GrantKind
from api.models.patients import Patient
from api.services.access_log import offset_segments
from tests.accounts_support import make_user
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient
from tests.progress_support import Clinic, make_clinic, top_code
from tests.sql_counter import count_sql

LOG = """query($patientId: ID, $from: DateTime, $to: DateTime, $first: Int, $after: String,
    $includeOwn: Boolean! = false) {
  recordAccessLog(patientId: $patientId, from: $from, to: $to, first: $first, after: $after,
      includeOwn: $includeOwn) {
    __typename
    ... on RecordAccessLog {
      from to timeZone
      entries {
        grouping who role actingFor count firstAccessAt lastAccessAt day
        emergencyReason emergencyOpenedAt resources { resource action count }
      }
      pageInfo { hasNextPage endCursor }
    }
    ... on AccessLogErrors { errors { code field } }
} }"""
PATIENT = "query($id: ID!) { patient(id: $id) { givenName } }"
REASON = "Unconscious in the waiting room; need her medication list now."


@pytest.fixture
async def clinic(database: None) -> Clinic:
    return await make_clinic()


async def add_reads(
    patient: Patient,
    actor: User | None,
    role: str,
    at: datetime,
    *,
    resources: tuple[str, ...] = ("Patient",),
    request_id: str = "",
    emergency_access_id: int | None = None,
) -> None:
    await RecordAccess.bulk_create(
        [
            RecordAccess(
                occurred_at=at,
                actor_user_id=actor.id if actor else None,
                actor_role=role,
                patient_id=patient.id,
                resource=resource,
                resource_id=str(index),
                request_id=request_id,
                emergency_access_id=emergency_access_id,
            )
            for index, resource in enumerate(resources)
        ]
    )


async def read_log(
    gql: GraphQLClient, as_user: int | None, acting_for: str | None = None, **variables: Any
) -> dict[str, Any]:
    body = await gql.execute(LOG, variables, as_user=as_user, acting_for=acting_for)
    if body.get("errors"):
        return body
    result: dict[str, Any] = body["data"]["recordAccessLog"]
    return result


async def test_the_patient_sees_who_read_their_record_grouped(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    maria = clinic.maria_record
    # Dana (care team) twice today through the API: one entry for the day.
    for _ in range(2):
        assert "errors" not in await gql.execute(
            PATIENT, {"id": clinic.maria_id}, as_user=clinic.dana.id
        )
    # A caregiver, in two requests: two entries, each naming Maria.
    helper = await make_caregiver()
    await grant(maria, helper, (Need.APPOINTMENTS_VIEW,))
    for _ in range(2):
        body = await gql.execute(
            PATIENT, {"id": clinic.maria_id}, as_user=helper.id, acting_for=clinic.maria_id
        )
        assert body["data"]["patient"] == {"givenName": "Maria"}
    # Lee under emergency access: one entry with the reason.
    opened = await gql.execute(
        """mutation($input: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $input) {
          __typename } }""",
        {"input": {"patientId": clinic.maria_id, "reason": REASON}},
        as_user=clinic.lee.id,
    )
    assert opened["data"]["openEmergencyAccess"]["__typename"] == "OpenEmergencyAccessPayload"
    await gql.execute(PATIENT, {"id": clinic.maria_id}, as_user=clinic.lee.id)
    # Maria's own reading: left out unless asked for.
    await gql.execute(PATIENT, {"id": clinic.maria_id}, as_user=clinic.maria.id)

    log = await read_log(gql, clinic.maria.id)
    assert log["__typename"] == "RecordAccessLog", log
    assert log["timeZone"] == "America/New_York"
    entries = log["entries"]
    # Newest first: Lee's emergency, then the caregiver's two requests, then Dana's day.
    assert [(e["grouping"], e["who"], e["role"]) for e in entries] == [
        ("EMERGENCY_ACCESS", "Lee Park", "THERAPIST"),
        ("REQUEST", "Grace Chen", "CAREGIVER"),
        ("REQUEST", "Grace Chen", "CAREGIVER"),
        ("DAY", "Dana Whitfield", "THERAPIST"),
    ]
    emergency, caregiving, _, routine = entries
    assert emergency["emergencyReason"] == REASON
    assert emergency["emergencyOpenedAt"] is not None
    assert {r["resource"] for r in emergency["resources"]} == {"EmergencyAccess", "Patient"}
    assert caregiving["actingFor"] == "Maria Gonzalez"
    assert caregiving["count"] == 1
    assert routine["actingFor"] is None
    assert routine["resources"] == [{"resource": "Patient", "action": "READ", "count": 2}]
    assert routine["count"] == 2
    today = datetime.now(UTC).astimezone(ZoneInfo("America/New_York"))
    assert routine["day"] == today.date().isoformat()
    assert all(e["day"] is None for e in entries[:3])

    own = await read_log(gql, clinic.maria.id, includeOwn=True)
    assert ("DAY", "Maria Gonzalez", "PATIENT") in [
        (e["grouping"], e["who"], e["role"]) for e in own["entries"]
    ]
    # Reading the log is itself in the log (as the patient's own access).
    assert await RecordAccess.filter(resource="RecordAccessLog").count() == 2


async def test_who_may_read_the_log(gql: GraphQLClient, clinic: Clinic) -> None:
    await add_reads(clinic.maria_record, clinic.dana, "THERAPIST", datetime.now(UTC))
    maria = clinic.maria_id
    assert (await read_log(gql, clinic.maria.id))["__typename"] == "RecordAccessLog"
    admin = await read_log(gql, clinic.admin.id, patientId=maria)
    assert [e["who"] for e in admin["entries"]] == ["Dana Whitfield"]
    assert top_code(await read_log(gql, clinic.admin.id)) == "BAD_USER_INPUT"
    assert top_code(await read_log(gql, None, patientId=maria)) == "UNAUTHENTICATED"
    # Out of reach: not found. Reached, but not theirs to read: forbidden.
    for outsider in (clinic.bob.id, clinic.lee.id):
        assert top_code(await read_log(gql, outsider, patientId=maria)) == "NOT_FOUND"
    assert top_code(await read_log(gql, clinic.dana.id, patientId=maria)) == "FORBIDDEN"
    proxy = await make_caregiver("sam@example.org", name="Sam Proxy")
    await grant(clinic.maria_record, proxy, ())
    assert top_code(await read_log(gql, proxy.id, acting_for=maria)) == "FORBIDDEN"

    # A guardian reads their dependent's log, acting for them.
    child = await Patient.create(
        given_name="Noa", family_name="Gonzalez", date_of_birth=date(2019, 4, 2)
    )
    guardian = await make_caregiver()
    await grant(child, guardian, kind=GrantKind.GUARDIAN)
    await add_reads(child, clinic.dana, "THERAPIST", datetime.now(UTC))
    child_id = gid("Patient", child.id)
    theirs = await read_log(gql, guardian.id, acting_for=child_id)
    assert [e["who"] for e in theirs["entries"]] == ["Dana Whitfield"]
    named = await read_log(gql, guardian.id, acting_for=child_id, patientId=child_id)
    # The guardian's own reading of the log shows too: a caregiver's every access does.
    assert [
        (e["who"], e["actingFor"], e["resources"][0]["resource"]) for e in named["entries"]
    ] == [
        ("Grace Chen", "Noa Gonzalez", "RecordAccessLog"),
        ("Dana Whitfield", None, "Patient"),
    ]
    # Without the grant in this request the record is out of reach.
    assert top_code(await read_log(gql, guardian.id, patientId=child_id)) == "NOT_FOUND"


async def test_the_window_is_bounded_and_checked(gql: GraphQLClient, clinic: Clinic) -> None:
    now = datetime.now(UTC)
    await add_reads(clinic.maria_record, clinic.dana, "THERAPIST", now - timedelta(days=100))
    await add_reads(clinic.maria_record, clinic.admin, "ADMIN", now - timedelta(days=2))
    # By default the last 90 days.
    recent = await read_log(gql, clinic.maria.id)
    assert [e["who"] for e in recent["entries"]] == ["Morgan Reyes"]
    year = await read_log(gql, clinic.maria.id, **{"from": (now - timedelta(days=365)).isoformat()})
    assert [e["role"] for e in year["entries"]] == ["ADMIN", "THERAPIST"]
    window = await read_log(
        gql,
        clinic.maria.id,
        **{
            "from": (now - timedelta(days=101)).isoformat(),
            "to": (now - timedelta(days=99)).isoformat(),
        },
    )
    assert [e["role"] for e in window["entries"]] == ["THERAPIST"]

    inverted = await read_log(
        gql,
        clinic.maria.id,
        **{"from": now.isoformat(), "to": (now - timedelta(days=1)).isoformat()},
    )
    assert inverted == {
        "__typename": "AccessLogErrors",
        "errors": [{"code": "RANGE_INVERTED", "field": "from"}],
    }
    too_long = await read_log(
        gql, clinic.maria.id, **{"from": (now - timedelta(days=367)).isoformat()}
    )
    assert too_long["errors"] == [{"code": "RANGE_TOO_LONG", "field": "from"}]
    assert top_code(await read_log(gql, clinic.maria.id, after="not-a-cursor")) == "BAD_USER_INPUT"


async def test_days_are_the_patients_days_across_daylight_saving(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    maria, dana = clinic.maria_record, clinic.dana
    # New York: UTC-5 until 2026-03-08 07:00 UTC, UTC-4 after.
    for moment in (
        datetime(2026, 3, 8, 4, 30, tzinfo=UTC),  # 7 March, 23:30 EST
        datetime(2026, 3, 8, 5, 30, tzinfo=UTC),  # 8 March, 00:30 EST
        datetime(2026, 3, 9, 3, 30, tzinfo=UTC),  # 8 March, 23:30 EDT
        datetime(2026, 3, 9, 4, 30, tzinfo=UTC),  # 9 March, 00:30 EDT
    ):
        await add_reads(maria, dana, "THERAPIST", moment)
    log = await read_log(
        gql,
        clinic.maria.id,
        **{"from": "2026-03-01T00:00:00+00:00", "to": "2026-03-15T00:00:00+00:00"},
    )
    assert [(e["day"], e["count"]) for e in log["entries"]] == [
        ("2026-03-09", 1),
        ("2026-03-08", 2),
        ("2026-03-07", 1),
    ]


def test_offset_segments_find_each_change_to_the_second() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = datetime(2027, 1, 1, tzinfo=UTC)
    pieces = offset_segments(ZoneInfo("America/New_York"), start, end)
    assert pieces == [
        (datetime(2026, 3, 8, 7, tzinfo=UTC), -5 * 3600),
        (datetime(2026, 11, 1, 6, tzinfo=UTC), -4 * 3600),
        (end, -5 * 3600),
    ]
    assert offset_segments(ZoneInfo("UTC"), start, end) == [(end, 0)]


async def test_pages_and_statements_do_not_grow_with_the_rows(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    maria = clinic.maria_record
    now = datetime.now(UTC)
    helper = await make_caregiver()

    async def add_groups(count: int, offset: int) -> None:
        for index in range(offset, offset + count):
            at = now - timedelta(days=index + 1)
            await add_reads(
                maria, clinic.dana, "THERAPIST", at, resources=("Patient", "Measurement")
            )
            await add_reads(maria, helper, "CAREGIVER", at, request_id=f"req-{index}")

    async def statements() -> int:
        with count_sql() as counter:
            body = await read_log(gql, clinic.maria.id, first=50)
        assert body["__typename"] == "RecordAccessLog"
        return counter.count

    await add_groups(2, 0)
    few = await statements()
    await add_groups(20, 2)
    many = await statements()
    # The test sign-in (2: roles, own record), the patient (1), a page of groups (1), what they
    # read (1), the names (1; no emergency access here, so no reasons) and this read's own
    # record-access row (1).
    assert few == many == 7, (few, many)

    seen: list[tuple[str, str]] = []
    after = None
    while True:
        page = await read_log(gql, clinic.maria.id, first=7, after=after)
        seen += [(e["lastAccessAt"], e["grouping"]) for e in page["entries"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 44
    assert len(set(seen)) == 44


@pytest.mark.parametrize(
    "bounds",
    [
        {"to": "0001-01-02T00:00:00+00:00"},  # the default start would fall before year 1
        {"from": "9999-12-31T00:00:00+00:00", "to": "9999-12-31T23:59:59.999999+00:00"},
        {"from": "0001-01-01T00:00:00+00:00", "to": "0001-01-03T00:00:00+00:00"},
    ],
)
async def test_a_window_off_the_calendar_is_bad_input_not_internal(
    gql: GraphQLClient, clinic: Clinic, bounds: dict[str, str]
) -> None:
    body = await read_log(gql, clinic.maria.id, **bounds)
    assert top_code(body) == "BAD_USER_INPUT", body
    assert body["errors"][0]["extensions"]["field"] in bounds


def _cursor(text: bytes) -> str:
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


@pytest.mark.parametrize(
    "after",
    [
        "not-a-cursor",
        "",
        "%%%%",
        _cursor(b"k:-1"),
        _cursor(b"k:0"),
        _cursor(b"k:99999999999999999999"),  # past BIGINT
        _cursor(b"k:1_0"),
        _cursor(b"x:5"),
        _cursor(b"\xff\xfe"),
    ],
)
async def test_a_forged_or_garbled_cursor_is_bad_input(
    gql: GraphQLClient, clinic: Clinic, after: str
) -> None:
    body = await read_log(gql, clinic.maria.id, after=after)
    assert top_code(body) == "BAD_USER_INPUT", body
    assert body["errors"][0]["extensions"]["field"] == "after"


async def test_a_well_formed_cursor_past_every_row_is_an_empty_page(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    await add_reads(clinic.maria_record, clinic.dana, "THERAPIST", datetime.now(UTC))
    assert len((await read_log(gql, clinic.maria.id))["entries"]) == 1
    past = await read_log(gql, clinic.maria.id, after=_cursor(b"k:1"))
    assert past["entries"] == []
    assert past["pageInfo"] == {"hasNextPage": False, "endCursor": None}


async def test_stored_text_reaches_the_sql_only_as_bound_values(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    helper = await make_caregiver()
    hostile = "x'); DELETE FROM record_access; --"
    now = datetime.now(UTC)
    await add_reads(clinic.maria_record, helper, "CAREGIVER", now, request_id=hostile)
    await add_reads(clinic.maria_record, helper, "CAREGIVER", now, request_id=hostile + "'")
    log = await read_log(gql, clinic.maria.id, first=1)
    assert [e["grouping"] for e in log["entries"]] == ["REQUEST"]
    rest = await read_log(gql, clinic.maria.id, after=log["pageInfo"]["endCursor"])
    assert [e["count"] for e in rest["entries"]] == [1]
    assert await RecordAccess.filter(request_id__startswith="x'").count() == 2


async def test_days_hold_across_the_autumn_change_and_half_hour_zones(
    gql: GraphQLClient,
) -> None:
    _, patient = await make_patient(
        "lh@example.org", given_name="Liz", family_name="Howe", time_zone="Australia/Lord_Howe"
    )
    reader = await make_user("t@clinic.test", roles=(Role.THERAPIST,), name="Tom Reader")
    # Lord Howe Island: UTC+11 until 2026-04-05 02:00 local (15:00 UTC the day before), then
    # UTC+10:30 (a change of half an hour).
    for moment in (
        datetime(2026, 4, 4, 12, 45, tzinfo=UTC),  # 4 April, 23:45 (+11)
        datetime(2026, 4, 4, 13, 15, tzinfo=UTC),  # 5 April, 00:15 (+11)
        datetime(2026, 4, 5, 13, 15, tzinfo=UTC),  # 5 April, 23:45 (+10:30)
        datetime(2026, 4, 5, 13, 45, tzinfo=UTC),  # 6 April, 00:15 (+10:30)
    ):
        await add_reads(patient, reader, "THERAPIST", moment)
    admin = await make_user("a@clinic.test", roles=(Role.ADMIN,), name="Ada Min")
    log = await read_log(
        gql,
        admin.id,
        patientId=gid("Patient", patient.id),
        **{"from": "2026-04-01T00:00:00+00:00", "to": "2026-04-10T00:00:00+00:00"},
    )
    assert [(e["day"], e["count"]) for e in log["entries"]] == [
        ("2026-04-06", 1),
        ("2026-04-05", 2),
        ("2026-04-04", 1),
    ]
