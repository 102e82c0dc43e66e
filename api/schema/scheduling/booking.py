"""Inputs, typed errors and results of booking, changing and attending appointments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

import strawberry

from api.access.needs import Need, patient_owned, requires
from api.context import Info
from api.models import scheduling as models
from api.schema.errors import UserError, errors_from
from api.schema.relay import database_key, parse_global_id
from api.schema.scheduling.appointment import Appointment
from api.schema.therapists import Therapist
from api.services.scheduling import attendance
from api.services.scheduling.booking import BookCommand, RescheduleCommand
from api.services.scheduling.policy import BookingErrorCode as ServiceCode
from api.services.scheduling.policy import BookingProblems
from api.settings import Settings

BookingErrorCode = strawberry.enum(
    ServiceCode,
    description=(
        "SLOT_UNAVAILABLE: the time is taken or not bookable (the message says why); "
        "PATIENT_DOUBLE_BOOKED: the patient has another appointment then; "
        "CANCELLATION_WINDOW_CLOSED: too close to the start to change online (the message "
        "says how to reach the clinic)."
    ),
)


@strawberry.enum(description="What happened to a session that started.")
class AttendanceMark(StrEnum):
    ATTENDED = "ATTENDED"
    NO_SHOW = "NO_SHOW"


def key_of(value: strawberry.ID, type_name: str, field: str) -> int:
    return database_key(parse_global_id(str(value), field), type_name, field)


def optional_key(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
    return None if value is None else key_of(value, type_name, field)


@strawberry.input(description="A booking: omit patientId to book for yourself.")
class BookAppointmentInput:
    patient_id: strawberry.ID | None = strawberry.field(
        default=None, description="Staff booking for a patient name them here."
    )
    therapist_id: strawberry.ID
    session_type: str = strawberry.field(description="The session type's code.")
    starts_at: datetime
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where; omit for telehealth."
    )
    telehealth: bool = False
    concerns: str = strawberry.field(default="", description="At most 2,000 characters.")

    def to_command(self) -> BookCommand:
        return BookCommand(
            patient_id=optional_key(self.patient_id, "Patient", "patientId"),
            therapist_id=key_of(self.therapist_id, "Therapist", "therapistId"),
            session_type=self.session_type,
            starts_at=self.starts_at,
            location_id=optional_key(self.location_id, "Location", "locationId"),
            telehealth=self.telehealth,
            concerns=self.concerns,
        )


@strawberry.input(description="Move a booking; what you leave out stays as it was.")
class RescheduleAppointmentInput:
    appointment_id: strawberry.ID
    starts_at: datetime
    therapist_id: strawberry.ID | None = None
    session_type: str | None = strawberry.field(default=None, description="A session type code.")
    location_id: strawberry.ID | None = None
    telehealth: bool | None = None

    def to_command(self) -> RescheduleCommand:
        return RescheduleCommand(
            appointment_id=key_of(self.appointment_id, "Appointment", "appointmentId"),
            starts_at=self.starts_at,
            therapist_id=optional_key(self.therapist_id, "Therapist", "therapistId"),
            session_type=self.session_type,
            location_id=optional_key(self.location_id, "Location", "locationId"),
            telehealth=self.telehealth,
        )


@strawberry.input(description="Cancel a booking; the care team and admins must give a reason.")
class CancelAppointmentInput:
    appointment_id: strawberry.ID
    reason: str = ""

    def appointment_key(self) -> int:
        return key_of(self.appointment_id, "Appointment", "appointmentId")


@strawberry.type(description="One problem with a booking change, with the field it is about.")
class BookingError(UserError):
    code: BookingErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The booking change did not happen; every problem is listed.")
class BookingErrors:
    errors: list[BookingError]

    @classmethod
    def from_problems(cls, problems: BookingProblems) -> BookingErrors:
        return cls(errors=errors_from(BookingError, problems))


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(description="The appointment as it now stands.")
class AppointmentPayload:
    appointment: Appointment


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(description="The booking that was moved (now CANCELLED) and its successor.")
class ReschedulePayload:
    previous: Appointment
    appointment: Appointment


BookAppointmentResult = Annotated[
    AppointmentPayload | BookingErrors, strawberry.union("BookAppointmentResult")
]
RescheduleAppointmentResult = Annotated[
    ReschedulePayload | BookingErrors, strawberry.union("RescheduleAppointmentResult")
]


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(description="Sessions attended and missed, and the rate.")
class AttendanceTally:
    attended: int
    no_shows: int
    rate: float | None = strawberry.field(
        description="attended / (attended + noShows); null before any session was marked."
    )
    therapist_id: strawberry.Private[int | None]

    @classmethod
    def from_tally(cls, tally: attendance.Tally, therapist_id: int | None) -> AttendanceTally:
        return cls(
            attended=tally.attended,
            no_shows=tally.no_shows,
            rate=tally.rate,
            therapist_id=therapist_id,
        )

    @strawberry.field(
        description="With whom; null for the overall tally.",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def therapist(self, info: Info) -> Therapist | None:
        if self.therapist_id is None:
            return None
        record = await info.context.loaders.therapists.therapist_by_id.load(self.therapist_id)
        return Therapist.from_model(record) if record is not None else None


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(description="A patient's marked sessions, overall and per therapist.")
class AttendanceHistory:
    overall: AttendanceTally
    by_therapist: list[AttendanceTally]
    appointments: list[Appointment] = strawberry.field(
        description="Sessions marked ATTENDED or NO_SHOW, newest first (at most 500)."
    )

    @classmethod
    def from_history(cls, info: Info, history: attendance.History) -> AttendanceHistory:
        return cls(
            overall=AttendanceTally.from_tally(history.overall, None),
            by_therapist=[
                AttendanceTally.from_tally(tally, therapist_id)
                for therapist_id, tally in sorted(history.by_therapist.items())
            ],
            appointments=[Appointment.seen(info, row) for row in history.appointments],
        )


def attendance_status(mark: AttendanceMark) -> models.AppointmentStatus:
    return models.AppointmentStatus(mark.value)


@strawberry.type(description="The clinic's booking rules, for the words the app shows.")
class SchedulingPolicy:
    cancellation_window_hours: int = strawberry.field(
        description="Patients change or cancel themselves until this long before the start."
    )
    late_cancellation_allowed: bool = strawberry.field(
        description="Inside the window: recorded as LATE_CANCELLED (true) or refused (false)."
    )
    booking_undo_minutes: int = strawberry.field(
        description="A booking this fresh can always be undone by whoever made it."
    )
    booking_lead_minutes: int = strawberry.field(description="The earliest bookable start.")
    booking_horizon_days: int = strawberry.field(description="The latest bookable day.")
    clinic_phone: str = strawberry.field(description="How to reach the clinic by phone.")

    @classmethod
    def from_settings(cls, settings: Settings) -> SchedulingPolicy:
        return cls(
            cancellation_window_hours=settings.cancellation_window_hours,
            late_cancellation_allowed=settings.late_cancellation_allowed,
            booking_undo_minutes=settings.booking_undo_minutes,
            booking_lead_minutes=settings.booking_lead_minutes,
            booking_horizon_days=settings.booking_horizon_days,
            clinic_phone=settings.clinic_phone,
        )
