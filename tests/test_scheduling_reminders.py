"""Appointment reminders: durable jobs at the preferred offsets, cancelled or moved with the
booking, sent only for a booking still there at the planned time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.models.jobs import Job
from api.models.notifications import Notification, NotificationKind
from api.realtime.events import transaction
from api.services import jobs
from api.services.scheduling import reminders
from api.settings import Settings
from tests.conftest import GraphQLClient
from tests.scheduling_support import book_directly, small_clinic


def _start(days: int = 3) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


async def _waiting(appointment_id: int) -> list[Job]:
    return list(
        await Job.filter(
            kind=reminders.REMINDER_JOB,
            finished_at=None,
            dedupe_key__startswith=reminders.job_key_prefix(appointment_id),
        ).order_by("run_at")
    )


async def _make_due(appointment_id: int) -> None:
    await Job.filter(dedupe_key__startswith=reminders.job_key_prefix(appointment_id)).update(
        run_at=datetime.now(UTC) - timedelta(seconds=1)
    )


async def test_default_offsets_plan_jobs_at_the_right_instants(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    starts = _start()
    appointment = await book_directly(clinic, starts)
    async with transaction():
        await reminders.schedule_for(settings, appointment)
        await reminders.schedule_for(settings, appointment)  # idempotent
    waiting = await _waiting(appointment.id)
    assert [job.run_at for job in waiting] == [
        starts - timedelta(hours=24),
        starts - timedelta(hours=2),
    ]
    assert {job.payload["user_id"] for job in waiting} == {clinic.patient_user.id}


async def test_offsets_already_past_are_skipped(database: None, settings: Settings) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, datetime.now(UTC) + timedelta(hours=5))
    await reminders.schedule_for(settings, appointment)
    assert [job.payload["offset_minutes"] for job in await _waiting(appointment.id)] == [120]


async def test_due_reminder_notifies_the_patient_once(database: None, settings: Settings) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start())
    await reminders.schedule_for(settings, appointment)
    await _make_due(appointment.id)
    await jobs.run_until_idle(settings)
    sent = await Notification.filter(kind=NotificationKind.APPOINTMENT_REMINDER)
    assert [row.user_id for row in sent] == [clinic.patient_user.id, clinic.patient_user.id]
    assert "Follow-up treatment with Dana Whitfield" in sent[0].body
    assert "Knee" not in sent[0].body  # the concerns stay out of notifications
    assert not await Notification.filter(user_id=clinic.therapist_user.id).exists()
    assert await _waiting(appointment.id) == []


async def test_cancelled_booking_cancels_its_reminders(database: None, settings: Settings) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start())
    await reminders.schedule_for(settings, appointment)
    await reminders.cancel_for(appointment.id)
    assert await _waiting(appointment.id) == []
    outcomes = await Job.filter(kind=reminders.REMINDER_JOB).values("outcome")
    assert [row["outcome"] for row in outcomes] == ["CANCELLED", "CANCELLED"]
    # A new plan after cancelling is possible (the keys were released).
    await reminders.schedule_for(settings, appointment)
    assert len(await _waiting(appointment.id)) == 2


async def test_stale_reminder_of_a_moved_or_cancelled_booking_sends_nothing(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    moved = await book_directly(clinic, _start(3))
    cancelled = await book_directly(clinic, _start(5))
    await reminders.schedule_for(settings, moved)
    await reminders.schedule_for(settings, cancelled)
    moved.starts_at = moved.starts_at + timedelta(days=1)
    await moved.save(update_fields=["starts_at"])
    cancelled.status = "CANCELLED"  # type: ignore[assignment]
    await cancelled.save(update_fields=["status"])
    await _make_due(moved.id)
    await _make_due(cancelled.id)
    assert await jobs.run_until_idle(settings) == 4
    assert not await Notification.filter(kind=NotificationKind.APPOINTMENT_REMINDER).exists()


async def test_preferences_are_validated_and_replan_upcoming_reminders(
    database: None, settings: Settings, gql: GraphQLClient
) -> None:
    clinic = await small_clinic()
    starts = _start(4)
    appointment = await book_directly(clinic, starts)
    await reminders.schedule_for(settings, appointment)
    query = "{ reminderPreferences { offsetsMinutes isDefault } }"
    body = await gql.execute(query, as_user=clinic.patient_user.id)
    assert body["data"]["reminderPreferences"] == {"offsetsMinutes": [1440, 120], "isDefault": True}

    mutation = """mutation($o: [Int!]!) { setReminderPreferences(offsetsMinutes: $o) {
        __typename
        ... on ReminderPreferences { offsetsMinutes isDefault }
        ... on CalendarErrors { errors { code field } } } }"""
    for bad, codes in (
        ([], ["COUNT"]),
        ([10], ["OUT_OF_RANGE"]),
        ([60, 60], ["DUPLICATE"]),
        ([15, 30, 60, 90, 10081], ["COUNT", "OUT_OF_RANGE"]),
    ):
        body = await gql.execute(mutation, {"o": bad}, as_user=clinic.patient_user.id)
        errors = body["data"]["setReminderPreferences"]["errors"]
        assert [error["code"] for error in errors] == codes, bad
        assert {error["field"] for error in errors} == {"offsetsMinutes"}

    body = await gql.execute(mutation, {"o": [30, 2880]}, as_user=clinic.patient_user.id)
    assert body["data"]["setReminderPreferences"] == {
        "__typename": "ReminderPreferences",
        "offsetsMinutes": [2880, 30],
        "isDefault": False,
    }
    assert [job.run_at for job in await _waiting(appointment.id)] == [
        starts - timedelta(days=2),
        starts - timedelta(minutes=30),
    ]


async def test_reminder_preferences_need_a_sign_in(database: None, gql: GraphQLClient) -> None:
    body = await gql.execute("{ reminderPreferences { offsetsMinutes } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
