"""The waitlist's vocabulary: limits, error codes, the join command, matching helpers and
lazy expiry (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from api.models.patients import Patient
from api.models.scheduling import (
    AppointmentStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from api.models.therapists import Specialty, TherapistSpecialty
from api.services.problems import Problems

OFFER_JOB = "scheduling.waitlist_offer"
MAX_ACTIVE_ENTRIES = 5
MAX_RANGE_DAYS = 90
FREED = (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)


class WaitlistErrorCode(StrEnum):
    CHOOSE_THERAPIST_OR_SPECIALTY = "CHOOSE_THERAPIST_OR_SPECIALTY"
    THERAPIST_NOT_FOUND = "THERAPIST_NOT_FOUND"
    SESSION_TYPE_UNAVAILABLE = "SESSION_TYPE_UNAVAILABLE"
    LOCATION_NOT_FOUND = "LOCATION_NOT_FOUND"
    LOCATION_OR_TELEHEALTH = "LOCATION_OR_TELEHEALTH"
    TELEHEALTH_UNAVAILABLE = "TELEHEALTH_UNAVAILABLE"
    DATE_IN_PAST = "DATE_IN_PAST"
    DATE_RANGE_INVALID = "DATE_RANGE_INVALID"
    DATE_RANGE_TOO_LONG = "DATE_RANGE_TOO_LONG"
    TOO_MANY_ENTRIES = "TOO_MANY_ENTRIES"
    NOT_WAITING = "NOT_WAITING"


class WaitlistProblems(Problems[WaitlistErrorCode]):
    pass


@dataclass(frozen=True, slots=True)
class JoinCommand:
    patient_id: int | None  # staff name the patient; a patient joins for themselves
    therapist_id: int | None
    specialty: Specialty | None
    session_type: str  # its code
    location_id: int | None
    telehealth: bool | None  # None: either (with no location)
    from_date: date
    to_date: date


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def today_in(zone_name: str, now: datetime) -> date:
    return now.astimezone(zone_named(zone_name)).date()


def place_matches(entry: WaitlistEntry, *, location_id: int | None, telehealth: bool) -> bool:
    if entry.telehealth is not None and entry.telehealth != telehealth:
        return False
    return entry.location_id is None or entry.location_id == location_id


async def specialties_of(therapist_id: int) -> list[str]:
    rows = await TherapistSpecialty.filter(therapist_id=therapist_id).values_list(
        "specialty", flat=True
    )
    return [str(row) for row in rows]


# --- expiry --------------------------------------------------------------------------------


async def expire_past(rows: Iterable[WaitlistEntry], zones: dict[int, str], now: datetime) -> None:
    """Marks WAITING rows whose last day has passed in their patient's zone EXPIRED (in place)."""
    past = [
        row
        for row in rows
        if row.status == WaitlistStatus.WAITING
        and row.to_date < today_in(zones.get(row.patient_id, "UTC"), now)
    ]
    if not past:
        return
    await WaitlistEntry.filter(
        id__in=[row.id for row in past], status=WaitlistStatus.WAITING
    ).update(status=WaitlistStatus.EXPIRED)
    for row in past:
        row.status = WaitlistStatus.EXPIRED


async def zones_of(patient_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    rows = await Patient.filter(id__in=ids).values_list("id", "time_zone")
    return {int(pid): str(zone) for pid, zone in rows}
