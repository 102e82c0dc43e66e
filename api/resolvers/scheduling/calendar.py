"""Root operations of the calendar side of scheduling; thin: parse, call a service, map.

- `appointments`: one patient's appointments with every provider, soonest first, from now
  unless `from` says otherwise (the patient's own; their care team and admins name them).
- `myAppointments`: a therapist's own schedule, the same order.
- the secret calendar feed, reminder preferences, and the pre-session questionnaire.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.context import Info
from api.models.scheduling import AppointmentStatus as AppointmentStatusRow
from api.schema.relay import connection_from_page, database_key, parse_global_id
from api.schema.scheduling import calendar as types
from api.schema.scheduling.appointment import Appointment, AppointmentStatus
from api.services.pagination import Page
from api.services.scheduling import booking, calendar, questionnaires, reminders
from api.services.scheduling.calendar import CalendarProblems


def _window(
    starts_from: datetime | None,
    until: datetime | None,
    status: list[AppointmentStatusRow] | None,
) -> calendar.Window:
    return calendar.Window(
        starts_from=starts_from,
        until=until,
        statuses=tuple(AppointmentStatusRow(s) for s in status or ()),
    )


def _connection(info: Info, page: Page[object]) -> relay.Connection[Appointment]:
    return connection_from_page(page, lambda row: Appointment.seen(info, row))  # type: ignore[arg-type]


@strawberry.type
class CalendarQuery:
    @strawberry.field(
        description="A patient's appointments with every provider, soonest first. Without "
        "`from`, those not yet over; `patientId` defaults to your own record."
    )
    async def appointments(
        self,
        info: Info,
        patient_id: strawberry.ID | None = None,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        status: list[AppointmentStatus] | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[Appointment]:
        scope = await info.context.scope()
        patient_key = (
            None
            if patient_id is None
            else database_key(parse_global_id(patient_id, "patientId"), "Patient", "patientId")
        )
        page = await calendar.patient_appointments(
            scope,
            patient_key,
            _window(from_, to, status),
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return _connection(info, page)  # type: ignore[arg-type]

    @strawberry.field(
        description="Your own schedule as a therapist, soonest first; without `from`, the "
        "appointments not yet over."
    )
    async def my_appointments(
        self,
        info: Info,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        status: list[AppointmentStatus] | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[Appointment]:
        scope = await info.context.scope()
        page = await calendar.therapist_appointments(
            scope,
            _window(from_, to, status),
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return _connection(info, page)  # type: ignore[arg-type]

    @strawberry.field(description="Whether you have a calendar feed, and since when.")
    async def calendar_feed(self, info: Info) -> types.CalendarFeed:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        return types.CalendarFeed.from_row(await calendar.feed_of(user_id))

    @strawberry.field(description="When you are reminded of your appointments.")
    async def reminder_preferences(self, info: Info) -> types.ReminderPreferences:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        chosen = await reminders.preferences_for(info.context.settings, user_id)
        return types.ReminderPreferences.from_settings(chosen)


@strawberry.type
class CalendarMutation:
    @strawberry.mutation(
        description="Makes a new secret calendar feed address (shown once); the previous "
        "address stops working at once."
    )
    async def regenerate_calendar_feed(self, info: Info) -> types.RegenerateCalendarFeedPayload:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        url, row = await calendar.regenerate_feed(info.context.settings, user_id)
        return types.RegenerateCalendarFeedPayload(url=url, feed=types.CalendarFeed.from_row(row))

    @strawberry.mutation(description="Stops your calendar feed: its address answers 404.")
    async def revoke_calendar_feed(self, info: Info) -> types.CalendarFeed:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        await calendar.revoke_feed(user_id)
        return types.CalendarFeed.from_row(None)

    @strawberry.mutation(
        description="Your reminder times: 1 to 4, each 15 minutes to 7 days before the start. "
        "Your upcoming appointments' reminders follow at once."
    )
    async def set_reminder_preferences(
        self, info: Info, offsets_minutes: list[int]
    ) -> types.SetReminderPreferencesResult:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        try:
            chosen = await reminders.set_preferences(
                info.context.settings, user_id, offsets_minutes
            )
        except CalendarProblems as problems:
            return types.CalendarErrors.from_problems(problems)
        return types.ReminderPreferences.from_settings(chosen)

    @strawberry.mutation(
        description="The patient's answers before a session (or a caregiver's for them, with "
        "APPOINTMENTS_MANAGE); can be sent again until it starts."
    )
    async def submit_pre_visit_questionnaire(
        self, info: Info, input: types.SubmitPreVisitQuestionnaireInput
    ) -> types.SubmitPreVisitQuestionnaireResult:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        key = database_key(
            parse_global_id(input.appointment_id, "appointmentId"), "Appointment", "appointmentId"
        )
        row = await booking.answerable(scope, key)
        try:
            saved = await questionnaires.submit(row, input.to_answers(), by_user_id=user_id)
        except CalendarProblems as problems:
            return types.CalendarErrors.from_problems(problems)
        info.context.record_access.saw(row.patient_id, "PreVisitQuestionnaire", saved.id)
        return types.SubmitPreVisitQuestionnairePayload(
            questionnaire=types.PreVisitQuestionnaire.from_row(
                saved, saved.submitted_at or row.starts_at
            )
        )
