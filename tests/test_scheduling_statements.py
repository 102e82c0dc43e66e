"""SQL statements of bookAppointment and availableSlots through the API: fixed, whatever the
therapist's other bookings, the patient's notification preferences, therapists or days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.models.notifications import NotificationChannel, NotificationKind, NotificationPreference
from api.models.outbox import OutboxMail
from api.models.scheduling import Appointment
from tests.clinical_support import assign, gid, make_location, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import give_hours, local_start, make_appointment, make_session_types
from tests.sql_counter import count_sql

pytestmark = pytest.mark.usefixtures("database")

BOOK = """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  __typename ... on AppointmentPayload { appointment { id status } }
  ... on BookingErrors { errors { code } } } }"""
SLOTS = """query($filter: SlotFilter!) {
  availableSlots(filter: $filter, timeZone: "Europe/London") {
    ... on AvailableSlots { slots { startsAt localStart therapist { id name }
        location { id } sessionType { code } } }
    ... on ScheduleErrors { errors { code } } } }"""
QUIET_KINDS = (
    NotificationKind.PLAN_UPDATED,
    NotificationKind.PROFILE_REVIEW_DUE,
    NotificationKind.NEW_MESSAGE,
    NotificationKind.VIDEO_COMMENT,
    NotificationKind.MESSAGE_OVERDUE,
)


async def test_one_booking_costs_the_same_whatever_the_week_and_preferences(
    gql: GraphQLClient,
) -> None:
    types = await make_session_types()
    location = await make_location()
    _, dana = await make_therapist()
    await give_hours(dana, location, weekdays=range(7), start="06:00", end="22:00")
    maria_user, maria = await make_patient()
    lee_user, lee = await make_patient("lee@example.org", given_name="Lee")
    await assign(maria, dana)

    async def book(hhmm: str) -> int:
        variables: dict[str, Any] = {
            "input": {
                "therapistId": gid("Therapist", dana.id),
                "sessionType": "follow_up",
                "startsAt": local_start(3, hhmm).isoformat(),
                "locationId": gid("Location", location.id),
                "concerns": "Stiff knee",
            }
        }
        mails = await OutboxMail.all().count()
        with count_sql() as counter:
            body = await gql.execute(BOOK, variables, as_user=maria_user.id)
        assert body["data"]["bookAppointment"]["__typename"] == "AppointmentPayload", body
        assert await OutboxMail.all().count() == mails + 2  # patient and therapist
        return counter.count

    await book("08:00")  # the therapist's one other booking that week; warms the path
    with_one = await book("10:00")
    for n in range(29):
        await make_appointment(
            lee.id,
            dana.id,
            types["follow_up"].id,
            local_start(4 + n % 3, f"{7 + n // 3:02d}:00"),
            location_id=location.id,
            booked_by_id=lee_user.id,
        )
    await NotificationPreference.bulk_create(
        [
            NotificationPreference(
                user_id=maria_user.id,
                kind=kind,
                channel=channel,
                enabled=True,
                updated_at=datetime.now(UTC),
            )
            for kind in QUIET_KINDS
            for channel in (NotificationChannel.EMAIL, NotificationChannel.SMS)
        ]
    )
    with_thirty = await book("12:00")
    assert await Appointment.filter(therapist_id=dana.id).count() == 32
    print(f"bookAppointment through the API: {with_one} statements")
    assert with_thirty == with_one
    # 41 measured: the viewer, the booking, its claims, questionnaire, reminders, waitlist,
    # two notifications with their deliveries and two mails; a ceiling with a little room.
    assert with_one <= 45


async def test_available_slots_cost_the_same_for_any_therapists_and_days(
    gql: GraphQLClient,
) -> None:
    await make_session_types()
    location = await make_location()
    user, _ = await make_patient()
    begin = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)

    async def measure(days: int) -> tuple[int, int]:
        variables = {
            "filter": {
                "sessionType": "follow_up",
                "from": begin.isoformat(),
                "to": (begin + timedelta(days=days)).isoformat(),
            }
        }
        with count_sql() as counter:
            body = await gql.execute(SLOTS, variables, as_user=user.id)
        slots = body["data"]["availableSlots"]["slots"]
        return counter.count, len({slot["therapist"]["id"] for slot in slots})

    async def add_therapists(start: int, count: int) -> None:
        for n in range(start, start + count):
            _, therapist = await make_therapist(f"t{n}@clinic.test", name=f"T {n}")
            await give_hours(therapist, location, weekdays=range(7), start="09:00", end="17:00")

    await add_therapists(0, 1)
    await measure(1)  # warms the viewer's path
    one_day, seen = await measure(1)
    assert seen == 1
    four_weeks, _ = await measure(28)
    await add_therapists(1, 19)
    twenty_therapists, seen = await measure(28)
    assert seen == 20
    print(f"availableSlots through the API: {one_day} statements")
    assert one_day == four_weeks == twenty_therapists
    # The viewer's roles and patient id, then availability's own four reads.
    assert one_day <= 2 + 4
