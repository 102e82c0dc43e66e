"""One patient's appointments across providers, a therapist's schedule, and the secret
iCalendar feed parsed back with icalendar."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import httpx
from icalendar import Calendar  # type: ignore[import-untyped]

from api.models.audit import RecordAccess
from api.models.scheduling import CalendarFeed
from tests.clinical_support import gid, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import book_directly, make_appointment, small_clinic
from tests.sql_counter import count_sql

PAGE = """query($first: Int, $after: String, $patient: ID, $status: [AppointmentStatus!]) {
  appointments(patientId: $patient, first: $first, after: $after, status: $status) {
    edges { cursor node { id startsAt status
      therapist { id } location { id name } sessionType { name } } }
    pageInfo { hasNextPage endCursor } } }"""


def _soon(hours: int) -> datetime:
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(microsecond=0)


async def test_appointments_with_every_provider_soonest_first_paged(
    database: None, gql: GraphQLClient
) -> None:
    clinic = await small_clinic()
    _, other = await make_therapist("lee@clinic.test", name="Lee Park")
    later = await book_directly(clinic, _soon(72))
    sooner = await make_appointment(
        clinic.patient.id,
        other.id,
        clinic.follow_up.id,
        _soon(24),
        booked_by_id=clinic.patient_user.id,
    )
    same_time = await book_directly(clinic, _soon(72), location=False)
    await book_directly(clinic, _soon(-48))  # over: not listed without `from`
    body = await gql.execute(PAGE, {"first": 2}, as_user=clinic.patient_user.id)
    connection = body["data"]["appointments"]
    assert [edge["node"]["id"] for edge in connection["edges"]] == [
        gid("Appointment", sooner.id),
        gid("Appointment", later.id),
    ]
    assert connection["edges"][0]["node"]["therapist"]["id"] == gid("Therapist", other.id)
    assert connection["pageInfo"]["hasNextPage"] is True
    body = await gql.execute(
        PAGE,
        {"first": 2, "after": connection["pageInfo"]["endCursor"]},
        as_user=clinic.patient_user.id,
    )
    rest = body["data"]["appointments"]
    assert [edge["node"]["id"] for edge in rest["edges"]] == [gid("Appointment", same_time.id)]
    assert rest["edges"][0]["node"]["location"] is None
    assert rest["pageInfo"]["hasNextPage"] is False

    # The care team names the patient; anyone else finds nothing.
    body = await gql.execute(
        PAGE, {"patient": gid("Patient", clinic.patient.id)}, as_user=clinic.therapist_user.id
    )
    assert len(body["data"]["appointments"]["edges"]) == 3
    stranger, _ = await make_patient("eve@example.org", given_name="Eve")
    body = await gql.execute(
        PAGE, {"patient": gid("Patient", clinic.patient.id)}, as_user=stranger.id
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await gql.execute(PAGE, {"status": ["CANCELLED"]}, as_user=clinic.patient_user.id)
    assert body["data"]["appointments"]["edges"] == []


async def test_my_appointments_is_the_therapists_own_schedule(
    database: None, gql: GraphQLClient
) -> None:
    clinic = await small_clinic(on_care_team=False)
    mine = await book_directly(clinic, _soon(30))
    query = "{ myAppointments { edges { node { id } } } }"
    body = await gql.execute(query, as_user=clinic.therapist_user.id)
    assert body["data"]["myAppointments"]["edges"] == [
        {"node": {"id": gid("Appointment", mine.id)}}
    ]
    body = await gql.execute(query, as_user=clinic.patient_user.id)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def _statements_for(gql: GraphQLClient, user_id: int, count: int) -> int:
    with count_sql() as sql:
        body = await gql.execute(PAGE, {"first": count}, as_user=user_id)
    assert len(body["data"]["appointments"]["edges"]) == count
    return sql.count


async def test_appointments_cost_the_same_statements_for_5_and_50(
    database: None, gql: GraphQLClient
) -> None:
    clinic = await small_clinic()
    therapists = [clinic.therapist] + [
        (await make_therapist(f"t{index}@clinic.test", name=f"T {index}"))[1] for index in range(4)
    ]
    for index in range(50):
        await make_appointment(
            clinic.patient.id,
            therapists[index % len(therapists)].id,
            clinic.follow_up.id,
            _soon(24 + index),
            location_id=clinic.location.id if index % 2 else None,
            booked_by_id=clinic.patient_user.id,
        )
    five = await _statements_for(gql, clinic.patient_user.id, 5)
    fifty = await _statements_for(gql, clinic.patient_user.id, 50)
    assert five == fifty
    assert fifty <= 10, fifty


async def _feed_url(gql: GraphQLClient, user_id: int) -> str:
    body = await gql.execute(
        "mutation { regenerateCalendarFeed { url feed { active createdAt } } }", as_user=user_id
    )
    payload = body["data"]["regenerateCalendarFeed"]
    assert payload["feed"]["active"] is True
    return str(payload["url"])


async def test_feed_round_trip_through_icalendar(
    database: None, gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    clinic = await small_clinic()
    booked = await book_directly(clinic, _soon(48))
    online = await book_directly(clinic, _soon(96), location=False)
    cancelled = await book_directly(clinic, _soon(120), status="CANCELLED")
    moved_from = await book_directly(clinic, _soon(150), status="CANCELLED")
    moved_to = await book_directly(clinic, _soon(170), rescheduled_from_id=moved_from.id)
    await book_directly(clinic, _soon(-24 * 40))  # before the feed's 30 days
    url = await _feed_url(gql, clinic.patient_user.id)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert url.startswith("http://testserver/calendar/")
    assert len(token) >= 43
    row = await CalendarFeed.get(user_id=clinic.patient_user.id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()

    response = await client.get(f"/calendar/{token}.ics")  # no cookie, no header
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private, max-age=300"
    assert "Knee" not in response.text  # the concerns never leave in a feed
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert calendar["PRODID"]
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    for event in events.values():
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY"):
            assert prop in event
    assert set(events) == {
        f"appointment-{booked.id}@testserver",
        f"appointment-{online.id}@testserver",
        f"appointment-{cancelled.id}@testserver",
        f"appointment-{moved_from.id}@testserver",  # the moved booking keeps its first UID
    }
    first = events[f"appointment-{booked.id}@testserver"]
    assert str(first["SUMMARY"]) == "Physical therapy: Follow-up treatment with Dana Whitfield"
    assert str(first["LOCATION"]) == "Riverside Clinic, 12 River Road, Springfield, MA, 01101"
    assert first.decoded("DTSTART") == booked.starts_at
    assert first.decoded("DTEND") == booked.ends_at
    assert str(first["STATUS"]) == "CONFIRMED"
    assert first["SEQUENCE"] == 0
    assert str(events[f"appointment-{online.id}@testserver"]["LOCATION"]) == "Telehealth"
    gone = events[f"appointment-{cancelled.id}@testserver"]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone["SEQUENCE"] == 1
    moved = events[f"appointment-{moved_from.id}@testserver"]
    assert moved.decoded("DTSTART") == moved_to.starts_at
    assert moved["SEQUENCE"] == 1

    audited = await RecordAccess.filter(actor_user_id=clinic.patient_user.id).values_list(
        "resource", "resource_id", "actor_role"
    )
    assert sorted(audited) == sorted(
        ("Appointment", str(item.id), "PATIENT") for item in (booked, online, cancelled, moved_to)
    )

    # The therapist's own feed shows the same bookings, the patient only as "Maria G.".
    therapist_url = await _feed_url(gql, clinic.therapist_user.id)
    response = await client.get(therapist_url.removeprefix("http://testserver"))
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert summaries == {"Physical therapy: Follow-up treatment with Maria G."}


async def test_regenerating_replaces_the_token_and_revoking_ends_it(
    database: None, gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    clinic = await small_clinic()
    base = "http://testserver"
    old = (await _feed_url(gql, clinic.patient_user.id)).removeprefix(base)
    new = (await _feed_url(gql, clinic.patient_user.id)).removeprefix(base)
    assert old != new
    assert (await client.get(old)).status_code == 404
    assert (await client.get(new)).status_code == 200
    assert (await client.get("/calendar/not-a-token.ics")).status_code == 404
    body = await gql.execute(
        "{ calendarFeed { active createdAt } }", as_user=clinic.patient_user.id
    )
    assert body["data"]["calendarFeed"]["active"] is True
    body = await gql.execute(
        "mutation { revokeCalendarFeed { active } }", as_user=clinic.patient_user.id
    )
    assert body["data"]["revokeCalendarFeed"] == {"active": False}
    assert (await client.get(new)).status_code == 404
    body = await gql.execute(
        "{ calendarFeed { active createdAt } }", as_user=clinic.patient_user.id
    )
    assert body["data"]["calendarFeed"] == {"active": False, "createdAt": None}
    body = await gql.execute("mutation { regenerateCalendarFeed { url } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
