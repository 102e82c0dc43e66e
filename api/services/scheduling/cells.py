"""The 5-minute cells a booking claims: the database's unique index on them is the guard.

A therapist's claim covers the session and the therapist's buffer after it, so the next
booking cannot start inside the buffer; a patient's claim covers the session only. Two
bookings overlap exactly when they share a cell of the same owner, and the second insert of
that cell fails on the unique index, on SQLite and on PostgreSQL alike, however many requests
race.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.models.scheduling import Appointment, ClaimOwner, TimeClaim

CELL = timedelta(minutes=5)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def cells(starts_at: datetime, ends_at: datetime) -> list[datetime]:
    """Every cell [starts_at, ends_at) touches, aligned to 5 minutes of UTC."""
    start = starts_at.astimezone(UTC)
    first = start - (start - _EPOCH) % CELL
    found: list[datetime] = []
    cell = first
    while cell < ends_at:
        found.append(cell)
        cell += CELL
    return found


def therapist_claims(appointment: Appointment, buffer_minutes: int) -> list[TimeClaim]:
    end = appointment.ends_at + timedelta(minutes=max(buffer_minutes, 0))
    return [
        TimeClaim(
            appointment_id=appointment.id,
            owner_kind=ClaimOwner.THERAPIST,
            owner_id=appointment.therapist_id,
            cell_start=cell,
        )
        for cell in cells(appointment.starts_at, end)
    ]


def patient_claims(appointment: Appointment) -> list[TimeClaim]:
    return [
        TimeClaim(
            appointment_id=appointment.id,
            owner_kind=ClaimOwner.PATIENT,
            owner_id=appointment.patient_id,
            cell_start=cell,
        )
        for cell in cells(appointment.starts_at, appointment.ends_at)
    ]


async def release(appointment_id: int) -> None:
    """A cancelled booking gives its cells back."""
    await TimeClaim.filter(appointment_id=appointment_id).delete()


async def forget_past(before: datetime) -> int:
    """Deletes claimed cells that ended before `before`: no new booking can start in the past
    (lead time), so they guard nothing any more. Returns how many went."""
    return await TimeClaim.filter(cell_start__lt=before).delete()
