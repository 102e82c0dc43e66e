"""Availability as the API shows it: session types, therapists' hours and free slots.

Patients see slots only; a therapist's hours and exceptions are for the therapist themself
and admins (staff), resolved on the Therapist type through `therapist_weekly_hours` and
`therapist_schedule_exceptions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry
from strawberry import relay

from api.access.needs import clinic_content
from api.context import Info
from api.models import scheduling as models
from api.schema.errors import UserError, errors_from
from api.schema.relay import database_keys
from api.schema.therapists import Location, Specialty, Therapist
from api.services.scheduling import hours as hours_service
from api.services.scheduling.availability import Slot
from api.services.scheduling.hours import ScheduleProblems, format_minute

ScheduleErrorCode = strawberry.enum(
    hours_service.ScheduleErrorCode,
    description="Stable codes of availability operations' errors.",
)
ScheduleExceptionKind = strawberry.enum(
    models.ExceptionKind,
    description="TIME_OFF: no bookings. EXTRA_HOURS: bookable beyond the weekly hours.",
)


@strawberry.type(description="One problem with an availability operation, with its field.")
class ScheduleError(UserError):
    code: ScheduleErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The operation did not happen; every problem is listed.")
class ScheduleErrors:
    errors: list[ScheduleError]

    @classmethod
    def from_problems(cls, problems: ScheduleProblems) -> ScheduleErrors:
        return cls(errors=errors_from(ScheduleError, problems))


@clinic_content
@strawberry.type(description="A kind of session the clinic offers, with its length.")
class SessionType(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description='Stable, e.g. "follow_up"; availableSlots takes it.')
    name: str
    description: str
    duration_minutes: int
    telehealth_allowed: bool = strawberry.field(description="Can be held by video.")
    active: bool = strawberry.field(description="Offered for new bookings.")

    @classmethod
    def from_model(cls, row: models.SessionType) -> SessionType:
        return cls(
            id=row.id,
            code=row.code,
            name=row.name,
            description=row.description,
            duration_minutes=row.duration_minutes,
            telehealth_allowed=row.telehealth_allowed,
            active=row.active,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SessionType | None]:
        keys = database_keys(node_ids)
        scope = await info.context.scope()
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        loader = info.context.loaders.scheduling.session_type_by_id
        rows = await loader.load_many([key for key in keys if key is not None])
        found = {row.id: row for row in rows if row is not None}
        return [cls.from_model(found[key]) if key in found else None for key in keys]


@strawberry.type(description="A recurring weekly window, in the wall time of its place.")
class WeeklyHoursWindow:
    weekday: int = strawberry.field(description="Monday is 0, Sunday 6.")
    start: str = strawberry.field(description='"HH:MM" local time.')
    end: str = strawberry.field(description='"HH:MM" local time; "24:00" is midnight.')
    telehealth: bool
    time_zone: str = strawberry.field(description="The zone the times are in.")
    valid_from: date | None
    valid_until: date | None = strawberry.field(description="Inclusive.")
    location_id: strawberry.Private[int | None]

    @strawberry.field
    async def location(self, info: Info) -> Location | None:
        if self.location_id is None:
            return None
        row = await info.context.loaders.therapists.location_by_id.load(self.location_id)
        return Location.from_model(row) if row else None


@strawberry.type(description="Time off or extra hours of one therapist.")
class ScheduleException(relay.Node):
    id: relay.NodeID[int]
    kind: ScheduleExceptionKind  # type: ignore[valid-type]
    starts_at: datetime
    ends_at: datetime
    telehealth: bool = strawberry.field(description="Extra hours held by video.")
    note: str
    location_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.ScheduleException) -> ScheduleException:
        return cls(
            id=row.id,
            kind=row.kind,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            telehealth=row.kind is models.ExceptionKind.EXTRA_HOURS and row.location_id is None,
            note=row.note,
            location_id=row.location_id,
        )

    @strawberry.field
    async def location(self, info: Info) -> Location | None:
        if self.location_id is None:
            return None
        row = await info.context.loaders.therapists.location_by_id.load(self.location_id)
        return Location.from_model(row) if row else None

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ScheduleException | None]:
        keys = [key for key in database_keys(node_ids)]
        scope = await info.context.scope()
        rows = {
            row.id: row
            for row in await models.ScheduleException.filter(
                id__in=[key for key in keys if key is not None]
            )
            if scope.is_admin or row.therapist_id == scope.therapist_id
        }
        return [cls.from_model(rows[key]) if key in rows else None for key in keys]


async def weekly_hours_windows(info: Info, therapist_id: int) -> list[WeeklyHoursWindow]:
    loader = info.context.loaders.scheduling.weekly_hours_by_therapist_id
    return [
        WeeklyHoursWindow(
            weekday=row.weekday,
            start=format_minute(row.start_minute),
            end=format_minute(row.end_minute),
            telehealth=row.location_id is None,
            time_zone=row.time_zone,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            location_id=row.location_id,
        )
        for row in await loader.load(therapist_id)
    ]


async def _staff(info: Info, therapist_id: int) -> bool:
    """Hours and exceptions are shown to admins and therapists, never to patients."""
    scope = await info.context.scope()
    return scope.is_admin or scope.therapist_id is not None


async def therapist_weekly_hours(info: Info, therapist_id: int) -> list[WeeklyHoursWindow] | None:
    if not await _staff(info, therapist_id):
        return None
    return await weekly_hours_windows(info, therapist_id)


async def therapist_schedule_exceptions(
    info: Info, therapist_id: int, starts_from: datetime | None, until: datetime | None
) -> list[ScheduleException] | None:
    if not await _staff(info, therapist_id):
        return None
    rows = await hours_service.exceptions_of([therapist_id], starts_from, until)
    shown = [ScheduleException.from_model(row) for row in rows]
    scope = await info.context.scope()
    if not (scope.is_admin or scope.therapist_id == therapist_id):
        # Colleagues see when someone is away, not why: the note is the therapist's own
        # (as `node` on an exception answers only its therapist and admins).
        for item in shown:
            item.note = ""
    return shown


@strawberry.type(description="A free slot, shown in the time zone asked for.")
class AvailableSlot:
    starts_at: datetime = strawberry.field(description="UTC instant.")
    ends_at: datetime
    local_start: str = strawberry.field(description="ISO 8601 with offset, in timeZone.")
    local_end: str
    local_date: date = strawberry.field(description="The day it starts on, in timeZone.")
    time_zone: str
    telehealth: bool
    therapist: Therapist
    session_type: SessionType
    location: Location | None

    @classmethod
    def build(
        cls,
        slot: Slot,
        zone: ZoneInfo,
        therapist: Therapist,
        session_type: SessionType,
        location: Location | None,
    ) -> AvailableSlot:
        local_start = slot.starts_at.astimezone(zone)
        return cls(
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            local_start=local_start.isoformat(),
            local_end=slot.ends_at.astimezone(zone).isoformat(),
            local_date=local_start.date(),
            time_zone=zone.key,
            telehealth=slot.telehealth,
            therapist=therapist,
            session_type=session_type,
            location=location,
        )


@strawberry.type(description="Free slots, earliest first.")
class AvailableSlots:
    time_zone: str = strawberry.field(description="The zone local times are shown in.")
    slots: list[AvailableSlot]


@strawberry.input(description="What to look for; every criterion given must hold.")
class SlotFilter:
    session_type: str = strawberry.field(description="A session type's code or its global id.")
    starts_from: datetime = strawberry.field(name="from", description="Slots starting at or after.")
    until: datetime = strawberry.field(name="to", description="Slots starting before.")
    specialty: Specialty | None = None  # type: ignore[valid-type]
    location_id: relay.GlobalID | None = None
    telehealth: bool | None = strawberry.field(
        default=None, description="true: by video only; false: in person only; null: either."
    )
    therapist_ids: list[relay.GlobalID] | None = None


@strawberry.input(description="One weekly window; give a location or telehealth: true.")
class WeeklyHoursInput:
    weekday: int = strawberry.field(description="Monday is 0, Sunday 6.")
    start: str = strawberry.field(description='"HH:MM" local time.')
    end: str = strawberry.field(description='"HH:MM" local time; "24:00" is midnight.')
    location_id: relay.GlobalID | None = None
    telehealth: bool = False
    valid_from: date | None = None
    valid_until: date | None = None


@strawberry.input(description="Time off, or extra hours at a location or by video.")
class ScheduleExceptionInput:
    therapist_id: relay.GlobalID
    kind: ScheduleExceptionKind  # type: ignore[valid-type]
    starts_at: datetime
    ends_at: datetime
    location_id: relay.GlobalID | None = None
    telehealth: bool = False
    note: str = ""


@strawberry.input(description="A new session type.")
class CreateSessionTypeInput:
    code: str
    name: str
    description: str = ""
    duration_minutes: int = strawberry.field(description="15 to 240, in steps of 5.")
    telehealth_allowed: bool = True
    active: bool = True


@strawberry.input(description="Changes to a session type; a field left out stays as it is.")
class UpdateSessionTypeInput:
    id: relay.GlobalID
    code: str | None = None
    name: str | None = None
    description: str | None = None
    duration_minutes: int | None = None
    telehealth_allowed: bool | None = None
    active: bool | None = None


@strawberry.type
class SessionTypePayload:
    session_type: SessionType


@strawberry.type(description="The therapist's weekly hours after the change.")
class WeeklyHoursPayload:
    therapist: Therapist


@strawberry.type
class ScheduleExceptionPayload:
    schedule_exception: ScheduleException


@strawberry.type
class RemovedScheduleException:
    removed_id: relay.GlobalID


AvailableSlotsResult = Annotated[
    AvailableSlots | ScheduleErrors, strawberry.union("AvailableSlotsResult")
]
SessionTypeResult = Annotated[
    SessionTypePayload | ScheduleErrors, strawberry.union("SessionTypeResult")
]
WeeklyHoursResult = Annotated[
    WeeklyHoursPayload | ScheduleErrors, strawberry.union("WeeklyHoursResult")
]
ScheduleExceptionResult = Annotated[
    ScheduleExceptionPayload | ScheduleErrors, strawberry.union("ScheduleExceptionResult")
]
RemoveScheduleExceptionResult = Annotated[
    RemovedScheduleException | ScheduleErrors, strawberry.union("RemoveScheduleExceptionResult")
]

TYPES: tuple[type, ...] = (SessionType, ScheduleException, AvailableSlot, ScheduleErrors)
