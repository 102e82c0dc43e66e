"""Booking, rescheduling, cancelling and attendance through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar  # type: ignore[import-untyped]
import pytest
from tortoise.expressions import Subquery

from api.models.accounts import User
from api.models.audit import AuditEvent
from api.models.notifications import Delivery, Notification, NotificationChannel, NotificationKind
from api.models.outbox import OutboxMail
from api.models.patients import CareTeamMember, CareTeamRole, Patient
from api.models.scheduling import Appointment, AppointmentStatus, TimeClaim
from api.models.therapists import Location, Therapist
from api.services import jobs
from api.settings import Settings
from tests.clinical_support import assign, gid, make_location, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import give_hours, local_start, make_session_types

pytestmark = pytest.mark.usefixtures("database")

BOOK = """
mutation Book($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    __typename
    ... on AppointmentPayload { appointment { id status startsAt endsAt telehealth joinUrl
      concerns sessionType { code } therapist { id } location { id } patient { id } } }
    ... on BookingErrors { errors { code field message } }
  }
}
"""
CANCEL = """
mutation Cancel($input: CancelAppointmentInput!) {
  cancelAppointment(input: $input) {
    __typename
    ... on AppointmentPayload { appointment { id status cancelledAt cancellationReason } }
    ... on BookingErrors { errors { code field message } }
  }
}
"""
RESCHEDULE = """
mutation Move($input: RescheduleAppointmentInput!) {
  rescheduleAppointment(input: $input) {
    __typename
    ... on ReschedulePayload {
      previous { id status rescheduledTo { id } }
      appointment { id status startsAt rescheduledFrom { id status } }
    }
    ... on BookingErrors { errors { code field message } }
  }
}
"""


@dataclass
class Clinic:
    patient_user: int
    patient: Patient
    therapist_user: int
    therapist: Therapist
    location: Location


@pytest.fixture
async def clinic() -> Clinic:
    await make_session_types()
    location = await make_location()
    therapist_user, therapist = await make_therapist()
    await give_hours(therapist, location, weekdays=range(7), start="06:00", end="22:00")
    await give_hours(therapist, None, weekdays=range(7), start="06:00", end="22:00")
    patient_user, patient = await make_patient()
    await assign(patient, therapist)
    return Clinic(patient_user.id, patient, therapist_user.id, therapist, location)


def booking(clinic: Clinic, starts_at: datetime, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "therapistId": gid("Therapist", clinic.therapist.id),
        "sessionType": "follow_up",
        "startsAt": starts_at.isoformat(),
        "locationId": gid("Location", clinic.location.id),
        "concerns": "Knee still stiff in the morning",
    }
    values.update(extra)
    return {"input": values}


async def book(gql: GraphQLClient, clinic: Clinic, starts_at: datetime, **extra: Any) -> Any:
    body = await gql.execute(BOOK, booking(clinic, starts_at, **extra), as_user=clinic.patient_user)
    assert "errors" not in body, body
    return body["data"]["bookAppointment"]


async def test_patient_books_claims_cells_notifies_and_mails_an_invitation(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    starts = local_start(3)
    result = await book(gql, clinic, starts)
    assert result["__typename"] == "AppointmentPayload", result
    appointment = result["appointment"]
    assert appointment["status"] == "BOOKED"
    assert appointment["sessionType"]["code"] == "follow_up"
    assert datetime.fromisoformat(appointment["endsAt"]) - starts == timedelta(minutes=45)
    assert appointment["patient"]["id"] == gid("Patient", clinic.patient.id)
    row = await Appointment.get()
    # 45 minutes plus the therapist's 10-minute buffer; the patient's own 45 minutes.
    assert await TimeClaim.filter(appointment_id=row.id, owner_kind="THERAPIST").count() == 11
    assert await TimeClaim.filter(appointment_id=row.id, owner_kind="PATIENT").count() == 9
    kinds = await Notification.filter(kind=NotificationKind.APPOINTMENT_BOOKED).values_list(
        "user_id", flat=True
    )
    assert sorted(int(str(user_id)) for user_id in kinds) == sorted(
        [clinic.patient_user, clinic.therapist_user]
    )
    assert not await Notification.filter(body__contains="Knee").exists()
    mails = await OutboxMail.filter(template="appointment").order_by("id")
    assert len(mails) == 2
    assert all("Knee" not in mail.text_body for mail in mails)
    ics = mails[0].attachment_ics
    assert ics is not None
    parsed = icalendar.Calendar.from_ical(ics)
    assert str(parsed["method"]) == "REQUEST"
    event = next(iter(parsed.walk("VEVENT")))
    assert event.decoded("dtstart") == starts
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert str(event["uid"]) == f"appointment-{row.id}@testserver"  # the feed uses the same UID
    assert "Riverside Clinic" in str(event["location"])
    assert int(event["sequence"]) == 0


async def test_second_booking_of_a_taken_slot_is_slot_unavailable_and_buffer_counts(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    starts = local_start(3)
    assert (await book(gql, clinic, starts))["__typename"] == "AppointmentPayload"
    other_user, other = await make_patient("sam@example.org", given_name="Sam")
    for start in (starts, starts + timedelta(minutes=45)):  # the second starts in the buffer
        body = await gql.execute(BOOK, booking(clinic, start), as_user=other_user.id)
        result = body["data"]["bookAppointment"]
        assert result["__typename"] == "BookingErrors", result
        assert result["errors"][0]["code"] == "SLOT_UNAVAILABLE"
    after_buffer = starts + timedelta(minutes=60)
    body = await gql.execute(BOOK, booking(clinic, after_buffer), as_user=other_user.id)
    assert body["data"]["bookAppointment"]["__typename"] == "AppointmentPayload"
    assert await Appointment.filter(patient_id=other.id).count() == 1


async def test_a_patient_cannot_hold_two_overlapping_bookings(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    starts = local_start(4)
    _, second = await make_therapist("lee@clinic.test", name="Lee Park")
    await give_hours(second, clinic.location, weekdays=range(7), start="06:00", end="22:00")
    assert (await book(gql, clinic, starts))["__typename"] == "AppointmentPayload"
    result = await book(
        gql, clinic, starts + timedelta(minutes=30), therapistId=gid("Therapist", second.id)
    )
    assert result["__typename"] == "BookingErrors"
    assert result["errors"][0]["code"] == "PATIENT_DOUBLE_BOOKED"
    assert await Appointment.all().count() == 1
    assert not await TimeClaim.filter(owner_kind="THERAPIST", owner_id=second.id).exists()


async def test_input_problems_are_typed(gql: GraphQLClient, clinic: Clinic) -> None:
    starts = local_start(3)
    result = await book(gql, clinic, starts, concerns="x" * 2001)
    assert [e["code"] for e in result["errors"]] == ["CONCERNS_TOO_LONG"]
    result = await book(
        gql, clinic, starts, sessionType="assessment", locationId=None, telehealth=True
    )
    assert [e["code"] for e in result["errors"]] == ["TELEHEALTH_NOT_OFFERED"]
    result = await book(gql, clinic, starts, sessionType="nope")
    assert [e["code"] for e in result["errors"]] == ["SESSION_TYPE_UNAVAILABLE"]
    result = await book(gql, clinic, datetime.now(UTC) + timedelta(minutes=30))
    assert result["errors"][0]["code"] == "SLOT_UNAVAILABLE"
    assert result["errors"][0]["field"] == "startsAt"
    assert await Appointment.all().count() == 0


async def test_telehealth_booking_has_a_join_placeholder_and_telehealth_location(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    result = await book(gql, clinic, local_start(5), locationId=None, telehealth=True)
    appointment = result["appointment"]
    assert appointment["telehealth"] is True
    assert appointment["location"] is None
    assert appointment["joinUrl"]
    mail = await OutboxMail.filter(template="appointment").first()
    assert mail is not None
    assert mail.attachment_ics is not None
    assert "LOCATION:Telehealth" in mail.attachment_ics


async def test_cancelled_slot_is_bookable_again(gql: GraphQLClient, clinic: Clinic) -> None:
    starts = local_start(6)
    appointment = (await book(gql, clinic, starts))["appointment"]
    body = await gql.execute(
        CANCEL,
        {"input": {"appointmentId": appointment["id"], "reason": ""}},
        as_user=clinic.patient_user,
    )
    cancelled = body["data"]["cancelAppointment"]["appointment"]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancelledAt"]
    assert await TimeClaim.all().count() == 0
    ics = (await OutboxMail.filter(template="appointment").order_by("-id").first()).attachment_ics  # type: ignore[union-attr]
    assert ics is not None
    assert "METHOD:CANCEL" in ics
    assert "SEQUENCE:1" in ics
    other_user, _ = await make_patient("sam@example.org", given_name="Sam")
    body = await gql.execute(BOOK, booking(clinic, starts), as_user=other_user.id)
    assert body["data"]["bookAppointment"]["__typename"] == "AppointmentPayload"


async def test_clinic_cancels_with_a_required_reason(gql: GraphQLClient, clinic: Clinic) -> None:
    appointment = (await book(gql, clinic, local_start(6)))["appointment"]
    variables = {"input": {"appointmentId": appointment["id"], "reason": " "}}
    body = await gql.execute(CANCEL, variables, as_user=clinic.therapist_user)
    assert body["data"]["cancelAppointment"]["errors"][0]["code"] == "REASON_REQUIRED"
    variables["input"]["reason"] = "Therapist unwell"
    body = await gql.execute(CANCEL, variables, as_user=clinic.therapist_user)
    result = body["data"]["cancelAppointment"]["appointment"]
    assert result["cancellationReason"] == "Therapist unwell"
    body = await gql.execute(CANCEL, variables, as_user=clinic.therapist_user)
    assert body["data"]["cancelAppointment"]["errors"][0]["code"] == "NOT_BOOKED"


async def test_reschedule_links_both_ways_and_moves_the_claims(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    first = (await book(gql, clinic, local_start(6)))["appointment"]
    new_start = local_start(7, "11:00")
    body = await gql.execute(
        RESCHEDULE,
        {"input": {"appointmentId": first["id"], "startsAt": new_start.isoformat()}},
        as_user=clinic.patient_user,
    )
    moved = body["data"]["rescheduleAppointment"]
    assert moved["__typename"] == "ReschedulePayload", moved
    assert moved["previous"]["status"] == "CANCELLED"
    assert moved["previous"]["rescheduledTo"]["id"] == moved["appointment"]["id"]
    assert moved["appointment"]["rescheduledFrom"]["id"] == first["id"]
    successor = await Appointment.get(status=AppointmentStatus.BOOKED)
    assert set(await TimeClaim.all().values_list("appointment_id", flat=True)) == {successor.id}
    ics = (await OutboxMail.filter(template="appointment").order_by("-id").first()).attachment_ics  # type: ignore[union-attr]
    old_id = (await Appointment.get(status=AppointmentStatus.CANCELLED)).id
    assert ics is not None
    assert f"UID:appointment-{old_id}@testserver" in ics  # the feed's UID: one event
    assert "SEQUENCE:1" in ics


async def test_failed_reschedule_leaves_the_old_booking_intact(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    first = (await book(gql, clinic, local_start(6)))["appointment"]
    taken = local_start(8)
    other_user, _ = await make_patient("sam@example.org", given_name="Sam")
    await gql.execute(BOOK, booking(clinic, taken), as_user=other_user.id)
    claims_before = await TimeClaim.all().count()
    body = await gql.execute(
        RESCHEDULE,
        {"input": {"appointmentId": first["id"], "startsAt": taken.isoformat()}},
        as_user=clinic.patient_user,
    )
    result = body["data"]["rescheduleAppointment"]
    assert result["errors"][0]["code"] == "SLOT_UNAVAILABLE"
    assert await Appointment.filter(status=AppointmentStatus.BOOKED).count() == 2
    assert await TimeClaim.all().count() == claims_before


async def test_attendance_only_after_start_by_the_therapist_with_history_and_rate(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    first = (await book(gql, clinic, local_start(3)))["appointment"]
    second = (await book(gql, clinic, local_start(4)))["appointment"]
    third = (await book(gql, clinic, local_start(5)))["appointment"]
    mark = """mutation M($id: ID!, $s: AttendanceMark!) { markAttendance(appointmentId: $id,
      status: $s) { __typename ... on AppointmentPayload { appointment { status
      attendanceMarkedAt } } ... on BookingErrors { errors { code } } } }"""
    body = await gql.execute(
        mark, {"id": first["id"], "s": "ATTENDED"}, as_user=clinic.therapist_user
    )
    assert body["data"]["markAttendance"]["errors"][0]["code"] == "SESSION_NOT_STARTED"
    # Move the sessions into the past, as time passing would.
    for shift, appointment in ((3, first), (2, second), (1, third)):
        row = await Appointment.get(starts_at=datetime.fromisoformat(appointment["startsAt"]))
        row.starts_at -= timedelta(days=7 + shift)
        row.ends_at -= timedelta(days=7 + shift)
        await row.save()
    body = await gql.execute(
        mark, {"id": first["id"], "s": "ATTENDED"}, as_user=clinic.patient_user
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for appointment, status in ((first, "ATTENDED"), (second, "ATTENDED"), (third, "NO_SHOW")):
        body = await gql.execute(
            mark, {"id": appointment["id"], "s": status}, as_user=clinic.therapist_user
        )
        assert body["data"]["markAttendance"]["appointment"]["status"] == status
    history = """query H($p: ID) { attendanceHistory(patientId: $p) { overall { attended noShows
      rate } byTherapist { therapist { id } rate } appointments { status } } }"""
    for user, patient_id in (
        (clinic.patient_user, None),
        (clinic.therapist_user, gid("Patient", clinic.patient.id)),
    ):
        body = await gql.execute(history, {"p": patient_id}, as_user=user)
        result = body["data"]["attendanceHistory"]
        assert result["overall"] == {"attended": 2, "noShows": 1, "rate": pytest.approx(2 / 3)}
        assert result["byTherapist"][0]["therapist"]["id"] == gid("Therapist", clinic.therapist.id)
        assert [a["status"] for a in result["appointments"]] == ["NO_SHOW", "ATTENDED", "ATTENDED"]


async def test_outsiders_cannot_see_or_change_an_appointment(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    appointment = (await book(gql, clinic, local_start(3)))["appointment"]
    stranger, _ = await make_patient("sam@example.org", given_name="Sam")
    body = await gql.execute(
        "query Q($id: ID!) { appointment(id: $id) { id } node(id: $id) { id } }",
        {"id": appointment["id"]},
        as_user=stranger.id,
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await gql.execute(
        CANCEL, {"input": {"appointmentId": appointment["id"]}}, as_user=stranger.id
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await gql.execute(
        BOOK,
        booking(clinic, local_start(9), patientId=gid("Patient", clinic.patient.id)),
        as_user=stranger.id,
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await Appointment.all().count() == 1


async def test_care_team_books_for_the_patient(gql: GraphQLClient, clinic: Clinic) -> None:
    body = await gql.execute(
        BOOK,
        booking(clinic, local_start(3), patientId=gid("Patient", clinic.patient.id)),
        as_user=clinic.therapist_user,
    )
    result = body["data"]["bookAppointment"]
    assert result["appointment"]["patient"]["id"] == gid("Patient", clinic.patient.id)
    row = await Appointment.get()
    assert row.booked_by_id == clinic.therapist_user


PATIENT_RECORD = "query($id: ID!) { patient(id: $id) { id givenName } }"


async def test_the_therapist_a_new_patient_books_joins_their_care_team(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    newcomer_user, newcomer = await make_patient("lee@example.org", given_name="Lee")
    starts = local_start(3, "10:00")
    record = {"id": gid("Patient", newcomer.id)}
    before = await gql.execute(PATIENT_RECORD, record, as_user=clinic.therapist_user)
    assert before["data"]["patient"] is None  # not theirs to see yet

    result = await gql.execute(BOOK, booking(clinic, starts), as_user=newcomer_user.id)
    assert result["data"]["bookAppointment"]["__typename"] == "AppointmentPayload", result

    member = await CareTeamMember.get(patient_id=newcomer.id, therapist_id=clinic.therapist.id)
    assert member.role is CareTeamRole.PRIMARY  # the team was empty
    assert member.ended_at is None
    after = await gql.execute(PATIENT_RECORD, record, as_user=clinic.therapist_user)
    assert after["data"]["patient"] == {"id": record["id"], "givenName": "Lee"}
    joined = await AuditEvent.filter(action="care_team.joined_by_booking").count()
    assert joined == 1
    # Maria's therapist was on her team already: her bookings change nothing there.
    await book(gql, clinic, starts + timedelta(hours=2))
    assert await AuditEvent.filter(action="care_team.joined_by_booking").count() == 1


async def test_a_therapist_not_taking_new_patients_is_booked_only_by_their_own(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    await Therapist.filter(id=clinic.therapist.id).update(accepting_new_patients=False)
    newcomer_user, _ = await make_patient("lee@example.org", given_name="Lee")
    starts = local_start(3, "10:00")
    refused = await gql.execute(BOOK, booking(clinic, starts), as_user=newcomer_user.id)
    assert refused["data"]["bookAppointment"]["errors"] == [
        {
            "code": "THERAPIST_NOT_ACCEPTING",
            "field": "therapistId",
            "message": "This therapist is not taking new patients. Please choose another therapist.",
        }
    ]
    assert await Appointment.all().count() == 0
    kept = await book(gql, clinic, starts)  # Maria is already in Dana's care
    assert kept["__typename"] == "AppointmentPayload"


async def test_a_booking_mails_each_person_once_whatever_their_channels(
    gql: GraphQLClient, clinic: Clinic, settings: Settings
) -> None:
    starts = local_start(3, "10:00")
    await book(gql, clinic, starts)
    await jobs.run_until_idle(settings)  # every delivery of the notifications, email included
    patient_email = (await User.get(id=clinic.patient_user)).email
    mails = [str(mail.template) for mail in await OutboxMail.filter(to_address=patient_email)]
    # The invitation with its .ics is the booking's email; the questionnaire is news of its own.
    assert sorted(mails) == ["appointment", "notification"]
    mailed_kinds = await Notification.filter(
        id__in=Subquery(
            Delivery.filter(channel=NotificationChannel.EMAIL).values("notification_id")
        )
    ).values_list("kind", flat=True)
    assert [str(kind) for kind in mailed_kinds] == ["QUESTIONNAIRE_DUE"]
