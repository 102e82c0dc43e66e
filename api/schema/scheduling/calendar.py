"""The calendar side of scheduling as the API shows it: the secret calendar feed, reminder
preferences, and the pre-session questionnaire on an appointment, with their typed errors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from api.access.needs import Need, patient_owned, requires
from api.models.scheduling import CalendarFeed as CalendarFeedRow
from api.models.scheduling import PreVisitQuestionnaire as QuestionnaireRow
from api.schema.errors import UserError, errors_from
from api.services.scheduling import calendar as calendar_service
from api.services.scheduling import questionnaires
from api.services.scheduling.reminders import ReminderSettings

CalendarErrorCode = strawberry.enum(
    calendar_service.CalendarErrorCode,
    description="Stable codes of calendar, reminder and questionnaire operations' errors.",
)
QuestionnaireStatus = strawberry.enum(
    questionnaires.QuestionnaireStatus,
    description="PENDING until answered; OVERDUE once its due time passed unanswered; "
    "SUBMITTED once answered (answers can change until the session starts).",
)


@strawberry.type(description="One problem with a calendar operation, with the field it is about.")
class CalendarError(UserError):
    code: CalendarErrorCode  # type: ignore[valid-type]


@strawberry.type(description="A calendar operation did not happen; every problem is listed.")
class CalendarErrors:
    errors: list[CalendarError]

    @classmethod
    def from_problems(cls, problems: calendar_service.CalendarProblems) -> CalendarErrors:
        return cls(errors=errors_from(CalendarError, problems))


@strawberry.type(
    description="Your secret calendar feed. Its address is shown once, when made; only a "
    "hash is kept, so a lost address is replaced, not recovered."
)
class CalendarFeed:
    active: bool
    created_at: datetime | None

    @classmethod
    def from_row(cls, row: CalendarFeedRow | None) -> CalendarFeed:
        return cls(active=row is not None, created_at=row.created_at if row else None)


@strawberry.type(description="A new feed address: subscribe to it in your calendar app now.")
class RegenerateCalendarFeedPayload:
    url: str = strawberry.field(
        description="The feed's address, shown this once. The previous address stops working."
    )
    feed: CalendarFeed


@strawberry.type(description="When you are reminded of your appointments.")
class ReminderPreferences:
    offsets_minutes: list[int] = strawberry.field(
        description="Minutes before the start, largest first."
    )
    is_default: bool = strawberry.field(description="True while you use the clinic's default.")

    @classmethod
    def from_settings(cls, value: ReminderSettings) -> ReminderPreferences:
        return cls(offsets_minutes=list(value.offsets_minutes), is_default=value.is_default)


SetReminderPreferencesResult = Annotated[
    ReminderPreferences | CalendarErrors, strawberry.union("SetReminderPreferencesResult")
]


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(description="The patient's answers before a session.")
class QuestionnaireAnswers:
    symptoms: str
    pain_now: int = strawberry.field(description="0 (none) to 10 (worst imaginable).")
    changes_since_last_visit: str
    concerns: str

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> QuestionnaireAnswers:
        return cls(
            symptoms=str(value.get("symptoms", "")),
            pain_now=int(value.get("painNow", 0)),
            changes_since_last_visit=str(value.get("changesSinceLastVisit", "")),
            concerns=str(value.get("concerns", "")),
        )


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(description="The questionnaire before a session: due before it starts.")
class PreVisitQuestionnaire:
    status: QuestionnaireStatus  # type: ignore[valid-type]
    due_at: datetime
    submitted_at: datetime | None
    answers: QuestionnaireAnswers | None = strawberry.field(
        description="The latest answers; null until submitted. Kept from a caregiver without "
        "APPOINTMENTS_MANAGE and from a teenager's guardian (null and FORBIDDEN).",
        metadata=requires(Need.APPOINTMENTS_MANAGE),
    )

    @classmethod
    def from_row(cls, row: QuestionnaireRow, at: datetime) -> PreVisitQuestionnaire:
        return cls(
            status=questionnaires.status_of(row, at),
            due_at=row.due_at,
            submitted_at=row.submitted_at,
            answers=QuestionnaireAnswers.from_json(row.answers) if row.submitted_at else None,
        )


@strawberry.input(description="Answers before a session; can be sent again until it starts.")
class SubmitPreVisitQuestionnaireInput:
    appointment_id: strawberry.ID
    symptoms: str
    pain_now: int = strawberry.field(description="0 (none) to 10 (worst imaginable).")
    changes_since_last_visit: str = ""
    concerns: str = ""

    def to_answers(self) -> questionnaires.Answers:
        return questionnaires.Answers(
            symptoms=self.symptoms.strip(),
            pain_now=self.pain_now,
            changes_since_last_visit=self.changes_since_last_visit.strip(),
            concerns=self.concerns.strip(),
        )


@strawberry.type(description="The questionnaire as it now stands.")
class SubmitPreVisitQuestionnairePayload:
    questionnaire: PreVisitQuestionnaire


SubmitPreVisitQuestionnaireResult = Annotated[
    SubmitPreVisitQuestionnairePayload | CalendarErrors,
    strawberry.union("SubmitPreVisitQuestionnaireResult"),
]

TYPES: tuple[type, ...] = (
    CalendarError,
    CalendarErrors,
    CalendarFeed,
    RegenerateCalendarFeedPayload,
    ReminderPreferences,
    QuestionnaireAnswers,
    PreVisitQuestionnaire,
    SubmitPreVisitQuestionnairePayload,
)
