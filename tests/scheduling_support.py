"""Builders for scheduling tests: the clinic's session types and therapists' weekly hours.

Other scheduling helpers append their own builders at the end of this file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from api.access.relations import scope_for
from api.access.scope import AccessScope, Viewer
from api.models.accounts import User, UserRole
from api.models.patients import Patient
from api.models.scheduling import Appointment, AppointmentStatus, SessionType, WeeklyHours
from api.models.therapists import Location, Therapist, TherapistLocation
from api.services.scheduling.session_types import ensure_default_session_types

WEEKDAYS = (0, 1, 2, 3, 4)  # Monday to Friday


async def make_session_types() -> dict[str, SessionType]:
    """The four default session types, by code (idempotent, as seed-demo runs it)."""
    await ensure_default_session_types()
    return {session_type.code: session_type for session_type in await SessionType.all()}


def _minute(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


async def give_hours(
    therapist: Therapist,
    location: Location | None = None,
    *,
    weekdays: Iterable[int] = WEEKDAYS,
    start: str = "09:00",
    end: str = "17:00",
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> list[WeeklyHours]:
    """Weekly hours at `location` (linked to the therapist if not yet), or telehealth if None.

    Telehealth hours switch the therapist's telehealth on. Written straight to the tables,
    without setWeeklyHours' checks, so tests can build any starting state.
    """
    if location is None:
        if not therapist.telehealth:
            therapist.telehealth = True
            await therapist.save(update_fields=["telehealth"])
    else:
        await TherapistLocation.get_or_create(therapist_id=therapist.id, location_id=location.id)
    return [
        await WeeklyHours.create(
            therapist_id=therapist.id,
            location_id=location.id if location else None,
            weekday=weekday,
            start_minute=_minute(start),
            end_minute=_minute(end),
            valid_from=valid_from,
            valid_until=valid_until,
        )
        for weekday in weekdays
    ]


# --- booking (S2) ---------------------------------------------------------------------------


def local_start(days_ahead: int, hhmm: str = "10:00", zone: str = "America/New_York") -> datetime:
    """A start `days_ahead` local days from now at hh:mm in `zone`, as a UTC instant."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    day = datetime.now(tz).date() + timedelta(days=days_ahead)
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=tz).astimezone(UTC)


async def scope_of(user_id: int) -> AccessScope:
    """The access scope a signed-in request of this user would have."""
    roles = frozenset(row.role for row in await UserRole.filter(user_id=user_id))
    return await scope_for(Viewer(user_id=user_id, roles=roles))


# --- calendar, reminders, questionnaires (S3) -----------------------------------------------


async def make_appointment(
    patient_id: int,
    therapist_id: int,
    session_type_id: int,
    starts_at: datetime,
    *,
    minutes: int = 45,
    location_id: int | None = None,
    status: str = "BOOKED",
    booked_by_id: int,
    rescheduled_from_id: int | None = None,
) -> Appointment:
    """An appointment row as booking would leave it, without time claims or side effects."""
    at = datetime.now(UTC)
    return await Appointment.create(
        patient_id=patient_id,
        therapist_id=therapist_id,
        session_type_id=session_type_id,
        location_id=location_id,
        telehealth=location_id is None,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        status=AppointmentStatus(status),
        concerns="Knee pain after running",
        booked_by_id=booked_by_id,
        booked_at=at,
        updated_at=at,
        rescheduled_from_id=rescheduled_from_id,
    )


@dataclass(frozen=True)
class SmallClinic:
    patient_user: User
    patient: Patient
    therapist_user: User
    therapist: Therapist
    location: Location
    session_types: dict[str, SessionType]

    @property
    def follow_up(self) -> SessionType:
        return self.session_types["follow_up"]


async def small_clinic(*, on_care_team: bool = True) -> SmallClinic:
    """One patient (New York), Dana Whitfield (physical therapy) and the Riverside clinic."""
    from tests.clinical_support import assign, make_location, make_patient, make_therapist

    patient_user, patient = await make_patient()
    therapist_user, therapist = await make_therapist()
    location = await make_location()
    if on_care_team:
        await assign(patient, therapist)
    return SmallClinic(
        patient_user, patient, therapist_user, therapist, location, await make_session_types()
    )


async def book_directly(
    clinic: SmallClinic, starts_at: datetime, *, location: bool = True, **extra: Any
) -> Appointment:
    return await make_appointment(
        clinic.patient.id,
        clinic.therapist.id,
        clinic.follow_up.id,
        starts_at,
        minutes=clinic.follow_up.duration_minutes,
        location_id=clinic.location.id if location else None,
        booked_by_id=clinic.patient_user.id,
        **extra,
    )
