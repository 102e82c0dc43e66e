"""Booking, rescheduling and cancelling appointments.

The database decides whether a time is free: a booking inserts its therapist's cells in one
statement and its patient's cells in a second, and the unique index on the cells refuses any
overlap (SLOT_UNAVAILABLE on the therapist's, PATIENT_DOUBLE_BOOKED on the patient's). There is
no read-then-write check to race past. On PostgreSQL the failed insert aborts the transaction,
so the IntegrityError is caught outside it, after the rollback.

Every function takes `now` (resolvers pass the wall clock) so the policy's boundaries are
testable to the minute. Writes start each transaction, so on SQLite the writer lock is taken
first and never upgraded from a read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from api.access.needs import Need
from api.access.scope import AccessScope, forbidden_message
from api.delivery.mail import schedule_delivery
from api.errors import BadUserInput, Forbidden, NotFound
from api.models.patients import CareTeamMember
from api.models.scheduling import Appointment, AppointmentStatus, SessionType, TimeClaim
from api.models.therapists import Therapist
from api.observability import get_logger
from api.realtime import topics
from api.realtime.events import publish_after_commit, transaction
from api.services.problems import Collector
from api.services.scheduling import cells, questionnaires, reminders, waitlist
from api.services.scheduling.availability import bookable_problem
from api.services.scheduling.confirmation import Happened, tell
from api.services.scheduling.policy import (
    MAX_CONCERNS,
    BookingErrorCode,
    BookingProblems,
    Change,
    decide,
)
from api.services.therapists import care_team
from api.settings import Settings

log = get_logger(__name__)

TELEHEALTH_JOIN_PLACEHOLDER = "about:telehealth-link-pending"


@dataclass(frozen=True, slots=True)
class BookCommand:
    patient_id: int | None  # staff and caregivers name the patient; a patient may leave it out
    therapist_id: int
    session_type: str | int  # its code, or its key
    starts_at: datetime
    location_id: int | None
    telehealth: bool
    concerns: str = ""


@dataclass(frozen=True, slots=True)
class RescheduleCommand:
    appointment_id: int
    starts_at: datetime
    therapist_id: int | None = None
    session_type: str | None = None  # a code; None keeps the old one
    location_id: int | None = None
    telehealth: bool | None = None  # None with no location: keep the old place


class _Claimed(Exception):
    """Which owner's cells were taken (raised inside the transaction, caught outside)."""

    def __init__(self, code: BookingErrorCode) -> None:
        self.code = code


_CLAIM_MESSAGES = {
    BookingErrorCode.SLOT_UNAVAILABLE: "This time was just taken. Please choose another.",
    BookingErrorCode.PATIENT_DOUBLE_BOOKED: "The patient already has an appointment then.",
}


def _patient_of(scope: AccessScope, patient_id: int | None) -> int:
    """Whose booking: a patient's own; a caregiver's (APPOINTMENTS_MANAGE) for the patient
    they act for; the care team's or an admin's for a named patient."""
    scope.require_authenticated()
    if patient_id is None:
        patient_id = scope.default_patient_id
        if patient_id is None:
            raise BadUserInput("Choose the patient to book for.", field="patientId")
    scope.require_patient(patient_id, Need.APPOINTMENTS_MANAGE)
    if not scope.acts_for(patient_id) and not (scope.is_care_team(patient_id) or scope.is_admin):
        raise Forbidden("Only the patient, their care team or the clinic can book for them.")
    return patient_id


async def _checked(
    settings: Settings, command: BookCommand, now: datetime, replacing: int | None = None
) -> SessionType:
    """The session type, once everything about the request itself is in order."""
    problems = Collector(BookingProblems)
    if len(command.concerns) > MAX_CONCERNS:
        problems.add(
            BookingErrorCode.CONCERNS_TOO_LONG,
            f"Please keep your concerns under {MAX_CONCERNS} characters.",
            "concerns",
        )
    if command.telehealth == (command.location_id is not None):
        problems.add(
            BookingErrorCode.LOCATION_REQUIRED, "Choose a location or telehealth.", "locationId"
        )
    session_type = await (
        SessionType.get_or_none(id=command.session_type)
        if isinstance(command.session_type, int)
        else SessionType.get_or_none(code=command.session_type)
    )
    if session_type is None or not session_type.active:
        problems.add(
            BookingErrorCode.SESSION_TYPE_UNAVAILABLE,
            "This kind of session is not offered.",
            "sessionType",
        )
    elif command.telehealth and not session_type.telehealth_allowed:
        problems.add(
            BookingErrorCode.TELEHEALTH_NOT_OFFERED,
            "This kind of session is not offered by video.",
            "telehealth",
        )
    problems.raise_if_any()
    assert session_type is not None
    reason = await bookable_problem(
        settings,
        therapist_id=command.therapist_id,
        session_type=session_type,
        location_id=command.location_id,
        telehealth=command.telehealth,
        starts_at=command.starts_at,
        now=now,
        replacing=replacing,
    )
    if reason is not None:
        raise BookingProblems.one(BookingErrorCode.SLOT_UNAVAILABLE, reason, "startsAt")
    return session_type


async def _buffer_minutes(therapist_id: int, patient_id: int) -> int:
    """The therapist's buffer, once it is clear they see this patient: a therapist who is not
    listed or not taking new patients is booked only by patients already in their care."""
    found = await Therapist.filter(id=therapist_id).values(
        "buffer_minutes", "listed", "accepting_new_patients"
    )
    if not found:
        raise NotFound("No such therapist.", field="therapistId")
    row = found[0]
    open_to_new = bool(row["listed"]) and bool(row["accepting_new_patients"])
    if (
        not open_to_new
        and not await CareTeamMember.filter(
            patient_id=patient_id, therapist_id=therapist_id, ended_at=None
        ).exists()
    ):
        raise BookingProblems.one(
            BookingErrorCode.THERAPIST_NOT_ACCEPTING,
            "This therapist is not taking new patients. Please choose another therapist.",
            "therapistId",
        )
    return int(row["buffer_minutes"])


async def _claim(appointment: Appointment, buffer_minutes: int) -> None:
    """Two statements; the unique index answers which owner's time was taken."""
    try:
        await TimeClaim.bulk_create(cells.therapist_claims(appointment, buffer_minutes))
    except IntegrityError:
        raise _Claimed(BookingErrorCode.SLOT_UNAVAILABLE) from None
    try:
        await TimeClaim.bulk_create(cells.patient_claims(appointment))
    except IntegrityError:
        raise _Claimed(BookingErrorCode.PATIENT_DOUBLE_BOOKED) from None


async def _claimed_or_raise(work: Callable[[], Awaitable[Appointment]]) -> Appointment:
    """Runs a transaction that claims cells; a taken cell becomes a typed problem."""
    try:
        return await work()
    except _Claimed as taken:
        raise BookingProblems.one(taken.code, _CLAIM_MESSAGES[taken.code], "startsAt") from None
    except IntegrityError:
        # A PostgreSQL abort can surface at COMMIT rather than at the insert itself.
        raise BookingProblems.one(
            BookingErrorCode.SLOT_UNAVAILABLE,
            _CLAIM_MESSAGES[BookingErrorCode.SLOT_UNAVAILABLE],
            "startsAt",
        ) from None


def _new_row(
    command: BookCommand, patient_id: int, session_type: SessionType, user_id: int, now: datetime
) -> Appointment:
    return Appointment(
        patient_id=patient_id,
        therapist_id=command.therapist_id,
        session_type_id=session_type.id,
        location_id=None if command.telehealth else command.location_id,
        telehealth=command.telehealth,
        join_url=TELEHEALTH_JOIN_PLACEHOLDER if command.telehealth else "",
        starts_at=command.starts_at,
        ends_at=command.starts_at + timedelta(minutes=session_type.duration_minutes),
        status=AppointmentStatus.BOOKED,
        concerns=command.concerns,
        booked_by_id=user_id,
        booked_at=now,
        updated_at=now,
    )


async def _after_booking(settings: Settings, appointment: Appointment) -> None:
    await care_team.join_by_booking(
        appointment.patient_id, appointment.therapist_id, appointment.booked_by_id
    )
    await questionnaires.assign(settings, appointment)
    await reminders.schedule_for(settings, appointment)
    await waitlist.booked(appointment)


async def _after_release(appointment: Appointment) -> None:
    await cells.release(appointment.id)
    await reminders.cancel_for(appointment.id)
    await waitlist.slot_freed(appointment)


async def _changed(patient_id: int, *appointment_ids: int) -> None:
    for appointment_id in appointment_ids:
        await publish_after_commit(
            topics.patient_appointments(patient_id), {"appointment_id": appointment_id}
        )


async def book(
    settings: Settings, scope: AccessScope, command: BookCommand, now: datetime
) -> Appointment:
    user_id = scope.require_authenticated()
    patient_id = _patient_of(scope, command.patient_id)
    session_type = await _checked(settings, command, now)
    buffer_minutes = await _buffer_minutes(command.therapist_id, patient_id)
    mail_ids: list[int] = []

    async def work() -> Appointment:
        async with transaction():
            row = _new_row(command, patient_id, session_type, user_id, now)
            await row.save()
            await _claim(row, buffer_minutes)
            await _after_booking(settings, row)
            mail_ids.extend(await tell(settings, row, Happened.BOOKED, now))
            await _changed(patient_id, row.id)
        return row

    appointment = await _claimed_or_raise(work)
    schedule_delivery(settings, mail_ids)
    log.info("appointment_booked", appointment_id=appointment.id)
    return appointment


async def visible(scope: AccessScope, appointment_id: int) -> Appointment:
    """The appointment, if the viewer may read it: NOT_FOUND outside their reach, as if it did
    not exist; FORBIDDEN for a caregiver whose grant does not cover appointments."""
    scope.require_authenticated()
    row = await Appointment.get_or_none(id=appointment_id)
    if row is None:
        raise NotFound("No such appointment.", field="appointmentId")
    if not readable(scope, row):
        if scope.can_reach_patient(row.patient_id):
            raise Forbidden(forbidden_message(Need.APPOINTMENTS_VIEW))
        raise NotFound("No such appointment.", field="appointmentId")
    return row


async def manageable(scope: AccessScope, appointment_id: int) -> Appointment:
    """The appointment, if the viewer may change it (the patient, a caregiver with
    APPOINTMENTS_MANAGE, the care team, its therapist or an admin); NOT_FOUND outside the
    viewer's reach; FORBIDDEN for a caregiver who may only see it."""
    row = await visible(scope, appointment_id)
    own_session = scope.therapist_id is not None and scope.therapist_id == row.therapist_id
    if not own_session and not scope.can_read_patient(row.patient_id, Need.APPOINTMENTS_MANAGE):
        raise Forbidden(forbidden_message(Need.APPOINTMENTS_MANAGE))
    return row


async def answerable(scope: AccessScope, appointment_id: int) -> Appointment:
    """An appointment whose pre-session questionnaire the viewer may answer: the patient's
    own, or one of the patient a caregiver acts for with APPOINTMENTS_MANAGE (the answers are
    then stored as the caregiver's). The clinic reads the answers; it does not give them."""
    row = await manageable(scope, appointment_id)
    if not scope.acts_for(row.patient_id):
        raise Forbidden("Only the patient (or a caregiver acting for them) answers it.")
    return row


def readable(scope: AccessScope, row: Appointment) -> bool:
    own_session = scope.therapist_id is not None and scope.therapist_id == row.therapist_id
    return own_session or scope.can_read_patient(row.patient_id, Need.APPOINTMENTS_VIEW)


async def _mark_cancelled(
    scope: AccessScope, row: Appointment, status: AppointmentStatus, reason: str, now: datetime
) -> Appointment:
    """Conditional on the row still being booked, so two racing changes cannot both win."""
    changed = await Appointment.filter(id=row.id, status=AppointmentStatus.BOOKED).update(
        status=status,
        cancelled_at=now,
        cancelled_by_id=scope.viewer.user_id,
        cancellation_reason=reason,
        updated_at=now,
    )
    if not changed:
        raise BookingProblems.one(
            BookingErrorCode.NOT_BOOKED, "This appointment is no longer booked.", "appointmentId"
        )
    row.status, row.cancelled_at, row.cancelled_by_id = status, now, scope.viewer.user_id
    row.cancellation_reason, row.updated_at = reason, now
    return row


async def cancel(
    settings: Settings, scope: AccessScope, appointment_id: int, reason: str, now: datetime
) -> Appointment:
    row = await manageable(scope, appointment_id)
    decision = decide(settings, scope, row, Change.CANCEL, reason.strip(), now)
    mail_ids: list[int] = []
    async with transaction():
        await _mark_cancelled(scope, row, decision.status, reason.strip(), now)
        await _after_release(row)
        await questionnaires.withdraw(row.id)
        mail_ids.extend(await tell(settings, row, Happened.CANCELLED, now))
        await _changed(row.patient_id, row.id)
    schedule_delivery(settings, mail_ids)
    log.info("appointment_cancelled", appointment_id=row.id, status=decision.status.value)
    return row


async def reschedule(
    settings: Settings, scope: AccessScope, command: RescheduleCommand, now: datetime
) -> tuple[Appointment, Appointment]:
    """(the old booking, now CANCELLED, and its successor); a failure leaves the old intact."""
    user_id = scope.require_authenticated()
    old = await manageable(scope, command.appointment_id)
    decide(settings, scope, old, Change.RESCHEDULE, "", now)
    keep_place = command.telehealth is None and command.location_id is None
    booking = BookCommand(
        patient_id=old.patient_id,
        therapist_id=command.therapist_id or old.therapist_id,
        session_type=command.session_type or old.session_type_id,
        starts_at=command.starts_at,
        location_id=old.location_id if keep_place else command.location_id,
        telehealth=old.telehealth if keep_place else bool(command.telehealth),
        concerns=old.concerns,
    )
    session_type = await _checked(settings, booking, now, replacing=old.id)
    buffer_minutes = await _buffer_minutes(booking.therapist_id, old.patient_id)
    mail_ids: list[int] = []

    async def work() -> Appointment:
        async with transaction():
            await _mark_cancelled(scope, old, AppointmentStatus.CANCELLED, "Rescheduled", now)
            await _after_release(old)
            new = _new_row(booking, old.patient_id, session_type, user_id, now)
            new.rescheduled_from_id = old.id
            # The successor keeps the original booking time: undoing a move is not a new
            # booking's grace period.
            new.booked_at = old.booked_at
            await new.save()
            await _claim(new, buffer_minutes)
            await questionnaires.follow_reschedule(old.id, new)
            await reminders.schedule_for(settings, new)
            mail_ids.extend(await tell(settings, new, Happened.MOVED, now))
            await _changed(old.patient_id, old.id, new.id)
        return new

    try:
        new = await _claimed_or_raise(work)
    except BookingProblems:
        # The transaction rolled back: the old booking is as it was.
        await old.refresh_from_db()
        raise
    schedule_delivery(settings, mail_ids)
    log.info("appointment_rescheduled", appointment_id=old.id, successor_id=new.id)
    return old, new
