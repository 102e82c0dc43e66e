"""Who may change or cancel a booking, and when; and the typed problems booking answers.

Patients change or cancel their own bookings until `cancellation_window_hours` before the
start, and so does a caregiver acting for them (APPOINTMENTS_MANAGE): the patient's rules.
Inside the window a cancellation is refused (with how to reach the clinic), or recorded as
LATE_CANCELLED where the clinic allows late cancellations; a reschedule inside the window is
refused either way. Whoever booked can undo a booking within `booking_undo_minutes` of making
it, window or not. The care team and admins cancel at any time, with a reason.

Every rule takes `now`, so the boundary is tested to the minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from api.access.scope import AccessScope
from api.models.scheduling import Appointment, AppointmentStatus
from api.services.problems import Problems
from api.settings import Settings


class BookingErrorCode(StrEnum):
    SLOT_UNAVAILABLE = "SLOT_UNAVAILABLE"
    PATIENT_DOUBLE_BOOKED = "PATIENT_DOUBLE_BOOKED"
    SESSION_TYPE_UNAVAILABLE = "SESSION_TYPE_UNAVAILABLE"
    TELEHEALTH_NOT_OFFERED = "TELEHEALTH_NOT_OFFERED"
    LOCATION_REQUIRED = "LOCATION_REQUIRED"
    CONCERNS_TOO_LONG = "CONCERNS_TOO_LONG"
    CANCELLATION_WINDOW_CLOSED = "CANCELLATION_WINDOW_CLOSED"
    REASON_REQUIRED = "REASON_REQUIRED"
    NOT_BOOKED = "NOT_BOOKED"
    SESSION_NOT_STARTED = "SESSION_NOT_STARTED"
    THERAPIST_NOT_ACCEPTING = "THERAPIST_NOT_ACCEPTING"


class BookingProblems(Problems[BookingErrorCode]):
    pass


MAX_CONCERNS = 2000
MAX_REASON = 500


class Change(StrEnum):
    CANCEL = "CANCEL"
    RESCHEDULE = "RESCHEDULE"


@dataclass(frozen=True, slots=True)
class Decision:
    """What a permitted change becomes: the status the old booking takes."""

    status: AppointmentStatus
    by_clinic: bool


def window_closes_at(settings: Settings, appointment: Appointment) -> datetime:
    return appointment.starts_at - timedelta(hours=settings.cancellation_window_hours)


def _undoable(settings: Settings, scope: AccessScope, row: Appointment, now: datetime) -> bool:
    fresh = now - row.booked_at <= timedelta(minutes=settings.booking_undo_minutes)
    return fresh and scope.viewer.user_id == row.booked_by_id and now < row.starts_at


def _clinic(scope: AccessScope, row: Appointment) -> bool:
    return (
        scope.is_admin
        or scope.is_care_team(row.patient_id)
        or (scope.therapist_id is not None and scope.therapist_id == row.therapist_id)
    )


def window_closed_message(settings: Settings) -> str:
    return (
        f"This appointment starts in less than {settings.cancellation_window_hours} hours, "
        f"so it can no longer be changed online. Please call {settings.clinic_phone}."
    )


def decide(
    settings: Settings,
    scope: AccessScope,
    row: Appointment,
    change: Change,
    reason: str,
    now: datetime,
) -> Decision:
    """The outcome of a change the viewer asks for, or BookingProblems saying why not.

    The caller has checked the viewer may manage the patient's appointments."""
    if row.status is not AppointmentStatus.BOOKED:
        raise BookingProblems.one(
            BookingErrorCode.NOT_BOOKED, "This appointment is no longer booked.", "appointmentId"
        )
    if len(reason) > MAX_REASON:
        raise BookingProblems.one(
            BookingErrorCode.REASON_REQUIRED,
            f"Please keep the reason under {MAX_REASON} characters.",
            "reason",
        )
    if _clinic(scope, row) and not scope.is_own_record(row.patient_id):
        if change is Change.CANCEL and not reason.strip():
            raise BookingProblems.one(
                BookingErrorCode.REASON_REQUIRED,
                "Please say why the appointment is cancelled; the patient will see it.",
                "reason",
            )
        return Decision(AppointmentStatus.CANCELLED, by_clinic=True)
    if _undoable(settings, scope, row, now) or now < window_closes_at(settings, row):
        return Decision(AppointmentStatus.CANCELLED, by_clinic=False)
    if change is Change.CANCEL and settings.late_cancellation_allowed and now < row.starts_at:
        return Decision(AppointmentStatus.LATE_CANCELLED, by_clinic=False)
    raise BookingProblems.one(
        BookingErrorCode.CANCELLATION_WINDOW_CLOSED,
        window_closed_message(settings),
        "appointmentId",
    )
