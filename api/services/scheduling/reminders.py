"""Appointment reminders: one durable job per recipient and offset, re-checked when it runs.

Booking calls `schedule_for`, cancelling calls `cancel_for`, a reschedule does both. A job
re-reads its appointment when it runs and sends only for a still BOOKED appointment at the
start time it was planned for, so a stale job that escaped cancellation sends nothing.

Recipients: the patient's own account, and every caregiver whose live grant covers REMINDERS
(a guardian's covers everything), each with their own offsets, channels and job keys. A job
re-checks its caregiver's grant when it runs, so access revoked or expired in between sends
nothing; a caregiver who gains REMINDERS has the upcoming bookings planned for them then
(`schedule_for_caregiver`). Therapists get none: their schedule is their day's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from api.access.needs import Need
from api.access.relations import live_grant
from api.models.accounts import User
from api.models.caregivers import CaregiverGrant, GrantStatus
from api.models.jobs import Job
from api.models.notifications import Notification, NotificationKind
from api.models.patients import Patient
from api.models.scheduling import Appointment, AppointmentStatus, ReminderPreference, SessionType
from api.models.therapists import Therapist
from api.observability import get_logger
from api.realtime.events import transaction
from api.services import jobs
from api.services.caregivers.liveness import ShownStatus, Timing, reminds, shown_status
from api.services.notifications import NewNotification, notify
from api.services.problems import Collector
from api.services.scheduling.calendar import CalendarErrorCode, CalendarProblems
from api.services.scheduling.ics import appointment_link as appointment_link
from api.settings import Settings

log = get_logger(__name__)

REMINDER_JOB = "scheduling.appointment_reminder"
MIN_OFFSET_MINUTES = 15
MAX_OFFSET_MINUTES = 7 * 24 * 60
MAX_OFFSETS = 4


def job_key_prefix(appointment_id: int) -> str:
    return f"appointment-reminder:{appointment_id}:"


def job_key(appointment_id: int, user_id: int, offset_minutes: int) -> str:
    return f"{job_key_prefix(appointment_id)}{user_id}:{offset_minutes}"


# Preferences -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    offsets_minutes: tuple[int, ...]
    is_default: bool


async def preferences_for(settings: Settings, user_id: int) -> ReminderSettings:
    row = await ReminderPreference.get_or_none(user_id=user_id)
    if row is None or not row.offsets_minutes:
        return ReminderSettings(_normalised(settings.reminder_offsets_minutes), True)
    return ReminderSettings(_normalised(row.offsets_minutes), False)


async def _offsets_by_user(settings: Settings, user_ids: Sequence[int]) -> dict[int, list[int]]:
    rows = await ReminderPreference.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "offsets_minutes"
    )
    chosen = {int(user_id): list(offsets) for user_id, offsets in rows if offsets}
    default = list(_normalised(settings.reminder_offsets_minutes))
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def _normalised(offsets: Sequence[int]) -> tuple[int, ...]:
    """Largest first: the earliest reminder comes first in lists."""
    return tuple(sorted({int(offset) for offset in offsets}, reverse=True))


def check_offsets(offsets: Sequence[int]) -> None:
    """Raises CalendarProblems unless 1..4 distinct offsets of 15 minutes to 7 days."""
    found = Collector(CalendarProblems)
    field = "offsetsMinutes"
    if not 1 <= len(offsets) <= MAX_OFFSETS:
        found.add(CalendarErrorCode.COUNT, f"Choose between 1 and {MAX_OFFSETS} reminders.", field)
    if any(not MIN_OFFSET_MINUTES <= offset <= MAX_OFFSET_MINUTES for offset in offsets):
        found.add(
            CalendarErrorCode.OUT_OF_RANGE,
            "Each reminder comes between 15 minutes and 7 days before the session.",
            field,
        )
    if len(set(offsets)) != len(offsets):
        found.add(CalendarErrorCode.DUPLICATE, "Choose each reminder time once.", field)
    found.raise_if_any()


async def set_preferences(
    settings: Settings, user_id: int, offsets: Sequence[int]
) -> ReminderSettings:
    """Stores the user's offsets and re-plans the reminders of their upcoming bookings."""
    check_offsets(offsets)
    chosen = list(_normalised(offsets))
    at = jobs.now()
    async with transaction():
        row = await ReminderPreference.get_or_none(user_id=user_id)
        if row is None:
            await ReminderPreference.create(user_id=user_id, offsets_minutes=chosen, updated_at=at)
        else:
            row.offsets_minutes = chosen
            row.updated_at = at
            await row.save(update_fields=["offsets_minutes", "updated_at"])
        patient_ids = await Patient.filter(user_id=user_id).values_list("id", flat=True)
        # And the patients this user is reminded for as a caregiver (their reminders follow
        # the caregiver's own offsets).
        patient_ids += await CaregiverGrant.filter(
            caregiver_id=user_id, status=GrantStatus.ACTIVE
        ).values_list("patient_id", flat=True)
        upcoming = await Appointment.filter(
            patient_id__in=list(patient_ids),
            status=AppointmentStatus.BOOKED,
            starts_at__gt=at,
        )
        for appointment in upcoming:
            await cancel_for(appointment.id)
            await schedule_for(settings, appointment)
    return ReminderSettings(tuple(chosen), False)


# The contract with booking ----------------------------------------------------------------


async def _recipients(settings: Settings, appointment: Appointment) -> list[int]:
    """Users who are reminded of this appointment: the patient's account and the caregivers
    whose live grant covers reminders. One statement: the patient joined with their grants."""
    rows = await Patient.filter(id=appointment.patient_id).values(
        "user_id",
        "date_of_birth",
        "caregiver_grants__caregiver_id",
        "caregiver_grants__kind",
        "caregiver_grants__status",
        "caregiver_grants__scopes",
        "caregiver_grants__expires_at",
        "caregiver_grants__granted_by_id",
    )
    at = jobs.now()
    found: list[int] = []
    for row in rows:
        if row["user_id"] is not None and row["user_id"] not in found:
            found.append(int(row["user_id"]))
        caregiver_id = row["caregiver_grants__caregiver_id"]
        if caregiver_id is None or int(caregiver_id) in found:
            continue
        timing = Timing(
            status=row["caregiver_grants__status"],
            kind=row["caregiver_grants__kind"],
            expires_at=row["caregiver_grants__expires_at"],
            invitation_expires_at=None,
            born=row["date_of_birth"],
            granted_by_id=row["caregiver_grants__granted_by_id"],
            patient_user_id=row["user_id"],
        )
        if shown_status(timing, at, settings) is ShownStatus.ACTIVE and reminds(
            timing.kind, row["caregiver_grants__scopes"] or []
        ):
            found.append(int(caregiver_id))
    return found


async def schedule_for(settings: Settings, appointment: Appointment) -> None:
    """One job per recipient and offset at starts_at - offset; offsets already past are skipped.

    Runs inside the caller's transaction. Keys are per appointment, recipient and offset, so
    calling it twice plans nothing twice.
    """
    if appointment.status != AppointmentStatus.BOOKED:
        return
    recipients = await _recipients(settings, appointment)
    await jobs.enqueue_many(await _reminder_jobs(settings, [appointment], recipients))


async def schedule_for_caregiver(settings: Settings, patient_id: int, user_id: int) -> None:
    """Plans one caregiver's reminders of the patient's upcoming bookings (their grant now
    covers reminders). Inside the caller's transaction; keys make a second call plan nothing."""
    upcoming = await Appointment.filter(
        patient_id=patient_id, status=AppointmentStatus.BOOKED, starts_at__gt=jobs.now()
    )
    await jobs.enqueue_many(await _reminder_jobs(settings, upcoming, [user_id]))


async def _reminder_jobs(
    settings: Settings, appointments: Sequence[Appointment], recipients: Sequence[int]
) -> list[jobs.NewJob]:
    if not appointments or not recipients:
        return []
    at = jobs.now()
    offsets = await _offsets_by_user(settings, recipients)
    return [
        jobs.NewJob(
            REMINDER_JOB,
            {
                "appointment_id": appointment.id,
                "user_id": user_id,
                "offset_minutes": offset,
                "starts_at": appointment.starts_at.isoformat(),
            },
            run_at=appointment.starts_at - timedelta(minutes=offset),
            dedupe_key=job_key(appointment.id, user_id, offset),
        )
        for appointment in appointments
        for user_id in recipients
        for offset in offsets[user_id]
        if appointment.starts_at - timedelta(minutes=offset) > at
    ]


async def cancel_for(appointment_id: int) -> None:
    """Cancels every waiting reminder of this appointment (inside the caller's transaction)."""
    keys = await Job.filter(
        kind=REMINDER_JOB,
        finished_at=None,
        dedupe_key__startswith=job_key_prefix(appointment_id),
    ).values_list("dedupe_key", flat=True)
    for key in keys:
        if key is not None:
            await jobs.cancel(str(key))


# The job ----------------------------------------------------------------------------------


@jobs.handler(REMINDER_JOB)
async def send_reminder(run: jobs.JobRun) -> None:
    appointment_id = int(str(run.payload["appointment_id"]))
    user_id = int(str(run.payload["user_id"]))
    planned_start = datetime.fromisoformat(str(run.payload["starts_at"]))
    appointment = await Appointment.get_or_none(id=appointment_id)
    if (
        appointment is None
        or appointment.status != AppointmentStatus.BOOKED
        or appointment.starts_at != planned_start
        or appointment.starts_at <= jobs.now()
    ):
        log.info("reminder_skipped", appointment_id=appointment_id, job_id=run.id)
        return
    patient = (
        await Patient.filter(id=appointment.patient_id).first().values("user_id", "given_name")
    )
    for_someone_else = patient is None or patient["user_id"] != user_id
    if for_someone_else and not await _still_reminded(run.settings, user_id, appointment):
        log.info("reminder_skipped", appointment_id=appointment_id, job_id=run.id)
        return
    link = appointment_link(appointment.id)
    offset = int(str(run.payload["offset_minutes"]))
    planned_run = planned_start - timedelta(minutes=offset)
    async with transaction():
        # At-least-once delivery: a rerun after a crash finds the reminder already made.
        if await Notification.filter(
            user_id=user_id,
            kind=NotificationKind.APPOINTMENT_REMINDER,
            link=link,
            created_at__gte=planned_run,
        ).exists():
            return
        title, body = await _reminder_text(appointment, user_id)
        if for_someone_else and patient is not None:
            body = f"For {patient['given_name']}: {body}"
        await notify(
            NewNotification(
                user_id=user_id,
                kind=NotificationKind.APPOINTMENT_REMINDER,
                title=title,
                body=body,
                link=link,
                patient_id=appointment.patient_id,
            )
        )


async def _still_reminded(settings: Settings, user_id: int, appointment: Appointment) -> bool:
    """A caregiver's grant, read when the reminder goes: revoked, expired or without
    REMINDERS any more, and nothing is sent."""
    grant = await live_grant(user_id, appointment.patient_id, settings)
    return grant is not None and (grant.guardian or Need.REMINDERS in grant.scopes)


async def _reminder_text(appointment: Appointment, user_id: int) -> tuple[str, str]:
    session_name = await SessionType.filter(id=appointment.session_type_id).values_list(
        "name", flat=True
    )
    therapist = await Therapist.filter(id=appointment.therapist_id).values_list(
        "user__display_name", flat=True
    )
    zone_name = await User.filter(id=user_id).values_list("time_zone", flat=True)
    zone = _zone(str(zone_name[0]) if zone_name else "UTC")
    local = appointment.starts_at.astimezone(zone)
    when = f"{local:%A %d %B at %H:%M} ({zone.key})"
    what = session_name[0] if session_name else "Your session"
    who = f" with {therapist[0]}" if therapist and therapist[0] else ""
    where = "Telehealth" if appointment.telehealth else "In person"
    return "Appointment reminder", f"{what}{who}, {when}. {where}."


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")
