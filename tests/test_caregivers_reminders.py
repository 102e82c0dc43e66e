"""Caregivers with REMINDERS (guardians included) get the patient's appointment reminders by
their own offsets, time zone and channels; the grant is re-read when a reminder goes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from api.access.needs import Need
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus
from api.models.jobs import Job
from api.models.notifications import (
    Delivery,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
)
from api.models.patients import Patient
from api.models.scheduling import Appointment, ReminderPreference
from api.realtime.events import transaction
from api.services import jobs
from api.services.scheduling import reminders
from api.settings import Settings
from tests.caregivers_flows import UPDATE, accept, invited_grant, mailed_token, result
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.scheduling_support import SmallClinic, book_directly, small_clinic
from tests.sql_counter import count_sql


def _start(days: int = 3) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


async def _planned(appointment: Appointment) -> list[tuple[int, int]]:
    """(user id, offset) of the waiting reminder jobs, in run order."""
    rows = await Job.filter(
        kind=reminders.REMINDER_JOB,
        finished_at=None,
        dedupe_key__startswith=reminders.job_key_prefix(appointment.id),
    ).order_by("run_at", "id")
    return [(int(str(r.payload["user_id"])), int(str(r.payload["offset_minutes"]))) for r in rows]


async def _send_due(settings: Settings, appointment: Appointment) -> None:
    await Job.filter(dedupe_key__startswith=reminders.job_key_prefix(appointment.id)).update(
        run_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    await jobs.run_until_idle(settings)


async def _reminded(user_id: int) -> list[Notification]:
    return list(
        await Notification.filter(user_id=user_id, kind=NotificationKind.APPOINTMENT_REMINDER)
    )


async def _schedule(settings: Settings, appointment: Appointment) -> None:
    async with transaction():
        await reminders.schedule_for(settings, appointment)


async def test_caregivers_with_reminders_are_reminded_their_own_way(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    grace = await make_caregiver()
    grace.time_zone = "Europe/London"
    await grace.save(update_fields=["time_zone"])
    await ReminderPreference.create(user_id=grace.id, offsets_minutes=[30], updated_at=_start(0))
    await NotificationPreference.create(
        user_id=grace.id,
        kind=NotificationKind.APPOINTMENT_REMINDER,
        channel=NotificationChannel.EMAIL,
        enabled=False,
        updated_at=_start(0),
    )
    await grant(clinic.patient, grace, [Need.APPOINTMENTS_VIEW, Need.REMINDERS])
    # Not reminded: no REMINDERS, revoked, expired, an invitation not yet accepted.
    await grant(clinic.patient, await make_caregiver("sam@example.org"), [Need.APPOINTMENTS_VIEW])
    await grant(
        clinic.patient,
        await make_caregiver("lee@example.org"),
        [Need.REMINDERS],
        status=GrantStatus.REVOKED,
    )
    await grant(
        clinic.patient,
        await make_caregiver("kim@example.org"),
        [Need.REMINDERS],
        expires_at=datetime.now(UTC) - timedelta(minutes=1),
    )
    await grant(
        clinic.patient,
        await make_caregiver("ann@example.org"),
        [Need.REMINDERS],
        status=GrantStatus.INVITED,
    )
    starts = _start()
    appointment = await book_directly(clinic, starts)
    await _schedule(settings, appointment)
    patient = clinic.patient_user.id
    assert await _planned(appointment) == [(patient, 1440), (patient, 120), (grace.id, 30)]

    await _send_due(settings, appointment)
    (mine,) = await _reminded(grace.id)
    assert len(await _reminded(patient)) == 2
    assert mine.patient_id == clinic.patient.id
    london = starts.astimezone(ZoneInfo("Europe/London"))
    assert mine.body.startswith("For Maria: Follow-up treatment with Dana Whitfield, ")
    assert f"{london:%H:%M} (Europe/London)" in mine.body
    rows = await Delivery.filter(notification_id=mine.id).values("channel")
    channels = {str(row["channel"]) for row in rows}
    assert NotificationChannel.EMAIL.value not in channels  # her choice, not the patient's
    assert NotificationChannel.SMS.value in channels


async def test_the_recipients_are_one_statement_however_many_caregivers(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start())
    counts = []
    for total in (1, 10):
        while (held := await CaregiverGrant.all().count()) < total:
            helper = await make_caregiver(f"helper{held}@example.org")
            await grant(clinic.patient, helper, [Need.REMINDERS])
        with count_sql() as sql:
            found = await reminders._recipients(settings, appointment)
        counts.append(sql.count)
        assert len(found) == 1 + total  # the patient and every caregiver
    assert counts == [1, 1]


async def test_a_grant_ended_before_the_reminder_goes_sends_nothing(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    grace = await make_caregiver()
    sam = await make_caregiver("sam@example.org")
    revoked = await grant(clinic.patient, grace, [Need.REMINDERS])
    narrowed = await grant(clinic.patient, sam, [Need.REMINDERS, Need.APPOINTMENTS_VIEW])
    appointment = await book_directly(clinic, _start())
    await _schedule(settings, appointment)
    assert len(await _planned(appointment)) == 6  # two each
    revoked.status = GrantStatus.REVOKED
    await revoked.save(update_fields=["status"])
    narrowed.scopes = [Need.APPOINTMENTS_VIEW.value]
    await narrowed.save(update_fields=["scopes"])
    await _send_due(settings, appointment)
    assert await _reminded(grace.id) == []
    assert await _reminded(sam.id) == []
    assert len(await _reminded(clinic.patient_user.id)) == 2


async def test_gaining_reminders_plans_the_bookings_already_made(
    gql: GraphQLClient, settings: Settings
) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start())
    await _schedule(settings, appointment)
    patient = clinic.patient_user.id
    # Accepting an invitation that includes REMINDERS.
    await invited_grant(gql, patient, scopes=("APPOINTMENTS_VIEW", "REMINDERS"))
    grace = await make_caregiver()
    assert (await accept(gql, await mailed_token(), as_user=grace.id))["__typename"] == (
        "CareRecipientPayload"
    )
    assert (grace.id, 1440) in await _planned(appointment)
    # A change that adds REMINDERS.
    sam = await make_caregiver("sam@example.org")
    given = await grant(clinic.patient, sam, [Need.APPOINTMENTS_VIEW])
    body = await gql.execute(
        UPDATE,
        {"input": {"grantId": gid("CaregiverGrant", given.id), "scopes": ["REMINDERS"]}},
        as_user=patient,
    )
    assert result(body, "updateCaregiverAccess")["grant"]["scopes"] == ["REMINDERS"]
    assert {(sam.id, 1440), (sam.id, 120)} <= set(await _planned(appointment))
    # A caregiver's own new offsets re-plan their reminders.
    await reminders.set_preferences(settings, sam.id, [60])
    planned = await _planned(appointment)
    assert (sam.id, 60) in planned
    assert (sam.id, 1440) not in planned
    assert (patient, 1440) in planned  # the patient's own stay


async def _minor(clinic: SmallClinic, years: int) -> None:
    today = date.today()
    await Patient.filter(id=clinic.patient.id).update(
        date_of_birth=today.replace(year=today.year - years, day=1)
    )


async def test_a_guardian_is_reminded_until_the_patient_is_an_adult(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    await _minor(clinic, 10)
    guardian = await make_caregiver()
    await grant(clinic.patient, guardian, kind=GrantKind.GUARDIAN)
    appointment = await book_directly(clinic, _start())
    await _schedule(settings, appointment)
    assert {user for user, _ in await _planned(appointment)} == {
        clinic.patient_user.id,
        guardian.id,
    }
    await _minor(clinic, 18)
    await _send_due(settings, appointment)
    assert await _reminded(guardian.id) == []  # re-read when sent: adult now
    later = await book_directly(clinic, _start(5))
    await _schedule(settings, later)
    assert {user for user, _ in await _planned(later)} == {clinic.patient_user.id}
