"""Booking, changing and attending appointments; thin: parse, call a service, map.

Not signed in: UNAUTHENTICATED; an appointment or patient out of reach: NOT_FOUND. Expected
outcomes (a taken slot, a closed cancellation window...) come back typed in `BookingErrors`.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

import strawberry

from api.access.needs import Need
from api.access.record_access import AccessAction
from api.context import Info
from api.errors import BadUserInput
from api.models.scheduling import Appointment as AppointmentRow
from api.realtime import topics
from api.realtime.broker import Message as Event
from api.realtime.live import follow
from api.schema.record_access import audited
from api.schema.scheduling.appointment import Appointment
from api.schema.scheduling.booking import (
    AppointmentPayload,
    AttendanceHistory,
    AttendanceMark,
    BookAppointmentInput,
    BookAppointmentResult,
    BookingErrors,
    CancelAppointmentInput,
    RescheduleAppointmentInput,
    RescheduleAppointmentResult,
    ReschedulePayload,
    SchedulingPolicy,
    attendance_status,
    key_of,
)
from api.services.scheduling import attendance, booking
from api.services.scheduling.policy import BookingProblems


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class BookingQuery:
    @strawberry.field(description="The clinic's booking rules (public: shown before booking).")
    def scheduling_policy(self, info: Info) -> SchedulingPolicy:
        return SchedulingPolicy.from_settings(info.context.settings)

    @strawberry.field(description="One appointment; NOT_FOUND when it is not yours to read.")
    async def appointment(self, info: Info, id: strawberry.ID) -> Appointment:
        scope = await info.context.scope()
        row = await booking.visible(scope, key_of(id, "Appointment", "id"))
        return Appointment.seen(info, row)

    @strawberry.field(
        description=(
            "A patient's sessions marked ATTENDED or NO_SHOW and the attendance rate, overall "
            "and per therapist: for the patient and their care team."
        )
    )
    async def attendance_history(
        self, info: Info, patient_id: strawberry.ID | None = None
    ) -> AttendanceHistory:
        scope = await info.context.scope()
        scope.require_authenticated()
        key = (
            scope.default_patient_id
            if patient_id is None
            else key_of(patient_id, "Patient", "patientId")
        )
        if key is None:
            raise BadUserInput("Choose the patient.", field="patientId")
        history = await attendance.history(scope, key)
        return AttendanceHistory.from_history(info, history)


@strawberry.type
class BookingMutation:
    @strawberry.mutation(
        description=(
            "Book a session: a patient for themselves (omit patientId), a caregiver acting for "
            "the patient (APPOINTMENTS_MANAGE), the care team or an admin for a patient. The "
            "database keeps one booking per therapist's time."
        )
    )
    async def book_appointment(
        self, info: Info, input: BookAppointmentInput
    ) -> BookAppointmentResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        command = input.to_command()
        try:
            row = await booking.book(info.context.settings, scope, command, _now())
        except BookingProblems as problems:
            return BookingErrors.from_problems(problems)
        return AppointmentPayload(appointment=Appointment.seen(info, row, AccessAction.CREATE))

    @strawberry.mutation(
        description=(
            "Move a booking to a new time (and optionally therapist, session type or place): "
            "the old one becomes CANCELLED and points at its successor."
        )
    )
    async def reschedule_appointment(
        self, info: Info, input: RescheduleAppointmentInput
    ) -> RescheduleAppointmentResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        command = input.to_command()
        try:
            old, new = await booking.reschedule(info.context.settings, scope, command, _now())
        except BookingProblems as problems:
            return BookingErrors.from_problems(problems)
        return ReschedulePayload(
            previous=Appointment.seen(info, old, AccessAction.UPDATE),
            appointment=Appointment.seen(info, new, AccessAction.CREATE),
        )

    @strawberry.mutation(
        description=(
            "Cancel a booking. Patients can until the cancellation window; a booking made in "
            "the last minutes can always be undone; the clinic cancels any time, with a reason."
        )
    )
    async def cancel_appointment(
        self, info: Info, input: CancelAppointmentInput
    ) -> BookAppointmentResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        key = input.appointment_key()
        try:
            row = await booking.cancel(info.context.settings, scope, key, input.reason, _now())
        except BookingProblems as problems:
            return BookingErrors.from_problems(problems)
        return AppointmentPayload(appointment=Appointment.seen(info, row, AccessAction.UPDATE))

    @strawberry.mutation(
        description="The session's therapist marks it ATTENDED or NO_SHOW once it has started."
    )
    async def mark_attendance(
        self, info: Info, appointment_id: strawberry.ID, status: AttendanceMark
    ) -> BookAppointmentResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        key = key_of(appointment_id, "Appointment", "appointmentId")
        try:
            row = await attendance.mark(scope, key, attendance_status(status), _now())
        except BookingProblems as problems:
            return BookingErrors.from_problems(problems)
        return AppointmentPayload(appointment=Appointment.seen(info, row, AccessAction.UPDATE))


@strawberry.type
class BookingSubscription:
    @strawberry.subscription(
        description=(
            "Appointments as they are booked, moved, cancelled or marked: a patient's own (omit "
            "patientId) or, for the care team and admins, one patient's."
        )
    )
    async def appointment_changed(
        self, info: Info, patient_id: strawberry.ID | None = None
    ) -> AsyncGenerator[Appointment, None]:
        scope = await info.context.scope()
        scope.require_authenticated()
        if patient_id is None:
            if scope.default_patient_id is None:
                raise BadUserInput("Choose the patient to follow.", field="patientId")
            key = scope.default_patient_id
        else:
            key = key_of(patient_id, "Patient", "patientId")
        scope.require_patient(key, Need.APPOINTMENTS_VIEW)
        # One appointment changes many times: events are numbered as they arrive, since the
        # appointment id does not grow with each change.
        sequence = itertools.count(1)

        async def load(event: Event) -> tuple[int, Appointment] | None:
            appointment_id = event.get("appointment_id")
            if not isinstance(appointment_id, int):
                return None
            row = await AppointmentRow.get_or_none(id=appointment_id)
            current = await info.context.scope()  # re-checked per event: access can end
            if row is None or row.patient_id != key or not booking.readable(current, row):
                return None
            return next(sequence), Appointment.seen(info, row)

        async def catch_up(after: int) -> list[tuple[int, Appointment]]:
            # Changes are not stored as a stream, and the client re-reads `appointments` on
            # any event: a subscriber whose queue dropped events gets the patient's latest
            # changed appointment, so it hears that something changed and re-reads.
            del after
            row = await AppointmentRow.filter(patient_id=key).order_by("-updated_at", "-id").first()
            current = await info.context.scope()
            if row is None or not booking.readable(current, row):
                return []
            return [(next(sequence), Appointment.seen(info, row))]

        async for _, item in audited(
            info.context,
            follow(
                [topics.patient_appointments(key)],
                load=load,
                key=lambda numbered: numbered[0],
                catch_up=catch_up,
            ),
        ):
            yield item
