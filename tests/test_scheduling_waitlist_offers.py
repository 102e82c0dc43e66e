"""The waitlist offer: a freed slot is offered to matching waiting patients in joining order,
and the first to book it gets it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.models.accounts import User
from api.models.jobs import Job
from api.models.notifications import Notification, NotificationKind
from api.models.patients import Patient
from api.models.scheduling import AppointmentStatus, WaitlistEntry, WaitlistStatus
from api.models.therapists import Location, Specialty, Therapist, TherapistSpecialty
from api.realtime.events import transaction
from api.services import jobs
from api.services.scheduling import waitlist
from api.settings import Settings
from tests.clinical_support import gid, make_location, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import give_hours, local_start, make_appointment, make_session_types

BOOK = """
mutation Book($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    __typename
    ... on AppointmentPayload { appointment { id status startsAt } }
    ... on BookingErrors { errors { code field message } }
  }
}
"""
CANCEL = """
mutation Cancel($input: CancelAppointmentInput!) {
  cancelAppointment(input: $input) {
    __typename
    ... on AppointmentPayload { appointment { id status } }
    ... on BookingErrors { errors { code message } }
  }
}
"""
JOIN = """
mutation Join($input: JoinWaitlistInput!) {
  joinWaitlist(input: $input) {
    __typename
    ... on WaitlistPayload { entry { id status } }
    ... on WaitlistErrors { errors { code field message } }
  }
}
"""
MINE = "{ myWaitlist(all: true) { id status bookedAppointment { id } } }"

ZONE = ZoneInfo("America/New_York")


@dataclass
class Clinic:
    therapist: Therapist
    location: Location
    settings: Settings


@pytest.fixture
async def clinic(settings: Settings, database: None) -> Clinic:
    await make_session_types()
    location = await make_location()
    _, therapist = await make_therapist()
    await TherapistSpecialty.create(therapist=therapist, specialty=Specialty.ORTHOPEDIC)
    await give_hours(therapist, location, weekdays=range(7), start="06:00", end="22:00")
    return Clinic(therapist, location, settings)


async def patient(name: str, zone: str = "America/New_York") -> tuple[User, Patient]:
    return await make_patient(f"{name.lower()}@example.org", given_name=name, time_zone=zone)


def today() -> date:
    return datetime.now(ZONE).date()


async def wait(
    who: Patient,
    *,
    therapist: Therapist | None = None,
    specialty: Specialty | None = None,
    session_type: str = "follow_up",
    days: tuple[int, int] = (0, 10),
    location_id: int | None = None,
    telehealth: bool | None = None,
    status: WaitlistStatus = WaitlistStatus.WAITING,
    created_at: datetime | None = None,
) -> WaitlistEntry:
    from api.models.scheduling import SessionType

    kind = await SessionType.get(code=session_type)
    return await WaitlistEntry.create(
        patient_id=who.id,
        therapist_id=therapist.id if therapist else None,
        specialty=specialty,
        session_type_id=kind.id,
        location_id=location_id,
        telehealth=telehealth,
        from_date=today() + timedelta(days=days[0]),
        to_date=today() + timedelta(days=days[1]),
        status=status,
        created_at=created_at or datetime.now(UTC),
    )


async def free_directly(
    clinic: Clinic, starts_at: datetime, minutes: int = 45, by: str = "Cara"
) -> int:
    """A booking of someone else, cancelled, with its offer queued as booking would."""
    user, other = await patient(by)
    from api.models.scheduling import SessionType

    follow_up = await SessionType.get(code="follow_up")
    async with transaction():
        row = await make_appointment(
            other.id,
            clinic.therapist.id,
            follow_up.id,
            starts_at,
            minutes=minutes,
            location_id=clinic.location.id,
            booked_by_id=user.id,
        )
        row.status = AppointmentStatus.CANCELLED
        row.cancelled_at = datetime.now(UTC)
        await row.save()
        await waitlist.slot_freed(row)
    return int(row.id)


async def offers_to(user: User) -> list[Notification]:
    return list(
        await Notification.filter(
            user_id=user.id, kind=NotificationKind.WAITLIST_SLOT_OPEN
        ).order_by("id")
    )


def booking(therapist: Therapist, location: Location, starts_at: datetime) -> dict[str, Any]:
    return {
        "input": {
            "therapistId": gid("Therapist", therapist.id),
            "sessionType": "follow_up",
            "startsAt": starts_at.isoformat(),
            "locationId": gid("Location", location.id),
        }
    }


async def test_hand_off_end_to_end_first_to_book_gets_it(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    ana_user, ana = await patient("Ana")
    ben_user, ben = await patient("Ben")
    cara_user, _ = await patient("Cara")
    starts = local_start(3, "10:00")

    booked = await gql.execute(
        BOOK, booking(clinic.therapist, clinic.location, starts), as_user=cara_user.id
    )
    assert booked["data"]["bookAppointment"]["__typename"] == "AppointmentPayload", booked
    cara_appointment = booked["data"]["bookAppointment"]["appointment"]["id"]

    entries = {}
    for user in (ana_user, ben_user):  # Ana joins first, then Ben
        body = await gql.execute(
            JOIN,
            {
                "input": {
                    "therapistId": gid("Therapist", clinic.therapist.id),
                    "sessionType": "follow_up",
                    "fromDate": today().isoformat(),
                    "toDate": (today() + timedelta(days=14)).isoformat(),
                }
            },
            as_user=user.id,
        )
        assert body["data"]["joinWaitlist"]["__typename"] == "WaitlistPayload", body
        entries[user.id] = body["data"]["joinWaitlist"]["entry"]["id"]
    await jobs.run_until_idle(clinic.settings)
    assert await offers_to(ana_user) == []
    assert await offers_to(ben_user) == []

    cancelled = await gql.execute(
        CANCEL, {"input": {"appointmentId": cara_appointment}}, as_user=cara_user.id
    )
    assert cancelled["data"]["cancelAppointment"]["__typename"] == "AppointmentPayload", cancelled
    assert await Job.filter(kind=waitlist.OFFER_JOB, finished_at=None).count() == 1
    await jobs.run_until_idle(clinic.settings)

    (to_ana,) = await offers_to(ana_user)
    (to_ben,) = await offers_to(ben_user)
    assert to_ana.id < to_ben.id  # told in the order they joined
    stamp = starts.astimezone(UTC).strftime("%Y-%m-%dT%H%%3A%M%%3A%SZ")
    assert f"start={stamp}" in to_ana.link
    assert to_ana.link == to_ben.link
    assert to_ana.link.startswith("/appointments/book?therapist=")
    assert to_ana.patient_id == ana.id
    assert (await WaitlistEntry.get(patient_id=ana.id)).last_offered_at is not None

    # Ben (joined second) books first and gets it; Ana is then too late.
    ben_books = await gql.execute(
        BOOK, booking(clinic.therapist, clinic.location, starts), as_user=ben_user.id
    )
    assert ben_books["data"]["bookAppointment"]["__typename"] == "AppointmentPayload", ben_books
    ana_books = await gql.execute(
        BOOK, booking(clinic.therapist, clinic.location, starts), as_user=ana_user.id
    )
    result = ana_books["data"]["bookAppointment"]
    assert result["__typename"] == "BookingErrors", result
    assert [error["code"] for error in result["errors"]] == ["SLOT_UNAVAILABLE"]

    ben_entry = await WaitlistEntry.get(patient_id=ben.id)
    assert ben_entry.status == WaitlistStatus.BOOKED
    assert (
        gid("Appointment", ben_entry.booked_appointment_id or 0)
        == (ben_books["data"]["bookAppointment"]["appointment"]["id"])
    )
    assert (await WaitlistEntry.get(patient_id=ana.id)).status == WaitlistStatus.WAITING
    mine = await gql.execute(MINE, as_user=ben_user.id)
    assert mine["data"]["myWaitlist"] == [
        {
            "id": entries[ben_user.id],
            "status": "BOOKED",
            "bookedAppointment": {"id": ben_books["data"]["bookAppointment"]["appointment"]["id"]},
        }
    ]


async def test_offers_follow_joining_time_not_row_order(clinic: Clinic) -> None:
    early = datetime.now(UTC) - timedelta(days=2)
    users = {}
    for name, joined in (("Late", early + timedelta(hours=5)), ("Early", early)):
        user, who = await patient(name)
        await wait(who, therapist=clinic.therapist, created_at=joined)
        users[name] = user
    await free_directly(clinic, local_start(4, "11:00"))
    await jobs.run_until_idle(clinic.settings)
    (first,) = await offers_to(users["Early"])
    (second,) = await offers_to(users["Late"])
    assert first.id < second.id


async def test_only_matching_entries_are_told(clinic: Clinic) -> None:
    _, dana_colleague = await make_therapist("sam@clinic.test", name="Sam Ortiz")
    elsewhere = await make_location("Hillside Clinic")
    told: list[User] = []
    untold: list[User] = []

    async def expect(name: str, should_be_told: bool, **entry: Any) -> None:
        user, who = await patient(name)
        await wait(who, **entry)
        (told if should_be_told else untold).append(user)

    await expect("Named", True, therapist=clinic.therapist)
    await expect("Specialty", True, specialty=Specialty.ORTHOPEDIC)
    await expect("Here", True, therapist=clinic.therapist, location_id=clinic.location.id)
    await expect("InPerson", True, therapist=clinic.therapist, telehealth=False)
    # A 60-minute session does not fit in the freed 45 minutes.
    await expect("Longer", False, therapist=clinic.therapist, session_type="initial_consultation")
    await expect("OtherSpecialty", False, specialty=Specialty.PEDIATRIC)
    await expect("OtherTherapist", False, therapist=dana_colleague)
    await expect("Elsewhere", False, therapist=clinic.therapist, location_id=elsewhere.id)
    # Dana has no telehealth hours: an online-only wait cannot use this time.
    await expect("Online", False, therapist=clinic.therapist, telehealth=True)
    await expect("LaterDays", False, therapist=clinic.therapist, days=(6, 10))
    await expect("Left", False, therapist=clinic.therapist, status=WaitlistStatus.CANCELLED)
    expired_user, expired = await patient("Expired")
    stale = await wait(
        expired, therapist=clinic.therapist, days=(-5, -1), created_at=datetime.now(UTC)
    )
    untold.append(expired_user)

    await free_directly(clinic, local_start(3, "10:00"))
    await jobs.run_until_idle(clinic.settings)

    for user in told:
        assert len(await offers_to(user)) == 1, user.email
    for user in untold:
        assert await offers_to(user) == [], user.email
    assert (await WaitlistEntry.get(id=stale.id)).status == WaitlistStatus.EXPIRED


async def test_a_longer_session_is_offered_when_the_freed_time_holds_it(clinic: Clinic) -> None:
    user, who = await patient("Long")
    await wait(who, therapist=clinic.therapist, session_type="initial_consultation")
    await free_directly(clinic, local_start(3, "10:00"), minutes=90)
    await jobs.run_until_idle(clinic.settings)
    (offer,) = await offers_to(user)
    assert "sessionType=initial_consultation" in offer.link


async def test_a_slot_too_soon_to_book_is_offered_to_nobody(clinic: Clinic) -> None:
    user, who = await patient("Soon")
    await wait(who, therapist=clinic.therapist)
    soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=30)
    await free_directly(clinic, soon)
    await jobs.run_until_idle(clinic.settings)
    assert await offers_to(user) == []


async def test_the_offer_runs_once_even_when_queued_again(clinic: Clinic) -> None:
    user, who = await patient("Once")
    await wait(who, therapist=clinic.therapist)
    appointment_id = await free_directly(clinic, local_start(3, "10:00"))
    await jobs.run_until_idle(clinic.settings)
    await jobs.enqueue(waitlist.OFFER_JOB, {"appointment_id": appointment_id})
    await jobs.run_until_idle(clinic.settings)
    assert len(await offers_to(user)) == 1


async def test_the_same_time_freed_again_is_offered_again(clinic: Clinic) -> None:
    user, who = await patient("Again")
    await wait(who, therapist=clinic.therapist)
    starts = local_start(3, "10:00")
    await free_directly(clinic, starts)
    await jobs.run_until_idle(clinic.settings)
    # Someone else booked the time meanwhile and now cancels it too: a new chance.
    await free_directly(clinic, starts, by="Dora")
    await jobs.run_until_idle(clinic.settings)
    first, second = await offers_to(user)
    assert first.link == second.link


async def test_booked_marks_only_matching_entries(clinic: Clinic) -> None:
    user, who = await patient("Booker")
    matching = await wait(who, therapist=clinic.therapist)
    by_specialty = await wait(who, specialty=Specialty.ORTHOPEDIC, days=(0, 2))
    other_type = await wait(who, therapist=clinic.therapist, session_type="assessment")
    from api.models.scheduling import SessionType

    follow_up = await SessionType.get(code="follow_up")
    row = await make_appointment(
        who.id,
        clinic.therapist.id,
        follow_up.id,
        local_start(4, "10:00"),
        location_id=clinic.location.id,
        booked_by_id=user.id,
    )
    await waitlist.booked(row)
    assert (await WaitlistEntry.get(id=matching.id)).status == WaitlistStatus.BOOKED
    assert (await WaitlistEntry.get(id=matching.id)).booked_appointment_id == row.id
    # Day 4 lies outside the specialty entry's days 0 to 2.
    assert (await WaitlistEntry.get(id=by_specialty.id)).status == WaitlistStatus.WAITING
    assert (await WaitlistEntry.get(id=other_type.id)).status == WaitlistStatus.WAITING
