"""Who saw my record: the grouped access log, who may read it, its window, its pages and
statements, and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from api.access.needs import Need
from api.models.accounts import User
from api.models.audit import AuditEvent, RecordAccess
from api.models.caregivers import GrantKind
from api.models.emergency_access import EmergencyAccess
from api.models.patients import Patient
from api.services.access_log import offset_segments
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid
from tests.conftest import VIEWER_HEADER, GraphQLClient
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
EXPORT = "/exports/record-access.csv"


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
    assert few == many, (few, many)

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


def export_headers(user: User | None) -> dict[str, str]:
    return {VIEWER_HEADER: str(user.id)} if user is not None else {}


async def test_the_export_is_a_safe_csv_attachment_and_is_audited(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    maria = clinic.maria_record
    mallory = await make_caregiver("m@example.org", name='=HYPERLINK("http://x")')
    await add_reads(maria, mallory, "CAREGIVER", datetime.now(UTC), request_id="r1")
    access = await EmergencyAccess.create(
        user=clinic.lee,
        patient=maria,
        reason="+1 urgent: patient fell, need history",
        opened_at=datetime.now(UTC),
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    )
    await add_reads(
        maria, clinic.lee, "THERAPIST", datetime.now(UTC), emergency_access_id=access.id
    )

    response = await client.get(EXPORT, headers=export_headers(clinic.maria))
    assert response.status_code == 200, response.text
    headers = response.headers
    assert headers["content-type"] == "text/csv; charset=utf-8"
    assert headers["content-disposition"].startswith('attachment; filename="record-access-')
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["first_access_utc", "last_access_utc", "day", "who"]
    by_role = {row[4]: row for row in rows[1:]}
    assert by_role["CAREGIVER"][3] == '\'=HYPERLINK("http://x")'
    assert by_role["CAREGIVER"][5] == "Maria Gonzalez"
    assert by_role["THERAPIST"][9] == "'+1 urgent: patient fell, need history"
    assert by_role["THERAPIST"][8] == "EMERGENCY_ACCESS"

    event = await AuditEvent.get(action="record_access_log.exported")
    assert (event.actor_user_id, event.target_id) == (clinic.maria.id, str(maria.id))
    assert event.details == {"entries": 2}
    assert await RecordAccess.filter(resource="RecordAccessLogExport").count() == 1

    # The same access as GET /files/{id}.
    maria_id = gid("Patient", maria.id)
    assert (await client.get(EXPORT)).status_code == 401
    for outsider in (clinic.bob, clinic.lee):
        answer = await client.get(f"{EXPORT}?patient={maria_id}", headers=export_headers(outsider))
        assert answer.status_code == 404
    bad = await client.get(f"{EXPORT}?patient=nonsense", headers=export_headers(clinic.maria))
    assert bad.status_code == 404
    care_team = await client.get(
        f"{EXPORT}?patient={maria_id}", headers=export_headers(clinic.dana)
    )
    assert care_team.status_code == 403
    admin = await client.get(f"{EXPORT}?patient={maria_id}", headers=export_headers(clinic.admin))
    assert admin.status_code == 200
    inverted = await client.get(
        f"{EXPORT}?from=2026-02-01&to=2026-01-01", headers=export_headers(clinic.maria)
    )
    assert inverted.status_code == 400
    garbled = await client.get(f"{EXPORT}?from=yesterday", headers=export_headers(clinic.maria))
    assert garbled.status_code == 400


async def test_a_guardian_exports_from_a_link(client: httpx.AsyncClient, clinic: Clinic) -> None:
    child = await Patient.create(
        given_name="Noa", family_name="Gonzalez", date_of_birth=date(2019, 4, 2)
    )
    guardian = await make_caregiver()
    await grant(child, guardian, kind=GrantKind.GUARDIAN)
    await add_reads(child, clinic.dana, "THERAPIST", datetime.now(UTC))
    link = f"{EXPORT}?patient={gid('Patient', child.id)}"
    # A link cannot carry X-Relief-Acting-For: `patient` names whom the guardian acts for.
    response = await client.get(link, headers=export_headers(guardian))
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["Dana Whitfield"]
    stranger = await make_caregiver("x@example.org", name="Xan")
    assert (await client.get(link, headers=export_headers(stranger))).status_code == 404
