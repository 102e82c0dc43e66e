"""Scheduling: therapists' hours, session types, appointments, and what hangs off a booking.

A therapist's time can hold one booking only. The database decides that, not a read before
the write: every booking claims the 5-minute cells it covers (its buffer included) for its
therapist and for its patient in `TimeClaim`, whose unique index refuses a second claim of a
cell. Cancelling deletes the claims. The same index works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from api.models.therapists import Specialty

if TYPE_CHECKING:
    from api.models.accounts import User
    from api.models.patients import Patient
    from api.models.therapists import Location, Therapist


class AppointmentStatus(StrEnum):
    BOOKED = "BOOKED"
    CANCELLED = "CANCELLED"
    LATE_CANCELLED = "LATE_CANCELLED"  # inside the cancellation window, where the clinic allows it
    ATTENDED = "ATTENDED"
    NO_SHOW = "NO_SHOW"


class ClaimOwner(StrEnum):
    THERAPIST = "THERAPIST"
    PATIENT = "PATIENT"


class ExceptionKind(StrEnum):
    TIME_OFF = "TIME_OFF"
    EXTRA_HOURS = "EXTRA_HOURS"


class WaitlistStatus(StrEnum):
    WAITING = "WAITING"
    BOOKED = "BOOKED"  # a freed slot it was told of was booked by this patient
    CANCELLED = "CANCELLED"  # the patient stopped waiting
    EXPIRED = "EXPIRED"  # its date range passed


class SessionType(Model):
    """A kind of session the clinic offers (initial consultation, follow-up...), clinic-wide."""

    id = fields.BigIntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    duration_minutes = fields.SmallIntField()
    telehealth_allowed = fields.BooleanField(default=True)
    active = fields.BooleanField(default=True)
    sort_order = fields.SmallIntField(default=0)

    class Meta:
        table = "scheduling_session_type"


class WeeklyHours(Model):
    """Recurring hours: this weekday, from..to in local wall time, at a location or online."""

    id = fields.BigIntField(primary_key=True)
    therapist: fields.ForeignKeyRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name=False, on_delete=fields.CASCADE
    )
    therapist_id: int
    # None: telehealth hours, counted in the therapist's own time zone.
    location: fields.ForeignKeyNullableRelation[Location] = fields.ForeignKeyField(
        "relief.Location", related_name=False, on_delete=fields.CASCADE, null=True
    )
    location_id: int | None
    weekday = fields.SmallIntField()  # Monday is 0, as in date.weekday()
    start_minute = fields.SmallIntField()  # minutes after local midnight
    end_minute = fields.SmallIntField()
    valid_from = fields.DateField(null=True)
    valid_until = fields.DateField(null=True)  # inclusive

    class Meta:
        table = "scheduling_weekly_hours"
        indexes = (("therapist_id", "weekday"),)


class ScheduleException(Model):
    """Time off (no bookings) or extra hours (bookable) for one therapist, in UTC instants."""

    id = fields.BigIntField(primary_key=True)
    therapist: fields.ForeignKeyRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name=False, on_delete=fields.CASCADE
    )
    therapist_id: int
    kind = fields.CharEnumField(ExceptionKind, max_length=12)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    # For extra hours: where (a location, or telehealth when None).
    location: fields.ForeignKeyNullableRelation[Location] = fields.ForeignKeyField(
        "relief.Location", related_name=False, on_delete=fields.CASCADE, null=True
    )
    location_id: int | None
    note = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "scheduling_exception"
        indexes = (("therapist_id", "starts_at"),)


class Appointment(Model):
    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name=False, on_delete=fields.CASCADE
    )
    patient_id: int
    therapist: fields.ForeignKeyRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name=False, on_delete=fields.RESTRICT
    )
    therapist_id: int
    session_type: fields.ForeignKeyRelation[SessionType] = fields.ForeignKeyField(
        "relief.SessionType", related_name=False, on_delete=fields.RESTRICT
    )
    session_type_id: int
    location: fields.ForeignKeyNullableRelation[Location] = fields.ForeignKeyField(
        "relief.Location", related_name=False, on_delete=fields.RESTRICT, null=True
    )
    location_id: int | None
    telehealth = fields.BooleanField(default=False)
    join_url = fields.CharField(max_length=300, default="")  # telehealth: filled by video work
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    status = fields.CharEnumField(
        AppointmentStatus, max_length=16, default=AppointmentStatus.BOOKED
    )
    concerns = fields.TextField(default="")
    booked_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.RESTRICT
    )
    booked_by_id: int
    booked_at = fields.DatetimeField()
    cancelled_at = fields.DatetimeField(null=True)
    cancelled_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    cancelled_by_id: int | None
    cancellation_reason = fields.CharField(max_length=500, default="")
    # A rescheduled booking is cancelled and points at its successor (and back).
    rescheduled_from: fields.ForeignKeyNullableRelation[Appointment] = fields.ForeignKeyField(
        "relief.Appointment", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    rescheduled_from_id: int | None
    attendance_marked_at = fields.DatetimeField(null=True)
    attendance_marked_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    attendance_marked_by_id: int | None
    updated_at = fields.DatetimeField()

    class Meta:
        table = "scheduling_appointment"
        indexes = (("patient_id", "starts_at"), ("therapist_id", "starts_at"))


class TimeClaim(Model):
    """One 5-minute cell of a therapist's or a patient's time, held by one booking."""

    id = fields.BigIntField(primary_key=True)
    appointment: fields.ForeignKeyRelation[Appointment] = fields.ForeignKeyField(
        "relief.Appointment", related_name=False, on_delete=fields.CASCADE
    )
    appointment_id: int
    owner_kind = fields.CharEnumField(ClaimOwner, max_length=10)
    owner_id = fields.BigIntField()
    cell_start = fields.DatetimeField()

    class Meta:
        table = "scheduling_time_claim"
        unique_together = (("owner_kind", "owner_id", "cell_start"),)
        indexes = (("appointment_id",),)


class PreVisitQuestionnaire(Model):
    """Assigned on booking, due before the session, shown to the therapist on the appointment."""

    id = fields.BigIntField(primary_key=True)
    appointment: fields.OneToOneRelation[Appointment] = fields.OneToOneField(
        "relief.Appointment", related_name=False, on_delete=fields.CASCADE
    )
    appointment_id: int
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name=False, on_delete=fields.CASCADE
    )
    patient_id: int
    due_at = fields.DatetimeField()
    answers: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    submitted_at = fields.DatetimeField(null=True)
    submitted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    submitted_by_id: int | None
    created_at = fields.DatetimeField()

    class Meta:
        table = "scheduling_questionnaire"


class WaitlistEntry(Model):
    """A patient waiting for a therapist (or any therapist of a specialty) in a date range."""

    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name=False, on_delete=fields.CASCADE
    )
    patient_id: int
    therapist: fields.ForeignKeyNullableRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name=False, on_delete=fields.CASCADE, null=True
    )
    therapist_id: int | None
    specialty = fields.CharEnumField(Specialty, max_length=32, null=True)
    session_type: fields.ForeignKeyRelation[SessionType] = fields.ForeignKeyField(
        "relief.SessionType", related_name=False, on_delete=fields.RESTRICT
    )
    session_type_id: int
    location: fields.ForeignKeyNullableRelation[Location] = fields.ForeignKeyField(
        "relief.Location", related_name=False, on_delete=fields.CASCADE, null=True
    )
    location_id: int | None
    telehealth = fields.BooleanField(null=True)  # None: either
    from_date = fields.DateField()
    to_date = fields.DateField()  # inclusive, in the patient time zone
    status = fields.CharEnumField(WaitlistStatus, max_length=10, default=WaitlistStatus.WAITING)
    created_at = fields.DatetimeField()
    last_offered_at = fields.DatetimeField(null=True)
    booked_appointment: fields.ForeignKeyNullableRelation[Appointment] = fields.ForeignKeyField(
        "relief.Appointment", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    booked_appointment_id: int | None

    class Meta:
        table = "scheduling_waitlist"
        indexes = (("status", "created_at"), ("patient_id", "status"))


class CalendarFeed(Model):
    """The secret iCalendar feed of a user: the hash of its token, replaced by a new token."""

    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "relief.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "scheduling_calendar_feed"


class ReminderPreference(Model):
    """When a user wants appointment reminders (minutes before), where not the default."""

    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "relief.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    offsets_minutes: fields.Field[list[int]] = fields.JSONField(default=list)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "scheduling_reminder_preference"
