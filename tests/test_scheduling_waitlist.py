"""Joining and leaving the waitlist, its validation, and who reads which entries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.models.accounts import Role
from api.models.scheduling import WaitlistEntry, WaitlistStatus
from api.models.therapists import Specialty, TherapistSpecialty
from tests.accounts_support import make_user
from tests.clinical_support import assign, gid, make_location, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import make_session_types
from tests.sql_counter import count_sql

JOIN = """
mutation Join($input: JoinWaitlistInput!) {
  joinWaitlist(input: $input) {
    __typename
    ... on WaitlistPayload { entry { id status fromDate toDate telehealth specialty
      therapist { id } sessionType { code } location { id } patient { id } } }
    ... on WaitlistErrors { errors { code field message } }
  }
}
"""
LEAVE = """
mutation Leave($id: ID!) {
  leaveWaitlist(id: $id) {
    __typename
    ... on WaitlistPayload { entry { id status } }
    ... on WaitlistErrors { errors { code field } }
  }
}
"""
MINE = "query($all: Boolean!) { myWaitlist(all: $all) { id status } }"
STAFF = """
query($therapistId: ID, $specialty: Specialty) {
  waitlist(therapistId: $therapistId, specialty: $specialty) { id patient { id } }
}
"""
PATIENT_WAITLIST = "query($id: ID!) { node(id: $id) { ... on Patient { waitlist { id } } } }"
NODE = "query($id: ID!) { node(id: $id) { ... on WaitlistEntry { id status } } }"

NEW_YORK = ZoneInfo("America/New_York")


def today(zone: ZoneInfo = NEW_YORK) -> date:
    return datetime.now(zone).date()


@pytest.fixture
async def people(database: None) -> dict[str, Any]:
    await make_session_types()
    location = await make_location()
    dana_user, dana = await make_therapist()
    await TherapistSpecialty.create(therapist=dana, specialty=Specialty.ORTHOPEDIC)
    sam_user, sam = await make_therapist("sam@clinic.test", name="Sam Ortiz")
    maria_user, maria = await make_patient()
    omar_user, omar = await make_patient("omar@example.org", given_name="Omar")
    await assign(maria, dana)
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    return {
        "location": location,
        "dana": dana,
        "dana_user": dana_user,
        "sam": sam,
        "sam_user": sam_user,
        "maria": maria,
        "maria_user": maria_user,
        "omar": omar,
        "omar_user": omar_user,
        "admin": admin,
    }


def join_input(therapist_id: int | None = None, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "sessionType": "follow_up",
        "fromDate": today().isoformat(),
        "toDate": (today() + timedelta(days=30)).isoformat(),
    }
    if therapist_id is not None:
        values["therapistId"] = gid("Therapist", therapist_id)
    values.update(extra)
    return {"input": values}


async def join(gql: GraphQLClient, user_id: int, variables: dict[str, Any]) -> dict[str, Any]:
    body = await gql.execute(JOIN, variables, as_user=user_id)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["joinWaitlist"]
    return result


def codes(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    assert result["__typename"] == "WaitlistErrors", result
    return [(error["code"], error["field"]) for error in result["errors"]]


async def test_patient_joins_for_a_therapist_and_sees_it(
    gql: GraphQLClient, people: dict[str, Any]
) -> None:
    result = await join(
        gql,
        people["maria_user"].id,
        join_input(people["dana"].id, locationId=gid("Location", people["location"].id)),
    )
    assert result["__typename"] == "WaitlistPayload", result
    entry = result["entry"]
    assert entry["status"] == "WAITING"
    assert entry["therapist"] == {"id": gid("Therapist", people["dana"].id)}
    assert entry["sessionType"] == {"code": "follow_up"}
    assert entry["location"] == {"id": gid("Location", people["location"].id)}
    assert entry["telehealth"] is False  # a location means in person
    assert entry["patient"] == {"id": gid("Patient", people["maria"].id)}
    mine = await gql.execute(MINE, {"all": False}, as_user=people["maria_user"].id)
    assert mine["data"]["myWaitlist"] == [{"id": entry["id"], "status": "WAITING"}]
    on_patient = await gql.execute(
        PATIENT_WAITLIST,
        {"id": gid("Patient", people["maria"].id)},
        as_user=people["maria_user"].id,
    )
    assert on_patient["data"]["node"]["waitlist"] == [{"id": entry["id"]}]


async def test_joining_by_specialty(gql: GraphQLClient, people: dict[str, Any]) -> None:
    result = await join(
        gql, people["omar_user"].id, join_input(specialty="ORTHOPEDIC", telehealth=True)
    )
    assert result["__typename"] == "WaitlistPayload", result
    assert result["entry"]["specialty"] == "ORTHOPEDIC"
    assert result["entry"]["therapist"] is None
    assert result["entry"]["telehealth"] is True


async def test_join_validation_lists_every_problem(
    gql: GraphQLClient, people: dict[str, Any]
) -> None:
    user = people["maria_user"].id
    dana = people["dana"].id
    yesterday = (today() - timedelta(days=1)).isoformat()
    result = await join(gql, user, join_input(dana, fromDate=yesterday, toDate=yesterday))
    assert codes(result) == [("DATE_IN_PAST", "fromDate")]
    result = await join(
        gql, user, join_input(dana, toDate=(today() - timedelta(days=1)).isoformat())
    )
    assert codes(result) == [("DATE_RANGE_INVALID", "toDate")]
    result = await join(
        gql, user, join_input(dana, toDate=(today() + timedelta(days=90)).isoformat())
    )
    assert codes(result) == [("DATE_RANGE_TOO_LONG", "toDate")]
    result = await join(
        gql, user, join_input(dana, toDate=(today() + timedelta(days=89)).isoformat())
    )
    assert result["__typename"] == "WaitlistPayload"  # 90 days, counting both ends
    result = await join(gql, user, join_input(dana, specialty="SPORTS"))
    assert codes(result) == [("CHOOSE_THERAPIST_OR_SPECIALTY", "therapistId")]
    result = await join(gql, user, join_input())
    assert codes(result) == [("CHOOSE_THERAPIST_OR_SPECIALTY", "therapistId")]
    result = await join(gql, user, join_input(dana, sessionType="assessment", telehealth=True))
    assert codes(result) == [("TELEHEALTH_UNAVAILABLE", "telehealth")]
    result = await join(gql, user, join_input(dana, sessionType="no_such_thing"))
    assert codes(result) == [("SESSION_TYPE_UNAVAILABLE", "sessionType")]
    result = await join(
        gql,
        user,
        join_input(dana, locationId=gid("Location", people["location"].id), telehealth=True),
    )
    assert codes(result) == [("LOCATION_OR_TELEHEALTH", "locationId")]
    result = await join(gql, user, join_input(dana + 1000, fromDate=yesterday))
    assert codes(result) == [("THERAPIST_NOT_FOUND", "therapistId"), ("DATE_IN_PAST", "fromDate")]
    assert await WaitlistEntry.filter(patient_id=people["maria"].id).count() == 1


async def test_today_is_the_patients_own(gql: GraphQLClient, database: None) -> None:
    await make_session_types()
    _, dana = await make_therapist()
    # Kiritimati (UTC+14) is always one calendar day ahead of Honolulu (UTC-10).
    honolulu_today = today(ZoneInfo("Pacific/Honolulu")).isoformat()
    ahead_user, _ = await make_patient("ahead@example.org", time_zone="Pacific/Kiritimati")
    behind_user, _ = await make_patient("behind@example.org", time_zone="Pacific/Honolulu")
    variables = join_input(dana.id, fromDate=honolulu_today, toDate=honolulu_today)
    assert codes(await join(gql, ahead_user.id, variables)) == [("DATE_IN_PAST", "fromDate")]
    assert (await join(gql, behind_user.id, variables))["__typename"] == "WaitlistPayload"


async def test_at_most_five_waiting_entries(gql: GraphQLClient, people: dict[str, Any]) -> None:
    user = people["maria_user"].id
    for _ in range(5):
        result = await join(gql, user, join_input(people["dana"].id))
        assert result["__typename"] == "WaitlistPayload", result
    assert codes(await join(gql, user, join_input(people["dana"].id))) == [
        ("TOO_MANY_ENTRIES", None)
    ]
    # An expired entry does not count: its last day passed.
    first = await WaitlistEntry.filter(patient_id=people["maria"].id).order_by("id").first()
    assert first is not None
    await WaitlistEntry.filter(id=first.id).update(to_date=today() - timedelta(days=1))
    assert (await join(gql, user, join_input(people["dana"].id)))["__typename"] == (
        "WaitlistPayload"
    )
    assert (await WaitlistEntry.get(id=first.id)).status == WaitlistStatus.EXPIRED
    everything = await gql.execute(MINE, {"all": True}, as_user=user)
    assert [row["status"] for row in everything["data"]["myWaitlist"]] == ["EXPIRED"] + [
        "WAITING"
    ] * 5


async def test_leaving(gql: GraphQLClient, people: dict[str, Any]) -> None:
    entry = (await join(gql, people["maria_user"].id, join_input(people["dana"].id)))["entry"]
    other = await gql.execute(LEAVE, {"id": entry["id"]}, as_user=people["omar_user"].id)
    assert other["data"] is None
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    left = await gql.execute(LEAVE, {"id": entry["id"]}, as_user=people["maria_user"].id)
    assert left["data"]["leaveWaitlist"] == {
        "__typename": "WaitlistPayload",
        "entry": {"id": entry["id"], "status": "CANCELLED"},
    }
    again = await gql.execute(LEAVE, {"id": entry["id"]}, as_user=people["maria_user"].id)
    assert again["data"]["leaveWaitlist"] == {
        "__typename": "WaitlistErrors",
        "errors": [{"code": "NOT_WAITING", "field": "id"}],
    }
    mine = await gql.execute(MINE, {"all": False}, as_user=people["maria_user"].id)
    assert mine["data"]["myWaitlist"] == []


async def test_another_patients_entries_do_not_exist_for_you(
    gql: GraphQLClient, people: dict[str, Any]
) -> None:
    entry = (await join(gql, people["maria_user"].id, join_input(people["dana"].id)))["entry"]
    omar = people["omar_user"].id
    assert (await gql.execute(MINE, {"all": True}, as_user=omar))["data"]["myWaitlist"] == []
    assert (await gql.execute(NODE, {"id": entry["id"]}, as_user=omar))["data"]["node"] is None
    seen = await gql.execute(
        PATIENT_WAITLIST, {"id": gid("Patient", people["maria"].id)}, as_user=omar
    )
    assert seen["data"]["node"] is None
    staff_for_her = await gql.execute(
        JOIN,
        join_input(people["dana"].id, patientId=gid("Patient", people["maria"].id)),
        as_user=omar,
    )
    assert staff_for_her["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await WaitlistEntry.filter(patient_id=people["maria"].id).count() == 1


async def test_staff_lists_in_joining_order(gql: GraphQLClient, people: dict[str, Any]) -> None:
    maria_entry = (await join(gql, people["maria_user"].id, join_input(people["dana"].id)))["entry"]
    omar_entry = (await join(gql, people["omar_user"].id, join_input(people["dana"].id)))["entry"]
    by_specialty = (await join(gql, people["omar_user"].id, join_input(specialty="ORTHOPEDIC")))[
        "entry"
    ]
    await join(gql, people["omar_user"].id, join_input(people["sam"].id))
    # Maria joined first but her row says later: the list follows the joining time.
    await WaitlistEntry.filter(patient_id=people["maria"].id).update(
        created_at=datetime.now(UTC) + timedelta(minutes=5)
    )
    dana_id = gid("Therapist", people["dana"].id)
    for viewer in (people["dana_user"].id, people["admin"].id):
        listed = await gql.execute(STAFF, {"therapistId": dana_id}, as_user=viewer)
        assert [row["id"] for row in listed["data"]["waitlist"]] == [
            omar_entry["id"],
            maria_entry["id"],
        ]
    own = await gql.execute(STAFF, {}, as_user=people["dana_user"].id)
    assert [row["id"] for row in own["data"]["waitlist"]] == [
        omar_entry["id"],
        by_specialty["id"],
        maria_entry["id"],
    ]
    # Dana cares for Maria, not (yet) for Omar: his record stays out of her reach.
    patients = [row["patient"] for row in own["data"]["waitlist"]]
    assert patients == [None, None, {"id": gid("Patient", people["maria"].id)}]
    specialty = await gql.execute(STAFF, {"specialty": "ORTHOPEDIC"}, as_user=people["admin"].id)
    assert [row["id"] for row in specialty["data"]["waitlist"]] == [by_specialty["id"]]
    for viewer, variables in (
        (people["sam_user"].id, {"therapistId": dana_id}),
        (people["sam_user"].id, {"specialty": "ORTHOPEDIC"}),
        (people["maria_user"].id, {}),
    ):
        refused = await gql.execute(STAFF, variables, as_user=viewer)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", (viewer, variables)


CASELOAD_WAITLISTS = "{ caseload { id waitlist { id toDate } } }"


async def test_a_caseload_reads_every_waitlist_in_one_batch(
    gql: GraphQLClient, people: dict[str, Any]
) -> None:
    async def caseload_statements() -> tuple[int, list[list[str]]]:
        with count_sql() as counter:
            body = await gql.execute(CASELOAD_WAITLISTS, {}, as_user=people["dana_user"].id)
        assert "errors" not in body, body
        return counter.count, [
            [entry["toDate"] for entry in row["waitlist"]] for row in body["data"]["caseload"]
        ]

    await join(gql, people["maria_user"].id, join_input(people["dana"].id))
    one, lists = await caseload_statements()
    assert lists == [[(today() + timedelta(days=30)).isoformat()]]
    for n in range(5):
        user, patient = await make_patient(f"p{n}@example.org", given_name=f"P{n}")
        await assign(patient, people["dana"])
        await join(gql, user.id, join_input(people["dana"].id))
    # An entry past its last day is left out, as Patient.waitlist lists WAITING ones only.
    stale = await WaitlistEntry.filter(patient_id=people["maria"].id).first()
    assert stale is not None
    await WaitlistEntry.filter(id=stale.id).update(
        from_date=today() - timedelta(days=9), to_date=today() - timedelta(days=2)
    )
    six, lists = await caseload_statements()
    assert sorted(len(entries) for entries in lists) == [0, 1, 1, 1, 1, 1]
    assert six == one
