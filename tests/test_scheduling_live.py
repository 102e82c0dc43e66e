"""appointmentChanged over a real WebSocket: who hears of a booking's every change, and who
does not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.applications import Starlette

from api.models.accounts import User
from api.models.patients import Patient
from api.models.scheduling import SessionType
from api.models.therapists import Location, Therapist
from api.realtime import broker as broker_module
from api.realtime import topics
from tests.clinical_support import assign, gid, make_location, make_patient, make_therapist
from tests.conftest import VIEWER_HEADER, GraphQLClient
from tests.realtime_support import ObservedBroker, Socket, broker, open_socket
from tests.scheduling_support import give_hours, local_start, make_appointment, make_session_types

__all__ = ["broker"]  # a fixture

pytestmark = pytest.mark.usefixtures("database")

CHANGED = """subscription($patient: ID) {
  appointmentChanged(patientId: $patient) { id status startsAt patient { id } }
}"""
BOOK = """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  __typename ... on AppointmentPayload { appointment { id status } }
  ... on BookingErrors { errors { code } } } }"""
MOVE = """mutation($input: RescheduleAppointmentInput!) { rescheduleAppointment(input: $input) {
  __typename ... on ReschedulePayload { previous { id } appointment { id } }
  ... on BookingErrors { errors { code } } } }"""
CANCEL = """mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) {
  __typename ... on AppointmentPayload { appointment { id status } }
  ... on BookingErrors { errors { code } } } }"""
MARK = """mutation($id: ID!, $status: AttendanceMark!) {
  markAttendance(appointmentId: $id, status: $status) {
  __typename ... on AppointmentPayload { appointment { id status } }
  ... on BookingErrors { errors { code } } } }"""


@dataclass
class Clinic:
    maria_user: User
    maria: Patient
    lee_user: User
    lee: Patient
    dana_user: User
    dana: Therapist
    sam_user: User  # not on Maria's care team
    location: Location


@pytest.fixture
async def clinic() -> Clinic:
    await make_session_types()
    location = await make_location()
    dana_user, dana = await make_therapist()
    await give_hours(dana, location, weekdays=range(7), start="06:00", end="22:00")
    sam_user, _ = await make_therapist("sam@clinic.test", name="Sam Okafor")
    maria_user, maria = await make_patient()
    lee_user, lee = await make_patient("lee@example.org", given_name="Lee", family_name="Chen")
    await assign(maria, dana)
    await assign(lee, dana)
    return Clinic(maria_user, maria, lee_user, lee, dana_user, dana, sam_user, location)


@asynccontextmanager
async def socket_of(app: Starlette, user: User) -> AsyncIterator[Socket]:
    async with open_socket(app, {VIEWER_HEADER: str(user.id)}) as socket:
        assert await socket.init() == {"type": "connection_ack"}
        yield socket


async def run(gql: GraphQLClient, query: str, variables: dict[str, Any], user: User) -> Any:
    body = await gql.execute(query, variables, as_user=user.id)
    assert "errors" not in body, body
    result = next(iter(body["data"].values()))
    assert "errors" not in result, result
    return result


def booking(clinic: Clinic, patient: Patient, starts_at: datetime) -> dict[str, Any]:
    return {
        "input": {
            "patientId": gid("Patient", patient.id),
            "therapistId": gid("Therapist", clinic.dana.id),
            "sessionType": "follow_up",
            "startsAt": starts_at.isoformat(),
            "locationId": gid("Location", clinic.location.id),
        }
    }


async def changed(socket: Socket) -> dict[str, Any]:
    event: dict[str, Any] = (await socket.next_data("a"))["appointmentChanged"]
    return event


async def test_the_patient_and_the_care_team_hear_of_every_change(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker, clinic: Clinic
) -> None:
    topic = topics.patient_appointments(clinic.maria.id)
    maria_id = gid("Patient", clinic.maria.id)
    async with (
        socket_of(app, clinic.maria_user) as maria,
        socket_of(app, clinic.dana_user) as dana,
        socket_of(app, clinic.lee_user) as lee,
    ):
        await maria.subscribe("a", CHANGED)  # her own
        await dana.subscribe("a", CHANGED, {"patient": maria_id})
        await lee.subscribe("a", CHANGED)
        await broker.listened(topic, count=2)
        await broker.listened(topics.patient_appointments(clinic.lee.id))

        booked = await run(
            gql, BOOK, booking(clinic, clinic.maria, local_start(3)), clinic.maria_user
        )
        first = booked["appointment"]["id"]
        for socket in (maria, dana):
            event = await changed(socket)
            assert (event["id"], event["status"]) == (first, "BOOKED")
            assert event["patient"] == {"id": maria_id}

        moved = await run(
            gql,
            MOVE,
            {"input": {"appointmentId": first, "startsAt": local_start(4).isoformat()}},
            clinic.maria_user,
        )
        second = moved["appointment"]["id"]
        for socket in (maria, dana):
            pair = {
                (event["id"], event["status"]) for event in [await changed(socket) for _ in "xy"]
            }
            assert pair == {(first, "CANCELLED"), (second, "BOOKED")}

        cancelled = await run(
            gql, CANCEL, {"input": {"appointmentId": second, "reason": "Ill"}}, clinic.dana_user
        )
        assert cancelled["appointment"]["status"] == "CANCELLED"
        for socket in (maria, dana):
            event = await changed(socket)
            assert (event["id"], event["status"]) == (second, "CANCELLED")

        past = await make_appointment(
            clinic.maria.id,
            clinic.dana.id,
            (await SessionType.get(code="follow_up")).id,
            datetime.now(UTC) - timedelta(hours=2),
            location_id=clinic.location.id,
            booked_by_id=clinic.maria_user.id,
        )
        past_id = gid("Appointment", past.id)
        marked = await run(gql, MARK, {"id": past_id, "status": "ATTENDED"}, clinic.dana_user)
        assert marked["appointment"]["status"] == "ATTENDED"
        for socket in (maria, dana):
            event = await changed(socket)
            assert (event["id"], event["status"]) == (past_id, "ATTENDED")

        # Lee heard nothing of Maria's: his first event is his own booking.
        own = await run(gql, BOOK, booking(clinic, clinic.lee, local_start(5)), clinic.lee_user)
        event = await changed(lee)
        assert event["id"] == own["appointment"]["id"]
        assert event["patient"] == {"id": gid("Patient", clinic.lee.id)}


async def test_an_unassigned_therapist_cannot_follow_a_patient(
    app: Starlette, clinic: Clinic
) -> None:
    async with socket_of(app, clinic.sam_user) as sam:
        await sam.subscribe("a", CHANGED, {"patient": gid("Patient", clinic.maria.id)})
        message = await sam.receive()
    assert message["type"] == "next", message
    assert message["payload"]["data"] is None
    assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_two_changes_of_one_appointment_both_arrive(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker, clinic: Clinic
) -> None:
    async with socket_of(app, clinic.maria_user) as maria:
        await maria.subscribe("a", CHANGED)
        await broker.listened(topics.patient_appointments(clinic.maria.id))
        # Both events reach the subscriber together: same appointment id, two events.
        broker.held = []
        booked = await run(
            gql, BOOK, booking(clinic, clinic.maria, local_start(3)), clinic.maria_user
        )
        appointment_id = booked["appointment"]["id"]
        await run(gql, CANCEL, {"input": {"appointmentId": appointment_id}}, clinic.maria_user)
        topic = topics.patient_appointments(clinic.maria.id)
        assert [event.topic for event in broker.held].count(topic) == 2
        await broker.release()
        events = [await changed(maria), await changed(maria)]
        assert [event["id"] for event in events] == [appointment_id, appointment_id]
        # Each event loads the appointment as it is now: cancelled by the second change.
        assert [event["status"] for event in events] == ["CANCELLED", "CANCELLED"]


async def test_a_subscriber_that_dropped_events_still_hears_that_something_changed(
    app: Starlette,
    gql: GraphQLClient,
    broker: ObservedBroker,
    clinic: Clinic,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a stream to catch up from, an overflow must not go silent: the client re-reads
    its appointments on any event, so one event carrying the latest change is enough."""
    monkeypatch.setattr(broker_module, "SUBSCRIBER_QUEUE_SIZE", 1)  # the second event overflows
    async with socket_of(app, clinic.maria_user) as maria:
        await maria.subscribe("a", CHANGED)
        await broker.listened(topics.patient_appointments(clinic.maria.id))
        broker.held = []
        first = await run(
            gql, BOOK, booking(clinic, clinic.maria, local_start(3, "09:00")), clinic.maria_user
        )
        second = await run(
            gql, BOOK, booking(clinic, clinic.maria, local_start(3, "11:00")), clinic.maria_user
        )
        await broker.release()
        event = await changed(maria)
        assert event["id"] == second["appointment"]["id"] != first["appointment"]["id"]
        assert event["status"] == "BOOKED"
