"""Joining, leaving and reading waitlist entries, and `booked` (a booking that satisfies them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import Q

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import BadUserInput, Forbidden, NotFound
from api.models.patients import Patient
from api.models.scheduling import (
    Appointment,
    SessionType,
    WaitlistEntry,
    WaitlistStatus,
)
from api.models.therapists import Location, Specialty, Therapist
from api.observability import get_logger
from api.realtime.events import transaction
from api.services.problems import Collector
from api.services.scheduling.waitlist.rules import (
    MAX_ACTIVE_ENTRIES,
    MAX_RANGE_DAYS,
    JoinCommand,
    WaitlistErrorCode,
    WaitlistProblems,
    expire_past,
    place_matches,
    specialties_of,
    today_in,
    zone_named,
    zones_of,
)

log = get_logger(__name__)


# --- the contracts booking calls ---------------------------------------------------------


async def booked(appointment: Appointment) -> None:
    """Marks the patient's WAITING entries that this booking satisfies as BOOKED."""
    entries = await WaitlistEntry.filter(
        patient_id=appointment.patient_id,
        status=WaitlistStatus.WAITING,
        session_type_id=appointment.session_type_id,
    )
    if not entries:
        return
    zone = await Patient.filter(id=appointment.patient_id).values_list("time_zone", flat=True)
    local_day = appointment.starts_at.astimezone(zone_named(str(zone[0]) if zone else "UTC")).date()
    specialties = await specialties_of(appointment.therapist_id)
    matching = [
        entry.id
        for entry in entries
        if (
            entry.therapist_id == appointment.therapist_id
            or (entry.therapist_id is None and entry.specialty in specialties)
        )
        and entry.from_date <= local_day <= entry.to_date
        and place_matches(
            entry, location_id=appointment.location_id, telehealth=appointment.telehealth
        )
    ]
    if matching:
        await WaitlistEntry.filter(id__in=matching, status=WaitlistStatus.WAITING).update(
            status=WaitlistStatus.BOOKED, booked_appointment_id=appointment.id
        )


# --- joining, leaving, reading --------------------------------------------------------------


def _patient_of(scope: AccessScope, patient_id: int | None) -> int:
    """A patient waits for themselves; a caregiver with APPOINTMENTS_MANAGE, the care team or
    an admin may add a named patient."""
    scope.require_authenticated()
    if patient_id is None:
        patient_id = scope.default_patient_id
        if patient_id is None:
            raise BadUserInput("Choose the patient.", field="patientId")
    scope.require_patient(patient_id, Need.APPOINTMENTS_MANAGE)
    return patient_id


async def join(scope: AccessScope, command: JoinCommand, now: datetime) -> WaitlistEntry:
    patient_id = _patient_of(scope, command.patient_id)
    problems = Collector(WaitlistProblems)
    code = WaitlistErrorCode
    if (command.therapist_id is None) == (command.specialty is None):
        problems.add(
            code.CHOOSE_THERAPIST_OR_SPECIALTY,
            "Choose a therapist or a specialty (one of them).",
            "therapistId",
        )
    elif command.therapist_id is not None and not await Therapist.exists(id=command.therapist_id):
        problems.add(code.THERAPIST_NOT_FOUND, "No such therapist.", "therapistId")
    session_type = await SessionType.get_or_none(code=command.session_type, active=True)
    if session_type is None:
        problems.add(
            code.SESSION_TYPE_UNAVAILABLE, "This kind of session is not offered.", "sessionType"
        )
    elif command.telehealth is True and not session_type.telehealth_allowed:
        problems.add(
            code.TELEHEALTH_UNAVAILABLE,
            "This kind of session is not offered by video.",
            "telehealth",
        )
    if command.location_id is not None:
        if command.telehealth is True:
            problems.add(
                code.LOCATION_OR_TELEHEALTH,
                "Choose a location or telehealth, not both.",
                "locationId",
            )
        elif not await Location.exists(id=command.location_id):
            problems.add(code.LOCATION_NOT_FOUND, "No such location.", "locationId")
    zone = await Patient.filter(id=patient_id).values_list("time_zone", flat=True)
    today = today_in(str(zone[0]) if zone else "UTC", now)
    if command.from_date < today:
        problems.add(code.DATE_IN_PAST, "The first day cannot be in the past.", "fromDate")
    if command.to_date < command.from_date:
        problems.add(code.DATE_RANGE_INVALID, "The last day cannot be before the first.", "toDate")
    elif (command.to_date - command.from_date).days + 1 > MAX_RANGE_DAYS:
        problems.add(
            code.DATE_RANGE_TOO_LONG,
            f"You can wait for at most {MAX_RANGE_DAYS} days at a time.",
            "toDate",
        )
    problems.raise_if_any()
    assert session_type is not None
    async with transaction():
        # Locks nothing on SQLite (one writer anyway); on PostgreSQL the patient row serialises
        # two joins of one patient so the limit holds.
        await Patient.filter(id=patient_id).select_for_update().first()
        active = await WaitlistEntry.filter(patient_id=patient_id, status=WaitlistStatus.WAITING)
        await expire_past(active, {patient_id: str(zone[0]) if zone else "UTC"}, now)
        if sum(row.status == WaitlistStatus.WAITING for row in active) >= MAX_ACTIVE_ENTRIES:
            raise WaitlistProblems.one(
                code.TOO_MANY_ENTRIES,
                f"You can wait for at most {MAX_ACTIVE_ENTRIES} things at once. "
                "Leave one of your waitlists first.",
            )
        entry = await WaitlistEntry.create(
            patient_id=patient_id,
            therapist_id=command.therapist_id,
            specialty=command.specialty if command.therapist_id is None else None,
            session_type_id=session_type.id,
            location_id=command.location_id,
            telehealth=False if command.location_id is not None else command.telehealth,
            from_date=command.from_date,
            to_date=command.to_date,
            status=WaitlistStatus.WAITING,
            created_at=now,
        )
    log.info("waitlist.joined", entry_id=entry.id, patient_id=patient_id)
    return entry


def readable(
    scope: AccessScope, entry: WaitlistEntry, therapist_specialties: Sequence[str]
) -> bool:
    """The patient, the care team, admins, and the therapist the entry waits for."""
    if scope.can_read_patient(entry.patient_id, Need.APPOINTMENTS_VIEW):
        return True
    if scope.therapist_id is None or not scope.viewer.is_authenticated:
        return False
    if entry.therapist_id is not None:
        return entry.therapist_id == scope.therapist_id
    return entry.specialty in therapist_specialties


async def leave(scope: AccessScope, entry_id: int) -> WaitlistEntry:
    scope.require_authenticated()
    async with transaction():
        entry = await WaitlistEntry.filter(id=entry_id).select_for_update().first()
        if entry is None or not scope.can_reach_patient(entry.patient_id):
            raise NotFound("No such waitlist entry.")
        # Within reach: a caregiver whose grant does not let them manage appointments is told so.
        scope.require_patient(entry.patient_id, Need.APPOINTMENTS_MANAGE)
        if entry.status != WaitlistStatus.WAITING:
            raise WaitlistProblems.one(
                WaitlistErrorCode.NOT_WAITING, "This waitlist entry is no longer waiting.", "id"
            )
        entry.status = WaitlistStatus.CANCELLED
        await entry.save(update_fields=["status"])
    log.info("waitlist.left", entry_id=entry.id, patient_id=entry.patient_id)
    return entry


async def for_patient(
    scope: AccessScope, patient_id: int, *, waiting_only: bool, now: datetime
) -> list[WaitlistEntry]:
    """A patient's entries in the order they joined (WAITING ones only, or every one)."""
    scope.require_patient(patient_id, Need.APPOINTMENTS_VIEW)
    rows = await entries_of([patient_id], now)
    return [row for row in rows if not waiting_only or row.status == WaitlistStatus.WAITING]


async def mine(scope: AccessScope, *, waiting_only: bool, now: datetime) -> list[WaitlistEntry]:
    """The viewer's own entries and, for a caregiver, those of the patient they act for when
    their grant covers appointments (a caregiver's app lists the patient's): in joining order.
    A list of what the viewer may read, so a grant without the scope leaves them out."""
    scope.require_authenticated()
    patient_ids = [scope.patient_id] if scope.patient_id is not None else []
    grant = scope.caregiving
    if grant is not None and scope.can_read_patient(grant.patient_id, Need.APPOINTMENTS_VIEW):
        patient_ids.append(grant.patient_id)
    if not patient_ids:
        return []
    rows = await entries_of(patient_ids, now)
    return [row for row in rows if not waiting_only or row.status == WaitlistStatus.WAITING]


async def entries_of(patient_ids: Sequence[int], now: datetime) -> list[WaitlistEntry]:
    """Every entry of these patients in joining order, expired ones marked so."""
    rows = await WaitlistEntry.filter(patient_id__in=list(patient_ids)).order_by("created_at", "id")
    await expire_past(rows, await zones_of(patient_ids), now)
    return rows


async def for_staff(
    scope: AccessScope,
    *,
    therapist_id: int | None,
    specialty: Specialty | None,
    now: datetime,
) -> list[WaitlistEntry]:
    """WAITING entries in joining order: admins see all, a therapist those waiting for them."""
    scope.require_authenticated()
    query = WaitlistEntry.filter(status=WaitlistStatus.WAITING)
    if not scope.is_admin:
        if scope.therapist_id is None:
            raise Forbidden("Only the clinic and the therapists see waitlists.")
        if therapist_id is not None and therapist_id != scope.therapist_id:
            raise Forbidden("You can see only the patients waiting for you.")
        own = await specialties_of(scope.therapist_id)
        if specialty is not None and specialty not in own:
            raise Forbidden("You can see only the waitlists of your own specialties.")
        if therapist_id is None and specialty is None:
            query = query.filter(
                Q(therapist_id=scope.therapist_id) | Q(therapist_id=None, specialty__in=own)
            )
    if therapist_id is not None:
        query = query.filter(therapist_id=therapist_id)
    if specialty is not None:
        query = query.filter(therapist_id=None, specialty=specialty)
    rows = await query.order_by("created_at", "id")
    await expire_past(rows, await zones_of(row.patient_id for row in rows), now)
    return [row for row in rows if row.status == WaitlistStatus.WAITING]
