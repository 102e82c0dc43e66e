"""Therapists' hours, exceptions, buffer and the clinic's session types through the API:
every typed error with its field, who may change what, and the effect on availableSlots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.models.accounts import Role, User
from api.models.patients import Patient
from api.models.scheduling import ScheduleException, SessionType, WeeklyHours
from api.models.therapists import Location, Therapist, TherapistLocation
from tests.accounts_support import make_user
from tests.clinical_support import assign, gid, make_location, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import make_session_types

pytestmark = pytest.mark.usefixtures("database")

NEW_YORK = ZoneInfo("America/New_York")

ERRORS = "... on ScheduleErrors { errors { code field message } }"
SET_HOURS = f"""
mutation($therapist: ID!, $hours: [WeeklyHoursInput!]!) {{
  setWeeklyHours(therapistId: $therapist, hours: $hours) {{
    __typename
    ... on WeeklyHoursPayload {{ therapist {{ id weeklyHours {{ weekday start end telehealth
      timeZone validFrom validUntil location {{ id }} }} }} }}
    {ERRORS}
  }}
}}"""
ADD_EXCEPTION = f"""
mutation($input: ScheduleExceptionInput!) {{
  addScheduleException(input: $input) {{
    __typename
    ... on ScheduleExceptionPayload {{ scheduleException {{ id kind startsAt endsAt telehealth
      note location {{ id }} }} }}
    {ERRORS}
  }}
}}"""
REMOVE_EXCEPTION = f"""
mutation($id: ID!) {{
  removeScheduleException(id: $id) {{
    __typename
    ... on RemovedScheduleException {{ removedId }}
    {ERRORS}
  }}
}}"""
SET_BUFFER = f"""
mutation($therapist: ID!, $minutes: Int!) {{
  setBufferMinutes(therapistId: $therapist, minutes: $minutes) {{
    __typename
    ... on WeeklyHoursPayload {{ therapist {{ id }} }}
    {ERRORS}
  }}
}}"""
CREATE_TYPE = f"""
mutation($input: CreateSessionTypeInput!) {{
  createSessionType(input: $input) {{
    __typename
    ... on SessionTypePayload {{ sessionType {{ id code name durationMinutes active
      telehealthAllowed }} }}
    {ERRORS}
  }}
}}"""
UPDATE_TYPE = f"""
mutation($input: UpdateSessionTypeInput!) {{
  updateSessionType(input: $input) {{
    __typename
    ... on SessionTypePayload {{ sessionType {{ id code name durationMinutes active }} }}
    {ERRORS}
  }}
}}"""
SLOTS = """
query($filter: SlotFilter!) {
  availableSlots(filter: $filter, timeZone: "America/New_York") {
    __typename
    ... on AvailableSlots { slots { localStart telehealth therapist { id } } }
    ... on ScheduleErrors { errors { code field } }
  }
}"""
BOOK = """
mutation($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    __typename
    ... on AppointmentPayload { appointment { id startsAt } }
    ... on BookingErrors { errors { code field } }
  }
}"""
STAFF_FIELDS = """
query($id: ID!, $from: DateTime, $to: DateTime) {
  node(id: $id) { ... on Therapist { id weeklyHours { weekday start }
    scheduleExceptions(from: $from, to: $to) { id kind } } }
}"""


@dataclass
class Clinic:
    admin: User
    dana_user: User
    dana: Therapist
    sam_user: User
    sam: Therapist
    maria_user: User
    maria: Patient
    riverside: Location
    hillside: Location  # Dana does not work there
    day: date  # a New York day three days ahead: past the lead time, inside the horizon

    @property
    def dana_id(self) -> str:
        return gid("Therapist", self.dana.id)

    @property
    def riverside_id(self) -> str:
        return gid("Location", self.riverside.id)

    def at(self, hhmm: str, day: date | None = None) -> datetime:
        hours, minutes = (int(part) for part in hhmm.split(":"))
        on = day or self.day
        return datetime(on.year, on.month, on.day, hours, minutes, tzinfo=NEW_YORK)


@pytest.fixture
async def clinic() -> Clinic:
    await make_session_types()
    riverside = await make_location()
    hillside = await make_location("Hillside Clinic")
    dana_user, dana = await make_therapist()
    await TherapistLocation.create(therapist=dana, location=riverside)
    sam_user, sam = await make_therapist("sam@clinic.test", name="Sam Okafor")
    maria_user, maria = await make_patient()
    await assign(maria, dana)
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    day = datetime.now(NEW_YORK).date() + timedelta(days=3)
    return Clinic(
        admin, dana_user, dana, sam_user, sam, maria_user, maria, riverside, hillside, day
    )


def window(weekday: int, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {"weekday": weekday, "start": start, "end": end, **extra}


async def run(gql: GraphQLClient, query: str, variables: dict[str, Any], user: User) -> Any:
    body = await gql.execute(query, variables, as_user=user.id)
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


async def refused(gql: GraphQLClient, query: str, variables: dict[str, Any], user: User) -> str:
    """The top-level error code of an operation refused outright."""
    body = await gql.execute(query, variables, as_user=user.id)
    assert body["data"] is None, body
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def codes(result: dict[str, Any]) -> list[tuple[str, str]]:
    assert result["__typename"] == "ScheduleErrors", result
    return [(error["code"], error["field"]) for error in result["errors"]]


# --- weekly hours --------------------------------------------------------------------------


async def test_weekly_hours_report_every_problem_with_its_field_and_change_nothing(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    here = {"locationId": clinic.riverside_id}
    ok = await run(
        gql,
        SET_HOURS,
        {"therapist": clinic.dana_id, "hours": [window(0, "09:00", "12:00", **here)]},
        clinic.dana_user,
    )
    assert ok["__typename"] == "WeeklyHoursPayload", ok
    hours = [
        window(7, "09:00", "12:00", **here),
        window(0, "9am", "12:00", **here),
        window(0, "12:00", "11:00", **here),
        window(1, "09:10", "12:00", **here),
        window(2, "09:00", "12:00", validFrom="2031-02-01", validUntil="2031-01-01", **here),
        window(3, "09:00", "12:00"),
        window(3, "13:00", "15:00", locationId=clinic.riverside_id, telehealth=True),
        window(3, "16:00", "17:00", telehealth=True),
        window(4, "09:00", "12:00", locationId=gid("Location", clinic.hillside.id)),
        window(5, "09:00", "12:00", **here),
        window(5, "11:00", "13:00", **here),
    ]
    result = await run(
        gql, SET_HOURS, {"therapist": clinic.dana_id, "hours": hours}, clinic.dana_user
    )
    assert sorted(codes(result)) == sorted(
        [
            ("INVALID_WEEKDAY", "hours.0.weekday"),
            ("INVALID_TIME", "hours.1.start"),
            ("INVALID_TIME", "hours.2.start"),
            ("OFF_GRID", "hours.3.start"),
            ("INVALID_DATES", "hours.4.validFrom"),
            ("PLACE_REQUIRED", "hours.5.locationId"),
            ("PLACE_REQUIRED", "hours.6.locationId"),
            ("NO_TELEHEALTH", "hours.7.telehealth"),
            ("NOT_AT_LOCATION", "hours.8.locationId"),
            ("OVERLAPPING_HOURS", "hours.10.start"),
        ]
    )
    assert all(error["message"] for error in result["errors"])
    rows = await WeeklyHours.filter(therapist_id=clinic.dana.id)
    assert [(row.weekday, row.start_minute) for row in rows] == [(0, 9 * 60)]


async def test_overlap_names_the_later_of_two_identical_windows(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    same = window(1, "09:00", "12:00", locationId=clinic.riverside_id)
    result = await run(
        gql,
        SET_HOURS,
        {
            "therapist": clinic.dana_id,
            "hours": [
                window(0, "08:00", "09:00", telehealth=False, locationId=clinic.riverside_id),
                same,
                same,
            ],
        },
        clinic.dana_user,
    )
    assert codes(result) == [("OVERLAPPING_HOURS", "hours.2.start")]


async def test_windows_may_share_a_weekday_when_their_periods_do_not_meet(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    clinic.dana.telehealth = True
    await clinic.dana.save(update_fields=["telehealth"])
    hours = [
        window(0, "09:00", "12:00", locationId=clinic.riverside_id, validUntil="2031-06-30"),
        window(0, "10:00", "13:00", telehealth=True, validFrom="2031-07-01"),
        window(0, "12:00", "24:00", locationId=clinic.riverside_id, validUntil="2031-06-30"),
    ]
    result = await run(gql, SET_HOURS, {"therapist": clinic.dana_id, "hours": hours}, clinic.admin)
    assert result["__typename"] == "WeeklyHoursPayload", result
    shown = result["therapist"]["weeklyHours"]
    assert [(w["start"], w["end"], w["telehealth"]) for w in shown] == [
        ("09:00", "12:00", False),
        ("10:00", "13:00", True),
        ("12:00", "24:00", False),
    ]
    assert shown[0]["location"] == {"id": clinic.riverside_id}
    assert shown[0]["timeZone"] == "America/New_York"
    assert shown[1]["location"] is None
    assert shown[1]["validFrom"] == "2031-07-01"


async def test_only_the_therapist_and_admins_manage_hours(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    hours = [window(0, "09:00", "12:00", locationId=clinic.riverside_id)]
    variables = {"therapist": clinic.dana_id, "hours": hours}
    for outsider in (clinic.sam_user, clinic.maria_user):
        assert await refused(gql, SET_HOURS, variables, outsider) == "NOT_FOUND"
        assert (
            await refused(gql, SET_BUFFER, {"therapist": clinic.dana_id, "minutes": 15}, outsider)
            == "NOT_FOUND"
        )
    body = await gql.execute(SET_HOURS, variables)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not await WeeklyHours.exists()
    for manager in (clinic.dana_user, clinic.admin):
        result = await run(gql, SET_HOURS, variables, manager)
        assert result["__typename"] == "WeeklyHoursPayload", result
    assert await WeeklyHours.filter(therapist_id=clinic.dana.id).count() == 1


async def test_hours_and_exceptions_are_for_staff_only(gql: GraphQLClient, clinic: Clinic) -> None:
    await run(
        gql,
        SET_HOURS,
        {
            "therapist": clinic.dana_id,
            "hours": [window(0, "09:00", "12:00", locationId=clinic.riverside_id)],
        },
        clinic.dana_user,
    )
    await run(gql, ADD_EXCEPTION, {"input": time_off(clinic, "09:00", "10:00")}, clinic.dana_user)
    variables = {"id": clinic.dana_id}
    for staff in (clinic.dana_user, clinic.sam_user, clinic.admin):
        body = await gql.execute(STAFF_FIELDS, variables, as_user=staff.id)
        assert "errors" not in body, body
        node = body["data"]["node"]
        assert node["weeklyHours"] == [{"weekday": 0, "start": "09:00"}]
        assert [item["kind"] for item in node["scheduleExceptions"]] == ["TIME_OFF"]
    body = await gql.execute(STAFF_FIELDS, variables, as_user=clinic.maria_user.id)
    assert "errors" not in body, body
    assert body["data"]["node"] == {
        "id": clinic.dana_id,
        "weeklyHours": None,
        "scheduleExceptions": None,
    }
    # Nor can a patient reach an exception by its id.
    exception = await ScheduleException.get()
    body = await gql.execute(
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": gid("ScheduleException", exception.id)},
        as_user=clinic.maria_user.id,
    )
    assert body["data"] == {"node": None}


# --- exceptions ----------------------------------------------------------------------------


def time_off(clinic: Clinic, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {
        "therapistId": clinic.dana_id,
        "kind": "TIME_OFF",
        "startsAt": clinic.at(start).isoformat(),
        "endsAt": clinic.at(end).isoformat(),
        **extra,
    }


def extra_hours(clinic: Clinic, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {**time_off(clinic, start, end), "kind": "EXTRA_HOURS", **extra}


async def test_exceptions_report_every_problem_with_its_field(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    cases: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
        (time_off(clinic, "10:00", "09:00"), [("INVALID_TIME", "endsAt")]),
        (
            {**time_off(clinic, "09:00", "10:00"), "startsAt": "2031-07-07T09:00:00"},
            [("INVALID_TIME", "startsAt")],
        ),
        (time_off(clinic, "09:00", "10:00", note="x" * 201), [("NOTE_TOO_LONG", "note")]),
        (extra_hours(clinic, "14:00", "15:00"), [("PLACE_REQUIRED", "locationId")]),
        (
            extra_hours(clinic, "14:00", "15:00", telehealth=True, locationId=clinic.riverside_id),
            [("PLACE_REQUIRED", "locationId")],
        ),
        (extra_hours(clinic, "14:00", "15:00", telehealth=True), [("NO_TELEHEALTH", "telehealth")]),
        (
            extra_hours(clinic, "14:00", "15:00", locationId=gid("Location", clinic.hillside.id)),
            [("NOT_AT_LOCATION", "locationId")],
        ),
        (
            extra_hours(clinic, "14:05", "15:00", locationId=clinic.riverside_id),
            [("OFF_GRID", "startsAt")],
        ),
    ]
    for given, expected in cases:
        result = await run(gql, ADD_EXCEPTION, {"input": given}, clinic.dana_user)
        assert codes(result) == expected, given
    assert not await ScheduleException.exists()


async def test_only_the_therapist_and_admins_add_and_remove_exceptions(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    given = {"input": time_off(clinic, "09:00", "10:00", note="Dentist")}
    for outsider in (clinic.sam_user, clinic.maria_user):
        assert await refused(gql, ADD_EXCEPTION, given, outsider) == "NOT_FOUND"
    assert not await ScheduleException.exists()
    mine = await run(gql, ADD_EXCEPTION, given, clinic.dana_user)
    theirs = await run(gql, ADD_EXCEPTION, given, clinic.admin)
    assert mine["scheduleException"]["note"] == "Dentist"
    assert mine["scheduleException"]["telehealth"] is False
    for outsider in (clinic.sam_user, clinic.maria_user):
        removing = {"id": mine["scheduleException"]["id"]}
        assert await refused(gql, REMOVE_EXCEPTION, removing, outsider) == "NOT_FOUND"
    assert await ScheduleException.filter(therapist_id=clinic.dana.id).count() == 2
    for exception, manager in ((mine, clinic.admin), (theirs, clinic.dana_user)):
        exception_id = exception["scheduleException"]["id"]
        removed = await run(gql, REMOVE_EXCEPTION, {"id": exception_id}, manager)
        assert removed == {"__typename": "RemovedScheduleException", "removedId": exception_id}
    assert not await ScheduleException.exists()
    gone = {"id": mine["scheduleException"]["id"]}
    assert await refused(gql, REMOVE_EXCEPTION, gone, clinic.dana_user) == "NOT_FOUND"


# --- buffer --------------------------------------------------------------------------------


async def test_buffer_is_0_to_60_minutes_in_steps_of_5(gql: GraphQLClient, clinic: Clinic) -> None:
    for minutes in (-5, 7, 65):
        result = await run(
            gql, SET_BUFFER, {"therapist": clinic.dana_id, "minutes": minutes}, clinic.dana_user
        )
        assert codes(result) == [("INVALID_BUFFER", "minutes")]
    for minutes, manager in ((0, clinic.dana_user), (60, clinic.admin)):
        result = await run(
            gql, SET_BUFFER, {"therapist": clinic.dana_id, "minutes": minutes}, manager
        )
        assert result == {"__typename": "WeeklyHoursPayload", "therapist": {"id": clinic.dana_id}}
        await clinic.dana.refresh_from_db()
        assert clinic.dana.buffer_minutes == minutes


# --- session types -------------------------------------------------------------------------


async def test_session_types_are_managed_by_admins_with_typed_errors(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    new = {"code": "hydro", "name": "Hydrotherapy", "durationMinutes": 50}
    for other in (clinic.dana_user, clinic.maria_user):
        assert await refused(gql, CREATE_TYPE, {"input": new}, other) == "FORBIDDEN"
    bad = {"code": "no spaces", "name": " ", "durationMinutes": 241}
    result = await run(gql, CREATE_TYPE, {"input": bad}, clinic.admin)
    assert sorted(codes(result)) == [
        ("INVALID_CODE", "code"),
        ("INVALID_DURATION", "durationMinutes"),
        ("INVALID_NAME", "name"),
    ]
    for minutes in (10, 47):
        result = await run(
            gql, CREATE_TYPE, {"input": {**new, "durationMinutes": minutes}}, clinic.admin
        )
        assert codes(result) == [("INVALID_DURATION", "durationMinutes")]
    result = await run(gql, CREATE_TYPE, {"input": {**new, "code": "follow_up"}}, clinic.admin)
    assert codes(result) == [("DUPLICATE_CODE", "code")]
    created = await run(gql, CREATE_TYPE, {"input": new}, clinic.admin)
    assert created["sessionType"]["code"] == "hydro"
    assert created["sessionType"]["durationMinutes"] == 50
    hydro_id = created["sessionType"]["id"]

    change = {"id": hydro_id, "name": "Aquatic therapy"}
    for other in (clinic.dana_user, clinic.maria_user):
        assert await refused(gql, UPDATE_TYPE, {"input": change}, other) == "FORBIDDEN"
    result = await run(
        gql, UPDATE_TYPE, {"input": {"id": hydro_id, "code": "follow_up"}}, clinic.admin
    )
    assert codes(result) == [("DUPLICATE_CODE", "code")]
    result = await run(
        gql, UPDATE_TYPE, {"input": {"id": hydro_id, "durationMinutes": 0}}, clinic.admin
    )
    assert codes(result) == [("INVALID_DURATION", "durationMinutes")]
    missing = {"id": gid("SessionType", 999_999), "name": "Nothing"}
    assert codes(await run(gql, UPDATE_TYPE, {"input": missing}, clinic.admin)) == [
        ("NOT_FOUND", "id")
    ]
    updated = await run(gql, UPDATE_TYPE, {"input": change}, clinic.admin)
    assert updated["sessionType"] == {
        "id": hydro_id,
        "code": "hydro",
        "name": "Aquatic therapy",
        "durationMinutes": 50,
        "active": True,
    }


# --- the effect on availableSlots ----------------------------------------------------------


async def slot_times(
    gql: GraphQLClient, clinic: Clinic, *, session_type: str = "follow_up", days: int = 1
) -> list[str]:
    begin = datetime(clinic.day.year, clinic.day.month, clinic.day.day, tzinfo=NEW_YORK)
    result = await run(
        gql,
        SLOTS,
        {
            "filter": {
                "sessionType": session_type,
                "therapistIds": [clinic.dana_id],
                "from": begin.isoformat(),
                "to": (begin + timedelta(days=days)).isoformat(),
            }
        },
        clinic.admin,
    )
    assert result["__typename"] == "AvailableSlots", result
    return [slot["localStart"][:16] for slot in result["slots"]]


def times(clinic: Clinic, *hhmm: str, day: date | None = None) -> list[str]:
    return [clinic.at(value, day).isoformat()[:16] for value in hhmm]


MORNING = ("09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30", "10:45", "11:00", "11:15")


async def every_day_morning(gql: GraphQLClient, clinic: Clinic) -> None:
    hours = [window(day, "09:00", "12:00", locationId=clinic.riverside_id) for day in range(7)]
    result = await run(
        gql, SET_HOURS, {"therapist": clinic.dana_id, "hours": hours}, clinic.dana_user
    )
    assert result["__typename"] == "WeeklyHoursPayload", result


async def test_time_off_and_extra_hours_change_the_slots(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    assert await slot_times(gql, clinic) == []
    await every_day_morning(gql, clinic)
    assert await slot_times(gql, clinic) == times(clinic, *MORNING)

    off = await run(gql, ADD_EXCEPTION, {"input": time_off(clinic, "10:00", "11:00")}, clinic.admin)
    # A 45-minute session may end at 10:00 and start at 11:00, nothing in between.
    assert await slot_times(gql, clinic) == times(clinic, "09:00", "09:15", "11:00", "11:15")
    await run(gql, REMOVE_EXCEPTION, {"id": off["scheduleException"]["id"]}, clinic.dana_user)
    assert await slot_times(gql, clinic) == times(clinic, *MORNING)

    extra = extra_hours(clinic, "14:00", "15:00", locationId=clinic.riverside_id)
    added = await run(gql, ADD_EXCEPTION, {"input": extra}, clinic.dana_user)
    assert added["scheduleException"]["location"] == {"id": clinic.riverside_id}
    assert await slot_times(gql, clinic) == times(clinic, *MORNING, "14:00", "14:15")


async def test_a_bigger_buffer_removes_the_slot_right_after_a_booking(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    await every_day_morning(gql, clinic)
    booked = await run(
        gql,
        BOOK,
        {
            "input": {
                "therapistId": clinic.dana_id,
                "sessionType": "follow_up",
                "startsAt": clinic.at("09:00").isoformat(),
                "locationId": clinic.riverside_id,
            }
        },
        clinic.maria_user,
    )
    assert booked["__typename"] == "AppointmentPayload", booked
    after: dict[int, list[str]] = {}
    for minutes in (0, 10, 30):
        await run(
            gql, SET_BUFFER, {"therapist": clinic.dana_id, "minutes": minutes}, clinic.dana_user
        )
        after[minutes] = (await slot_times(gql, clinic))[:2]
    assert after == {
        0: times(clinic, "09:45", "10:00"),
        10: times(clinic, "10:00", "10:15"),
        30: times(clinic, "10:15", "10:30"),
    }


async def _book(gql: GraphQLClient, clinic: Clinic, hhmm: str, user: User) -> Any:
    variables = {
        "input": {
            "therapistId": clinic.dana_id,
            "sessionType": "follow_up",
            "startsAt": clinic.at(hhmm).isoformat(),
            "locationId": clinic.riverside_id,
        }
    }
    return await run(gql, BOOK, variables, user)


async def test_after_a_buffer_change_booking_takes_exactly_the_starts_the_slots_show(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    """A booking claimed its cells under the buffer of its day; slots apply today's buffer,
    and so must booking, both when the buffer grew and when it shrank."""
    await every_day_morning(gql, clinic)
    ana_user, ana = await make_patient("ana@example.org", given_name="Ana")
    await assign(ana, clinic.dana)
    await run(gql, SET_BUFFER, {"therapist": clinic.dana_id, "minutes": 0}, clinic.dana_user)
    assert (await _book(gql, clinic, "09:00", clinic.maria_user))["__typename"] == (
        "AppointmentPayload"
    )
    # Grown to 30: 09:45 is hidden, and booking it is refused; 10:15 is shown and books.
    await run(gql, SET_BUFFER, {"therapist": clinic.dana_id, "minutes": 30}, clinic.dana_user)
    assert (await slot_times(gql, clinic))[:1] == times(clinic, "10:15")
    refused_start = await _book(gql, clinic, "09:45", ana_user)
    assert refused_start["__typename"] == "BookingErrors", refused_start
    assert refused_start["errors"] == [{"code": "SLOT_UNAVAILABLE", "field": "startsAt"}]
    assert (await _book(gql, clinic, "10:15", ana_user))["__typename"] == "AppointmentPayload"
    # Shrunk to 0: 11:00 (right after 10:15-11:00, which claimed 30 minutes more) is shown,
    # and booking it succeeds.
    await run(gql, SET_BUFFER, {"therapist": clinic.dana_id, "minutes": 0}, clinic.dana_user)
    assert times(clinic, "11:00")[0] in await slot_times(gql, clinic)
    shrunk = await _book(gql, clinic, "11:00", clinic.maria_user)
    assert shrunk["__typename"] == "AppointmentPayload", shrunk


async def test_an_inactive_session_type_is_neither_shown_nor_booked(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    await every_day_morning(gql, clinic)
    assert await slot_times(gql, clinic, session_type="assessment")
    assessment = await SessionType.get(code="assessment")
    result = await run(
        gql,
        UPDATE_TYPE,
        {"input": {"id": gid("SessionType", assessment.id), "active": False}},
        clinic.admin,
    )
    assert result["sessionType"]["active"] is False
    begin = datetime(clinic.day.year, clinic.day.month, clinic.day.day, tzinfo=NEW_YORK)
    slots = await run(
        gql,
        SLOTS,
        {
            "filter": {
                "sessionType": "assessment",
                "from": begin.isoformat(),
                "to": (begin + timedelta(days=1)).isoformat(),
            }
        },
        clinic.maria_user,
    )
    assert slots == {
        "__typename": "ScheduleErrors",
        "errors": [{"code": "UNKNOWN_SESSION_TYPE", "field": "filter.sessionType"}],
    }
    booked = await run(
        gql,
        BOOK,
        {
            "input": {
                "therapistId": clinic.dana_id,
                "sessionType": "assessment",
                "startsAt": clinic.at("09:00").isoformat(),
                "locationId": clinic.riverside_id,
            }
        },
        clinic.maria_user,
    )
    assert booked["__typename"] == "BookingErrors", booked
    assert [error["code"] for error in booked["errors"]] == ["SESSION_TYPE_UNAVAILABLE"]
    types = await run(gql, "{ sessionTypes { code } }", {}, clinic.maria_user)
    assert "assessment" not in {row["code"] for row in types}
    assert datetime.now(UTC) < clinic.at("09:00")  # the refusals are not about the lead time


async def test_colleagues_see_time_off_but_not_its_note(gql: GraphQLClient, clinic: Clinic) -> None:
    await run(
        gql,
        ADD_EXCEPTION,
        {"input": time_off(clinic, "09:00", "10:00", note="Surgery follow-up")},
        clinic.dana_user,
    )
    query = """query($id: ID!) { node(id: $id) { ... on Therapist {
      scheduleExceptions { kind note } } } }"""
    notes = {}
    for viewer in (clinic.dana_user, clinic.sam_user, clinic.admin):
        body = await gql.execute(query, {"id": clinic.dana_id}, as_user=viewer.id)
        assert "errors" not in body, body
        notes[viewer.id] = body["data"]["node"]["scheduleExceptions"]
    assert notes[clinic.dana_user.id] == [{"kind": "TIME_OFF", "note": "Surgery follow-up"}]
    assert notes[clinic.admin.id] == [{"kind": "TIME_OFF", "note": "Surgery follow-up"}]
    assert notes[clinic.sam_user.id] == [{"kind": "TIME_OFF", "note": ""}]
