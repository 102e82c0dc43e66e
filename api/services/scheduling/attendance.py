"""Attendance: the therapist marks a session ATTENDED or NO_SHOW once it has started; the
patient and their therapists see the history and the rate (attended / (attended + no-show)).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import Forbidden
from api.models.scheduling import Appointment, AppointmentStatus
from api.realtime import topics
from api.realtime.events import publish_after_commit, transaction
from api.services.scheduling.booking import manageable
from api.services.scheduling.policy import BookingErrorCode, BookingProblems

MARKS = (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)
HISTORY_LIMIT = 500


async def mark(
    scope: AccessScope, appointment_id: int, status: AppointmentStatus, now: datetime
) -> Appointment:
    """The appointment's therapist (or an admin) marks it; a mark can be corrected."""
    if status not in MARKS:
        raise BookingProblems.one(
            BookingErrorCode.NOT_BOOKED, "Mark a session ATTENDED or NO_SHOW.", "status"
        )
    row = await manageable(scope, appointment_id)
    if not (scope.is_admin or scope.therapist_id == row.therapist_id):
        raise Forbidden("Only the session's therapist can mark attendance.")
    if now < row.starts_at:
        raise BookingProblems.one(
            BookingErrorCode.SESSION_NOT_STARTED,
            "Attendance can be marked once the session has started.",
            "appointmentId",
        )
    async with transaction():
        changed = await Appointment.filter(
            id=row.id, status__in=[AppointmentStatus.BOOKED, *MARKS]
        ).update(
            status=status,
            attendance_marked_at=now,
            attendance_marked_by_id=scope.viewer.user_id,
            updated_at=now,
        )
        if not changed:
            raise BookingProblems.one(
                BookingErrorCode.NOT_BOOKED,
                "A cancelled appointment has no attendance.",
                "appointmentId",
            )
        await publish_after_commit(
            topics.patient_appointments(row.patient_id), {"appointment_id": row.id}
        )
    row.status, row.attendance_marked_at = status, now
    row.attendance_marked_by_id, row.updated_at = scope.viewer.user_id, now
    return row


@dataclass(frozen=True, slots=True)
class Tally:
    attended: int
    no_shows: int

    @property
    def rate(self) -> float | None:
        total = self.attended + self.no_shows
        return None if total == 0 else self.attended / total


@dataclass(frozen=True, slots=True)
class History:
    patient_id: int
    overall: Tally
    by_therapist: dict[int, Tally]
    appointments: list[Appointment]  # newest first


def _tally(rows: list[Appointment]) -> Tally:
    attended = sum(1 for row in rows if row.status is AppointmentStatus.ATTENDED)
    return Tally(attended=attended, no_shows=len(rows) - attended)


async def history(scope: AccessScope, patient_id: int) -> History:
    """The patient's marked sessions; their therapists see the whole history too."""
    scope.require_patient(patient_id, Need.APPOINTMENTS_VIEW)
    rows = (
        await Appointment.filter(patient_id=patient_id, status__in=list(MARKS))
        .order_by("-starts_at", "-id")
        .limit(HISTORY_LIMIT)
    )
    grouped: defaultdict[int, list[Appointment]] = defaultdict(list)
    for row in rows:
        grouped[row.therapist_id].append(row)
    return History(
        patient_id=patient_id,
        overall=_tally(rows),
        by_therapist={therapist_id: _tally(group) for therapist_id, group in grouped.items()},
        appointments=rows,
    )
