"""Pre-session questionnaires: assigned on booking, due before the session, reminded once,
answered by the patient and read by the therapist on the appointment.

Due `questionnaire_due_hours` before the start (at the start itself when that moment has
already passed at booking). The patient may change the answers until the session starts:
what the therapist reads is the latest the patient said. A reschedule carries the
questionnaire (and any answers) to the new booking with a new due time; a cancellation
withdraws an unanswered one and keeps answers that were given (they are the patient's record).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from api.models.notifications import Notification, NotificationKind
from api.models.patients import Patient
from api.models.scheduling import Appointment, AppointmentStatus, PreVisitQuestionnaire
from api.observability import get_logger
from api.realtime.events import transaction
from api.services import jobs
from api.services.notifications import NewNotification, notify
from api.services.problems import Collector
from api.services.scheduling.calendar import CalendarErrorCode, CalendarProblems, fail
from api.services.scheduling.ics import appointment_link
from api.settings import Settings

log = get_logger(__name__)

REMINDER_JOB = "scheduling.questionnaire_reminder"
REMIND_BEFORE_DUE = timedelta(days=1)
REMINDER_TITLE = "Reminder: your pre-session questionnaire"
MAX_TEXT = 4000


class QuestionnaireStatus(StrEnum):
    PENDING = "PENDING"
    SUBMITTED = "SUBMITTED"
    OVERDUE = "OVERDUE"


def status_of(row: PreVisitQuestionnaire, at: datetime) -> QuestionnaireStatus:
    if row.submitted_at is not None:
        return QuestionnaireStatus.SUBMITTED
    return QuestionnaireStatus.OVERDUE if at >= row.due_at else QuestionnaireStatus.PENDING


def job_key(appointment_id: int) -> str:
    return f"questionnaire-reminder:{appointment_id}"


def due_for(settings: Settings, starts_at: datetime, at: datetime) -> datetime:
    due = starts_at - timedelta(hours=settings.questionnaire_due_hours)
    return due if due > at else starts_at


def reminder_at(due_at: datetime, at: datetime) -> datetime:
    """A day before the due time; when that has passed, halfway to it.

    Not at once: the assignment's own notification has just gone out, and a second one in
    the same minute would be noise.
    """
    wanted = due_at - REMIND_BEFORE_DUE
    return wanted if wanted > at else at + (due_at - at) / 2


async def _patient_user(patient_id: int) -> int | None:
    rows = await Patient.filter(id=patient_id).values("user_id")
    return int(rows[0]["user_id"]) if rows and rows[0]["user_id"] is not None else None


async def _plan_reminder(appointment_id: int, due_at: datetime, at: datetime) -> None:
    await jobs.enqueue(
        REMINDER_JOB,
        {"appointment_id": appointment_id, "due_at": due_at.isoformat()},
        run_at=reminder_at(due_at, at),
        dedupe_key=job_key(appointment_id),
    )


# The contract with booking ----------------------------------------------------------------


async def assign(settings: Settings, appointment: Appointment) -> None:
    """Creates the appointment's questionnaire, tells the patient, plans one reminder.

    Inside the caller's transaction; a second call for the same appointment does nothing.
    """
    if await PreVisitQuestionnaire.exists(appointment_id=appointment.id):
        return
    at = jobs.now()
    due_at = due_for(settings, appointment.starts_at, at)
    await PreVisitQuestionnaire.create(
        appointment_id=appointment.id,
        patient_id=appointment.patient_id,
        due_at=due_at,
        created_at=at,
    )
    user_id = await _patient_user(appointment.patient_id)
    if user_id is None:
        return
    await notify(
        NewNotification(
            user_id=user_id,
            kind=NotificationKind.QUESTIONNAIRE_DUE,
            title="Before your session: a short questionnaire",
            body="A few questions about how you are doing help your therapist prepare.",
            link=appointment_link(appointment.id),
            patient_id=appointment.patient_id,
        )
    )
    await _plan_reminder(appointment.id, due_at, at)


async def follow_reschedule(old_appointment_id: int, new: Appointment) -> None:
    """Moves the old booking's questionnaire (answers and all) to its successor, newly due.

    When `assign` already ran for the new booking, its fresh, unanswered questionnaire gives
    way to the old one (which may hold answers, and of which the patient was told), and its
    due time is the one kept. Otherwise the old lead before the start carries over.
    """
    await jobs.cancel(job_key(old_appointment_id))
    old = await PreVisitQuestionnaire.get_or_none(appointment_id=old_appointment_id)
    if old is None:
        return
    at = jobs.now()
    fresh = await PreVisitQuestionnaire.get_or_none(appointment_id=new.id)
    if fresh is not None:
        due_at = fresh.due_at
        await jobs.cancel(job_key(new.id))
        await fresh.delete()
    else:
        old_start = await Appointment.filter(id=old_appointment_id).values("starts_at")
        lead = old_start[0]["starts_at"] - old.due_at if old_start else timedelta(0)
        due_at = new.starts_at - lead
        if due_at <= at:
            due_at = new.starts_at
    old.appointment_id = new.id
    old.due_at = due_at
    await old.save(update_fields=["appointment_id", "due_at"])
    if old.submitted_at is None:
        await _plan_reminder(new.id, due_at, at)


async def withdraw(appointment_id: int) -> None:
    """A cancelled booking: no reminder; an unanswered questionnaire goes, answers stay."""
    await jobs.cancel(job_key(appointment_id))
    await PreVisitQuestionnaire.filter(appointment_id=appointment_id, submitted_at=None).delete()


# The patient's answers --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answers:
    symptoms: str
    pain_now: int
    changes_since_last_visit: str
    concerns: str

    def as_json(self) -> dict[str, Any]:
        return {
            "symptoms": self.symptoms,
            "painNow": self.pain_now,
            "changesSinceLastVisit": self.changes_since_last_visit,
            "concerns": self.concerns,
        }


def _check(answers: Answers) -> None:
    found = Collector(CalendarProblems)
    if not answers.symptoms.strip():
        found.add(CalendarErrorCode.REQUIRED, "Describe your symptoms.", "symptoms")
    if not 0 <= answers.pain_now <= 10:
        found.add(CalendarErrorCode.OUT_OF_RANGE, "Pain is rated from 0 to 10.", "painNow")
    for field, text in (
        ("symptoms", answers.symptoms),
        ("changesSinceLastVisit", answers.changes_since_last_visit),
        ("concerns", answers.concerns),
    ):
        if len(text) > MAX_TEXT:
            found.add(CalendarErrorCode.TOO_LONG, f"At most {MAX_TEXT} characters.", field)
    found.raise_if_any()


async def submit(
    appointment: Appointment, answers: Answers, *, by_user_id: int
) -> PreVisitQuestionnaire:
    """Stores the answers (again, until the session starts). The caller checked access."""
    _check(answers)
    at = jobs.now()
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= at:
        raise fail(
            CalendarErrorCode.SESSION_STARTED,
            "The session has started or is no longer booked; tell your therapist in person.",
            "appointmentId",
        )
    async with transaction():
        row = await PreVisitQuestionnaire.select_for_update().get_or_none(
            appointment_id=appointment.id
        )
        if row is None:
            raise fail(
                CalendarErrorCode.NO_QUESTIONNAIRE,
                "This appointment has no questionnaire.",
                "appointmentId",
            )
        row.answers = answers.as_json()
        row.submitted_at = at
        row.submitted_by_id = by_user_id
        await row.save(update_fields=["answers", "submitted_at", "submitted_by_id"])
        await jobs.cancel(job_key(appointment.id))
    log.info("questionnaire_submitted", appointment_id=appointment.id)
    return row


# The job ----------------------------------------------------------------------------------


@jobs.handler(REMINDER_JOB)
async def remind(run: jobs.JobRun) -> None:
    appointment_id = int(str(run.payload["appointment_id"]))
    async with transaction():
        row = await PreVisitQuestionnaire.get_or_none(appointment_id=appointment_id)
        if row is None or row.submitted_at is not None or row.due_at <= jobs.now():
            return
        appointment = await Appointment.get_or_none(id=appointment_id)
        if appointment is None or appointment.status != AppointmentStatus.BOOKED:
            return
        user_id = await _patient_user(row.patient_id)
        if user_id is None:
            return
        link = appointment_link(appointment_id)
        # At-least-once: a run that committed but was not marked done must not remind twice.
        # One reminder per booking (a reschedule is a new booking, with a new link).
        if await Notification.filter(
            user_id=user_id,
            kind=NotificationKind.QUESTIONNAIRE_DUE,
            title=REMINDER_TITLE,
            link=link,
        ).exists():
            return
        await notify(
            NewNotification(
                user_id=user_id,
                kind=NotificationKind.QUESTIONNAIRE_DUE,
                title=REMINDER_TITLE,
                body="It takes two minutes and helps your therapist prepare.",
                link=link,
                patient_id=row.patient_id,
            )
        )
