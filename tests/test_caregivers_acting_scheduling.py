"""A caregiver acting for a patient in scheduling: booking, changing and cancelling with
APPOINTMENTS_MANAGE (as the caregiver, under the patient's rules), reading with
APPOINTMENTS_VIEW, and denied otherwise: FORBIDDEN within reach, NOT_FOUND outside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.access.needs import Need
from api.access.relations import scope_for
from api.access.scope import AccessScope, Viewer
from api.models.accounts import User, UserRole
from api.models.audit import RecordAccess
from api.models.caregivers import GrantStatus
from api.models.patients import Patient
from api.models.scheduling import (
    Appointment,
    AppointmentStatus,
    PreVisitQuestionnaire,
    WaitlistEntry,
    WaitlistStatus,
)
from api.models.therapists import Location, Therapist
from api.services.scheduling import booking, questionnaires
from api.services.scheduling.policy import BookingErrorCode, BookingProblems
from api.settings import Settings
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import assign, gid, make_location, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import give_hours, local_start, make_appointment, make_session_types

pytestmark = pytest.mark.usefixtures("database")

BOOK = """
mutation Book($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    __typename
    ... on AppointmentPayload { appointment { id status patient { id } } }
    ... on BookingErrors { errors { code field } }
  }
}
"""
CANCEL = """
mutation Cancel($input: CancelAppointmentInput!) {
  cancelAppointment(input: $input) {
    __typename
    ... on AppointmentPayload { appointment { id status } }
    ... on BookingErrors { errors { code field } }
  }
}
"""
RESCHEDULE = """
mutation Move($input: RescheduleAppointmentInput!) {
  rescheduleAppointment(input: $input) {
    __typename
    ... on ReschedulePayload { previous { id status } appointment { id status startsAt } }
    ... on BookingErrors { errors { code field } }
  }
}
"""
READ = """
query($id: ID!, $patientId: ID!) {
  appointment(id: $id) { id status }
  appointments(patientId: $patientId) { edges { node { id } } }
  attendanceHistory(patientId: $patientId) { overall { attended noShows } }
}
"""
ONE = "query($id: ID!) { appointment(id: $id) { id } }"
JOIN = """
mutation Join($input: JoinWaitlistInput!) {
  joinWaitlist(input: $input) {
    __typename
    ... on WaitlistPayload { entry { id status patient { id } } }
    ... on WaitlistErrors { errors { code field } }
  }
}
"""
LEAVE = """
mutation Leave($id: ID!) {
  leaveWaitlist(id: $id) { __typename ... on WaitlistPayload { entry { id status } } }
}
"""
SUBMIT = """mutation($input: SubmitPreVisitQuestionnaireInput!) {
  submitPreVisitQuestionnaire(input: $input) {
    __typename
    ... on SubmitPreVisitQuestionnairePayload { questionnaire { status answers { painNow } } }
    ... on CalendarErrors { errors { code field } } } }"""


@dataclass
class Family:
    patient_user: User
    patient: Patient
    other_user: User
    other: Patient  # another patient of the clinic
    therapist_user: User
    therapist: Therapist
    location: Location
    caregiver: User

    @property
    def patient_gid(self) -> str:
        return gid("Patient", self.patient.id)

    @property
    def other_gid(self) -> str:
        return gid("Patient", self.other.id)


@pytest.fixture
async def family() -> Family:
    await make_session_types()
    location = await make_location()
    therapist_user, therapist = await make_therapist()
    await give_hours(therapist, location, weekdays=range(7), start="06:00", end="22:00")
    patient_user, patient = await make_patient()
    other_user, other = await make_patient("omar@example.org", given_name="Omar")
    await assign(patient, therapist)
    await assign(other, therapist)
    caregiver = await make_caregiver()
    return Family(
        patient_user, patient, other_user, other, therapist_user, therapist, location, caregiver
    )


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


def book_input(
    family: Family, starts_at: datetime, patient_gid: str | None = None
) -> dict[str, Any]:
    return {
        "input": {
            "patientId": patient_gid or family.patient_gid,
            "therapistId": gid("Therapist", family.therapist.id),
            "sessionType": "follow_up",
            "startsAt": starts_at.isoformat(),
            "locationId": gid("Location", family.location.id),
        }
    }


async def booked_for(family: Family, patient: Patient, starts_at: datetime) -> Appointment:
    """A booking the patient made a while ago (no longer theirs to undo in a minute)."""
    row = await make_appointment(
        patient.id,
        family.therapist.id,
        (await make_session_types())["follow_up"].id,
        starts_at,
        location_id=family.location.id,
        booked_by_id=family.patient_user.id,
    )
    await Appointment.filter(id=row.id).update(booked_at=datetime.now(UTC) - timedelta(days=7))
    await row.refresh_from_db()
    return row


async def test_a_caregiver_with_appointments_manage_books_as_themselves(
    gql: GraphQLClient, family: Family
) -> None:
    await grant(family.patient, family.caregiver, [Need.APPOINTMENTS_MANAGE])
    body = await gql.execute(
        BOOK,
        book_input(family, local_start(3)),
        as_user=family.caregiver.id,
        acting_for=family.patient_gid,
    )
    result = body["data"]["bookAppointment"]
    assert result["__typename"] == "AppointmentPayload", body
    assert result["appointment"]["patient"] == {"id": family.patient_gid}
    row = await Appointment.get()
    assert (row.patient_id, row.booked_by_id) == (family.patient.id, family.caregiver.id)
    created = await RecordAccess.get(resource="Appointment", action="CREATE")
    assert (created.actor_user_id, created.actor_role, created.patient_id) == (
        family.caregiver.id,
        "CAREGIVER",
        family.patient.id,
    )


async def test_a_caregiver_reschedules_and_cancels_by_the_patients_rules(
    gql: GraphQLClient, family: Family, settings: Settings
) -> None:
    await grant(family.patient, family.caregiver, [Need.APPOINTMENTS_MANAGE])
    far = await booked_for(family, family.patient, local_start(5))
    moved = await gql.execute(
        RESCHEDULE,
        {
            "input": {
                "appointmentId": gid("Appointment", far.id),
                "startsAt": local_start(6).isoformat(),
            }
        },
        as_user=family.caregiver.id,
        acting_for=family.patient_gid,
    )
    result = moved["data"]["rescheduleAppointment"]
    assert result["__typename"] == "ReschedulePayload", moved
    successor = await Appointment.get(rescheduled_from_id=far.id)
    assert successor.booked_by_id == family.caregiver.id

    # Inside the cancellation window a caregiver is refused, as the patient would be: no
    # reason required of them, and no clinic's power to cancel any time.
    soon = await booked_for(family, family.patient, datetime.now(UTC) + timedelta(hours=5))
    refused = await gql.execute(
        CANCEL,
        {"input": {"appointmentId": gid("Appointment", soon.id)}},
        as_user=family.caregiver.id,
        acting_for=family.patient_gid,
    )
    assert refused["data"]["cancelAppointment"]["errors"] == [
        {"code": "CANCELLATION_WINDOW_CLOSED", "field": "appointmentId"}
    ]
    cancelled = await gql.execute(
        CANCEL,
        {"input": {"appointmentId": gid("Appointment", successor.id)}},
        as_user=family.caregiver.id,
        acting_for=family.patient_gid,
    )
    assert cancelled["data"]["cancelAppointment"]["appointment"]["status"] == "CANCELLED"
    await successor.refresh_from_db()
    assert successor.cancelled_by_id == family.caregiver.id
    assert settings.cancellation_window_hours == 24  # the window the refusal above is about


async def acting_scope(user: User, patient: Patient) -> AccessScope:
    """The scope of a signed-in request of `user` acting for `patient`."""
    roles = frozenset(row.role for row in await UserRole.filter(user_id=user.id))
    return await scope_for(Viewer(user_id=user.id, roles=roles, acting_for=patient.id))


async def test_a_booking_the_caregiver_made_minutes_ago_is_theirs_to_undo(
    family: Family, settings: Settings
) -> None:
    # Booked 5 hours before the start, inside the 24-hour window: only the grace period of
    # whoever booked (the caregiver) lets it be cancelled online.
    await grant(family.patient, family.caregiver, [Need.APPOINTMENTS_MANAGE])
    caregiver = await acting_scope(family.caregiver, family.patient)
    starts = local_start(5)
    booked_at = starts - timedelta(hours=5)
    command = booking.BookCommand(
        family.patient.id, family.therapist.id, "follow_up", starts, family.location.id, False
    )
    row = await booking.book(settings, caregiver, command, booked_at)
    patient = await acting_scope(family.patient_user, family.patient)
    with pytest.raises(BookingProblems) as by_patient:
        await booking.cancel(settings, patient, row.id, "", booked_at + timedelta(minutes=9))
    assert by_patient.value.problems[0].code is BookingErrorCode.CANCELLATION_WINDOW_CLOSED
    with pytest.raises(BookingProblems):  # 11 minutes on: too late to undo
        await booking.cancel(settings, caregiver, row.id, "", booked_at + timedelta(minutes=11))
    undone = await booking.cancel(settings, caregiver, row.id, "", booked_at + timedelta(minutes=9))
    assert (undone.status, undone.cancelled_by_id) == (
        AppointmentStatus.CANCELLED,
        family.caregiver.id,
    )


async def test_appointments_view_reads_but_may_not_book_or_change(
    gql: GraphQLClient, family: Family
) -> None:
    await grant(family.patient, family.caregiver, [Need.APPOINTMENTS_VIEW])
    row = await booked_for(family, family.patient, local_start(5))
    await Appointment.filter(id=row.id).update(status=AppointmentStatus.ATTENDED)
    as_caregiver = {"as_user": family.caregiver.id, "acting_for": family.patient_gid}
    read = await gql.execute(
        READ, {"id": gid("Appointment", row.id), "patientId": family.patient_gid}, **as_caregiver
    )
    assert "errors" not in read, read
    assert read["data"]["appointment"]["status"] == "ATTENDED"
    assert read["data"]["attendanceHistory"]["overall"] == {"attended": 1, "noShows": 0}

    other = await booked_for(family, family.patient, local_start(8, "14:00"))
    denied = [
        await gql.execute(BOOK, book_input(family, local_start(3)), **as_caregiver),
        await gql.execute(
            CANCEL, {"input": {"appointmentId": gid("Appointment", other.id)}}, **as_caregiver
        ),
        await gql.execute(
            RESCHEDULE,
            {
                "input": {
                    "appointmentId": gid("Appointment", other.id),
                    "startsAt": local_start(9).isoformat(),
                }
            },
            **as_caregiver,
        ),
    ]
    assert [codes(body) for body in denied] == [["FORBIDDEN"]] * 3
    await other.refresh_from_db()
    assert other.status is AppointmentStatus.BOOKED
    assert await Appointment.all().count() == 2


async def test_a_grant_without_appointments_is_forbidden_on_them(
    gql: GraphQLClient, family: Family
) -> None:
    await grant(family.patient, family.caregiver, [Need.PROGRESS_VIEW])
    row = await booked_for(family, family.patient, local_start(5))
    as_caregiver = {"as_user": family.caregiver.id, "acting_for": family.patient_gid}
    one = await gql.execute(ONE, {"id": gid("Appointment", row.id)}, **as_caregiver)
    listed = await gql.execute(
        "query($id: ID!) { appointments(patientId: $id) { edges { node { id } } } }",
        {"id": family.patient_gid},
        **as_caregiver,
    )
    booked = await gql.execute(BOOK, book_input(family, local_start(3)), **as_caregiver)
    assert (codes(one), codes(listed), codes(booked)) == (
        ["FORBIDDEN"],
        ["FORBIDDEN"],
        ["FORBIDDEN"],
    )


@pytest.mark.parametrize("how", ["no header", "revoked", "expired"])
async def test_without_a_live_grant_for_the_request_nothing_is_found(
    gql: GraphQLClient, family: Family, how: str
) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    await grant(
        family.patient,
        family.caregiver,
        [Need.APPOINTMENTS_MANAGE],
        status=GrantStatus.REVOKED if how == "revoked" else GrantStatus.ACTIVE,
        expires_at=past if how == "expired" else None,
    )
    acting_for = None if how == "no header" else family.patient_gid
    row = await booked_for(family, family.patient, local_start(5))
    asked = {"as_user": family.caregiver.id, "acting_for": acting_for}
    booked = await gql.execute(BOOK, book_input(family, local_start(3)), **asked)
    one = await gql.execute(ONE, {"id": gid("Appointment", row.id)}, **asked)
    cancel = await gql.execute(
        CANCEL, {"input": {"appointmentId": gid("Appointment", row.id)}}, **asked
    )
    assert (codes(booked), codes(one), codes(cancel)) == (
        ["NOT_FOUND"],
        ["NOT_FOUND"],
        ["NOT_FOUND"],
    )
    assert await Appointment.all().count() == 1


async def test_acting_for_one_patient_touches_no_other(gql: GraphQLClient, family: Family) -> None:
    # The caregiver helps both, but a request acts for one of them only.
    await grant(family.patient, family.caregiver, [Need.APPOINTMENTS_MANAGE])
    await grant(family.other, family.caregiver, [Need.APPOINTMENTS_MANAGE])
    others = await booked_for(family, family.other, local_start(5))
    as_caregiver = {"as_user": family.caregiver.id, "acting_for": family.patient_gid}
    booked = await gql.execute(
        BOOK, book_input(family, local_start(3), family.other_gid), **as_caregiver
    )
    cancel = await gql.execute(
        CANCEL, {"input": {"appointmentId": gid("Appointment", others.id)}}, **as_caregiver
    )
    joined = await gql.execute(
        JOIN,
        {
            "input": {
                "patientId": family.other_gid,
                "sessionType": "follow_up",
                "therapistId": gid("Therapist", family.therapist.id),
                "fromDate": datetime.now(UTC).date().isoformat(),
                "toDate": (datetime.now(UTC).date() + timedelta(days=20)).isoformat(),
            }
        },
        **as_caregiver,
    )
    assert (codes(booked), codes(cancel), codes(joined)) == (
        ["NOT_FOUND"],
        ["NOT_FOUND"],
        ["NOT_FOUND"],
    )
    await others.refresh_from_db()
    assert others.status is AppointmentStatus.BOOKED


def join_input(family: Family) -> dict[str, Any]:
    today = datetime.now(UTC).date() + timedelta(days=1)
    return {
        "input": {
            "patientId": family.patient_gid,
            "sessionType": "follow_up",
            "therapistId": gid("Therapist", family.therapist.id),
            "fromDate": today.isoformat(),
            "toDate": (today + timedelta(days=20)).isoformat(),
        }
    }


async def test_waitlist_joined_and_left_with_manage_not_with_view(
    gql: GraphQLClient, family: Family
) -> None:
    await grant(family.patient, family.caregiver, [Need.APPOINTMENTS_MANAGE])
    helper = await make_caregiver("ana@example.org", name="Ana Chen")
    await grant(family.patient, helper, [Need.APPOINTMENTS_VIEW])
    joined = await gql.execute(
        JOIN, join_input(family), as_user=family.caregiver.id, acting_for=family.patient_gid
    )
    entry = joined["data"]["joinWaitlist"]["entry"]
    assert entry["patient"] == {"id": family.patient_gid}

    viewer = {"as_user": helper.id, "acting_for": family.patient_gid}
    assert codes(await gql.execute(JOIN, join_input(family), **viewer)) == ["FORBIDDEN"]
    assert codes(await gql.execute(LEAVE, {"id": entry["id"]}, **viewer)) == ["FORBIDDEN"]
    listed = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Patient { waitlist { id } } } }",
        {"id": family.patient_gid},
        **viewer,
    )
    assert listed["data"]["node"]["waitlist"] == [{"id": entry["id"]}]
    # The list with no patient argument is the acting-for patient's, where the grant covers it.
    mine = "{ myWaitlist { id status } }"
    listed = await gql.execute(mine, {}, **viewer)
    assert listed == {"data": {"myWaitlist": [{"id": entry["id"], "status": "WAITING"}]}}
    progress_only = await make_caregiver("li@example.org", name="Li Wong")
    await grant(family.patient, progress_only, [Need.PROGRESS_VIEW])
    unlisted = await gql.execute(mine, {}, as_user=progress_only.id, acting_for=family.patient_gid)
    assert unlisted == {"data": {"myWaitlist": []}}

    left = await gql.execute(
        LEAVE, {"id": entry["id"]}, as_user=family.caregiver.id, acting_for=family.patient_gid
    )
    assert left["data"]["leaveWaitlist"]["entry"]["status"] == "CANCELLED"
    assert (await WaitlistEntry.get()).status is WaitlistStatus.CANCELLED


async def test_the_questionnaire_is_answered_by_a_caregiver_with_manage(
    gql: GraphQLClient, family: Family, settings: Settings
) -> None:
    await grant(family.patient, family.caregiver, [Need.APPOINTMENTS_MANAGE])
    helper = await make_caregiver("ana@example.org", name="Ana Chen")
    await grant(family.patient, helper, [Need.APPOINTMENTS_VIEW])
    row = await booked_for(family, family.patient, local_start(5))
    await questionnaires.assign(settings, row)
    answers = {
        "input": {"appointmentId": gid("Appointment", row.id), "symptoms": "Stiff", "painNow": 3}
    }
    viewing = await gql.execute(SUBMIT, answers, as_user=helper.id, acting_for=family.patient_gid)
    assert codes(viewing) == ["FORBIDDEN"]
    # The clinic reads the answers; it does not give them.
    therapist = await gql.execute(SUBMIT, answers, as_user=family.therapist_user.id)
    assert codes(therapist) == ["FORBIDDEN"]

    body = await gql.execute(
        SUBMIT, answers, as_user=family.caregiver.id, acting_for=family.patient_gid
    )
    assert body["data"]["submitPreVisitQuestionnaire"]["questionnaire"] == {
        "status": "SUBMITTED",
        "answers": {"painNow": 3},
    }
    saved = await PreVisitQuestionnaire.get(appointment_id=row.id)
    assert saved.submitted_by_id == family.caregiver.id
