"""The pre-session questionnaire: assigned, reminded once if unanswered, answered by the
patient until the session starts, read by the therapist, following a reschedule, withdrawn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from api.models.jobs import Job
from api.models.notifications import Notification, NotificationKind
from api.models.scheduling import PreVisitQuestionnaire
from api.services import jobs
from api.services.scheduling import questionnaires
from api.settings import Settings
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.scheduling_support import SmallClinic, book_directly, small_clinic

SUBMIT = """mutation($input: SubmitPreVisitQuestionnaireInput!) {
  submitPreVisitQuestionnaire(input: $input) {
    __typename
    ... on SubmitPreVisitQuestionnairePayload { questionnaire { status answers { painNow } } }
    ... on CalendarErrors { errors { code field } } } }"""
READ = """query($id: ID!) { node(id: $id) { ... on Appointment {
  questionnaire { status dueAt answers { symptoms painNow changesSinceLastVisit concerns } } } } }"""


def _start(days: float) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


def _answers(appointment_id: int, **changes: Any) -> dict[str, Any]:
    return {
        "appointmentId": gid("Appointment", appointment_id),
        "symptoms": "Stiff in the morning",
        "painNow": 4,
        "changesSinceLastVisit": "Walking further",
        "concerns": "Stairs",
    } | changes


async def _reminder_jobs() -> list[Job]:
    return list(await Job.filter(kind=questionnaires.REMINDER_JOB, finished_at=None))


async def test_assign_notifies_and_plans_one_reminder_a_day_before_due(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start(5))
    await questionnaires.assign(settings, appointment)
    await questionnaires.assign(settings, appointment)  # idempotent
    row = await PreVisitQuestionnaire.get(appointment_id=appointment.id)
    due = appointment.starts_at - timedelta(hours=settings.questionnaire_due_hours)
    assert row.due_at == due
    [job] = await _reminder_jobs()
    assert job.run_at == due - timedelta(days=1)
    told = await Notification.filter(kind=NotificationKind.QUESTIONNAIRE_DUE)
    assert [n.user_id for n in told] == [clinic.patient_user.id]

    await Job.filter(id=job.id).update(run_at=datetime.now(UTC) - timedelta(seconds=1))
    await jobs.run_until_idle(settings)
    assert await Notification.filter(kind=NotificationKind.QUESTIONNAIRE_DUE).count() == 2


async def test_a_reminder_run_twice_reminds_once(database: None, settings: Settings) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start(5))
    await questionnaires.assign(settings, appointment)
    [job] = await _reminder_jobs()
    # At-least-once: the same job delivered again after a crash before it was marked done.
    run = jobs.JobRun(job.id, job.kind, job.payload, 1, settings)
    await questionnaires.remind(run)
    await questionnaires.remind(run)
    titles = [
        n.title
        for n in await Notification.filter(kind=NotificationKind.QUESTIONNAIRE_DUE).order_by("id")
    ]
    assert titles == [
        "Before your session: a short questionnaire",
        questionnaires.REMINDER_TITLE,
    ]


async def test_reminder_is_cancelled_by_answering(
    database: None, settings: Settings, gql: GraphQLClient
) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start(5))
    await questionnaires.assign(settings, appointment)
    body = await gql.execute(
        SUBMIT, {"input": _answers(appointment.id)}, as_user=clinic.patient_user.id
    )
    assert body["data"]["submitPreVisitQuestionnaire"]["questionnaire"] == {
        "status": "SUBMITTED",
        "answers": {"painNow": 4},
    }
    assert await _reminder_jobs() == []


async def test_a_booking_soon_is_reminded_halfway_not_at_once(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start(0.5))  # due in 10 hours
    before = datetime.now(UTC)
    await questionnaires.assign(settings, appointment)
    [job] = await _reminder_jobs()
    due = appointment.starts_at - timedelta(hours=2)
    assert before + (due - before) / 2 - timedelta(seconds=5) <= job.run_at <= due


async def _clinic_with_questionnaire(settings: Settings) -> tuple[SmallClinic, Any]:
    clinic = await small_clinic()
    appointment = await book_directly(clinic, _start(3))
    await questionnaires.assign(settings, appointment)
    return clinic, appointment


async def test_patient_answers_therapist_reads_others_cannot(
    database: None, settings: Settings, gql: GraphQLClient
) -> None:
    clinic, appointment = await _clinic_with_questionnaire(settings)
    node = {"id": gid("Appointment", appointment.id)}
    body = await gql.execute(READ, node, as_user=clinic.therapist_user.id)
    assert body["data"]["node"]["questionnaire"]["status"] == "PENDING"
    assert body["data"]["node"]["questionnaire"]["answers"] is None

    body = await gql.execute(
        SUBMIT,
        {"input": _answers(appointment.id, painNow=11, symptoms=" ")},
        as_user=clinic.patient_user.id,
    )
    errors = body["data"]["submitPreVisitQuestionnaire"]["errors"]
    assert sorted((e["code"], e["field"]) for e in errors) == [
        ("OUT_OF_RANGE", "painNow"),
        ("REQUIRED", "symptoms"),
    ]
    body = await gql.execute(
        SUBMIT, {"input": _answers(appointment.id)}, as_user=clinic.therapist_user.id
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await gql.execute(SUBMIT, {"input": _answers(appointment.id)}, as_user=clinic.patient_user.id)
    # Answers can change until the session starts: the therapist reads the latest.
    await gql.execute(
        SUBMIT, {"input": _answers(appointment.id, painNow=2)}, as_user=clinic.patient_user.id
    )
    body = await gql.execute(READ, node, as_user=clinic.therapist_user.id)
    assert body["data"]["node"]["questionnaire"]["answers"] == {
        "symptoms": "Stiff in the morning",
        "painNow": 2,
        "changesSinceLastVisit": "Walking further",
        "concerns": "Stairs",
    }


async def test_no_answers_once_the_session_started(
    database: None, settings: Settings, gql: GraphQLClient
) -> None:
    clinic, appointment = await _clinic_with_questionnaire(settings)
    appointment.starts_at = datetime.now(UTC) - timedelta(minutes=1)
    await appointment.save(update_fields=["starts_at"])
    await PreVisitQuestionnaire.filter(appointment_id=appointment.id).update(
        due_at=appointment.starts_at - timedelta(hours=2)
    )
    body = await gql.execute(
        SUBMIT, {"input": _answers(appointment.id)}, as_user=clinic.patient_user.id
    )
    [error] = body["data"]["submitPreVisitQuestionnaire"]["errors"]
    assert error["code"] == "SESSION_STARTED"
    body = await gql.execute(
        READ, {"id": gid("Appointment", appointment.id)}, as_user=clinic.patient_user.id
    )
    assert body["data"]["node"]["questionnaire"]["status"] == "OVERDUE"


async def test_reschedule_carries_answers_and_a_new_due_time(
    database: None, settings: Settings
) -> None:
    clinic, old = await _clinic_with_questionnaire(settings)
    row = await PreVisitQuestionnaire.get(appointment_id=old.id)
    row.answers = {"symptoms": "x", "painNow": 3, "changesSinceLastVisit": "", "concerns": ""}
    row.submitted_at = datetime.now(UTC)
    await row.save()
    new = await book_directly(clinic, _start(6), rescheduled_from_id=old.id)
    await questionnaires.assign(settings, new)  # booking assigns before following
    await questionnaires.follow_reschedule(old.id, new)
    moved = await PreVisitQuestionnaire.get(appointment_id=new.id)
    assert moved.id == row.id
    assert moved.answers["painNow"] == 3
    assert moved.due_at == new.starts_at - timedelta(hours=settings.questionnaire_due_hours)
    assert await PreVisitQuestionnaire.filter(appointment_id=old.id).count() == 0
    assert await _reminder_jobs() == []  # answered: nothing to remind of


async def test_withdraw_on_cancel_drops_an_unanswered_one_and_its_reminder(
    database: None, settings: Settings
) -> None:
    _, appointment = await _clinic_with_questionnaire(settings)
    await questionnaires.withdraw(appointment.id)
    assert not await PreVisitQuestionnaire.filter(appointment_id=appointment.id).exists()
    assert await _reminder_jobs() == []
