"""Root operations of availability: session types, therapists' hours, free slots. Thin."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import strawberry
from strawberry import relay

from api.context import Info
from api.errors import BadUserInput, NotFound
from api.loaders.therapists import TherapistRecord
from api.models.accounts import Role
from api.schema.relay import database_key
from api.schema.scheduling import availability as types
from api.schema.therapists import Location, Therapist
from api.services.scheduling import hours, session_types
from api.services.scheduling.availability import SlotQuery, find_slots
from api.services.scheduling.hours import ScheduleErrorCode, ScheduleProblems

MAX_RANGE = timedelta(days=31)
# Far more than a screen can show, and well under the drivers' limits on bound parameters.
MAX_THERAPISTS = 50


async def _manager(info: Info, therapist_id: int) -> None:
    """The therapist themself or an admin; anyone else sees no such therapist."""
    scope = await info.context.scope()
    scope.require_authenticated()
    if not (scope.is_admin or scope.therapist_id == therapist_id):
        raise NotFound(field="therapistId")


async def _admin(info: Info) -> None:
    scope = await info.context.scope()
    scope.require_role(Role.ADMIN)


def _session_type_lookup(value: str) -> str | int:
    try:
        global_id = relay.GlobalID.from_id(value)
    except Exception:  # not a global id: a code
        return value.strip()
    return database_key(global_id, "SessionType", "sessionType")


@strawberry.type
class AvailabilityQuery:
    @strawberry.field(description="The clinic's session types; inactive ones for admins only.")
    async def session_types(
        self, info: Info, include_inactive: bool = False
    ) -> list[types.SessionType]:
        scope = await info.context.scope()
        scope.require_authenticated()
        rows = await session_types.list_session_types(
            include_inactive=include_inactive and scope.is_admin
        )
        return [types.SessionType.from_model(row) for row in rows]

    @strawberry.field(
        description="Free slots in a window of at most 31 days, shown in `timeZone` "
        "(default: yours)."
    )
    async def available_slots(
        self, info: Info, filter: types.SlotFilter, time_zone: str | None = None
    ) -> types.AvailableSlotsResult:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        problems: list[tuple[ScheduleErrorCode, str, str]] = []
        zone_name = time_zone
        if zone_name is None:
            user = await info.context.loaders.user_by_id.load(user_id)
            zone_name = user.time_zone if user is not None else "UTC"
        try:
            zone = ZoneInfo(zone_name)
        # A directory name ("Europe") or an over-long one fails as OSError, not as not-found.
        except (ZoneInfoNotFoundError, ValueError, OSError):
            problems.append(
                (ScheduleErrorCode.UNKNOWN_TIME_ZONE, "This time zone is not known.", "timeZone")
            )
        naive = [
            name
            for name, value in (("filter.from", filter.starts_from), ("filter.to", filter.until))
            if value.tzinfo is None
        ]
        for name in naive:
            problems.append(
                (
                    ScheduleErrorCode.INVALID_TIME,
                    "Give the time with its offset, e.g. 2026-12-01T09:00:00-05:00.",
                    name,
                )
            )
        # Naive and aware instants do not order: the range is checked once both are aware.
        if not naive and filter.starts_from >= filter.until:
            problems.append(
                (ScheduleErrorCode.INVALID_RANGE, "The start comes before the end.", "filter.to")
            )
        elif not naive and filter.until - filter.starts_from > MAX_RANGE:
            problems.append(
                (
                    ScheduleErrorCode.RANGE_TOO_LONG,
                    "Ask for at most 31 days at a time.",
                    "filter.to",
                )
            )
        if filter.therapist_ids is not None and len(filter.therapist_ids) > MAX_THERAPISTS:
            raise BadUserInput(
                f"Ask for at most {MAX_THERAPISTS} therapists at a time.",
                field="filter.therapistIds",
            )
        if problems:
            return types.ScheduleErrors(
                errors=[
                    types.ScheduleError(code=code, message=message, field=field)
                    for code, message, field in problems
                ]
            )
        query = SlotQuery(
            session_type=_session_type_lookup(filter.session_type),
            starts_from=filter.starts_from,
            until=filter.until,
            therapist_ids=(
                [
                    database_key(gid, "Therapist", "filter.therapistIds")
                    for gid in filter.therapist_ids
                ]
                if filter.therapist_ids is not None
                else None
            ),
            specialty=filter.specialty,
            location_id=(
                database_key(filter.location_id, "Location", "filter.locationId")
                if filter.location_id is not None
                else None
            ),
            telehealth=filter.telehealth,
            care_team_of=scope.default_patient_id,
        )
        found = await find_slots(info.context.settings, query)
        if found.session_type is None or not found.session_type.active:
            return types.ScheduleErrors(
                errors=[
                    types.ScheduleError(
                        code=ScheduleErrorCode.UNKNOWN_SESSION_TYPE,
                        message="No such session type is offered.",
                        field="filter.sessionType",
                    )
                ]
            )
        # Answer from the rows already read, and prime the loaders for fields asked of them.
        therapist_loader = info.context.loaders.therapists.therapist_by_id
        therapists: dict[int, Therapist] = {}
        for row in found.therapists:
            record = TherapistRecord.from_row(row)
            therapist_loader.prime(record.id, record)
            therapists[record.id] = Therapist.from_model(record)
        location_loader = info.context.loaders.therapists.location_by_id
        locations: dict[int, Location | None] = {}
        for location_id, location in found.locations.items():
            location_loader.prime(location_id, location)
            locations[location_id] = Location.from_model(location)
        missing = {
            slot.location_id
            for slot in found.slots
            if slot.location_id is not None and slot.location_id not in locations
        }
        for location_id, loaded in zip(
            missing, await location_loader.load_many(list(missing)), strict=True
        ):
            locations[location_id] = Location.from_model(loaded) if loaded else None
        info.context.loaders.scheduling.session_type_by_id.prime(
            found.session_type.id, found.session_type
        )
        session_type = types.SessionType.from_model(found.session_type)
        return types.AvailableSlots(
            time_zone=zone.key,
            slots=[
                types.AvailableSlot.build(
                    slot,
                    zone,
                    therapists[slot.therapist_id],
                    session_type,
                    locations.get(slot.location_id) if slot.location_id else None,
                )
                for slot in found.slots
            ],
        )


@strawberry.type
class AvailabilityMutation:
    @strawberry.mutation(description="Admins add a session type.")
    async def create_session_type(
        self, info: Info, input: types.CreateSessionTypeInput
    ) -> types.SessionTypeResult:
        await _admin(info)
        try:
            row = await session_types.create_session_type(
                session_types.SessionTypeSpec(
                    code=input.code,
                    name=input.name,
                    description=input.description,
                    duration_minutes=input.duration_minutes,
                    telehealth_allowed=input.telehealth_allowed,
                    active=input.active,
                )
            )
        except ScheduleProblems as problems:
            return types.ScheduleErrors.from_problems(problems)
        return types.SessionTypePayload(session_type=types.SessionType.from_model(row))

    @strawberry.mutation(description="Admins change a session type; bookings keep their times.")
    async def update_session_type(
        self, info: Info, input: types.UpdateSessionTypeInput
    ) -> types.SessionTypeResult:
        await _admin(info)
        try:
            row = await session_types.update_session_type(
                database_key(input.id, "SessionType"),
                code=input.code,
                name=input.name,
                description=input.description,
                duration_minutes=input.duration_minutes,
                telehealth_allowed=input.telehealth_allowed,
                active=input.active,
            )
        except ScheduleProblems as problems:
            return types.ScheduleErrors.from_problems(problems)
        return types.SessionTypePayload(session_type=types.SessionType.from_model(row))

    @strawberry.mutation(description="Replace a therapist's weekly hours (therapist or admin).")
    async def set_weekly_hours(
        self, info: Info, therapist_id: relay.GlobalID, hours: list[types.WeeklyHoursInput]
    ) -> types.WeeklyHoursResult:
        key = database_key(therapist_id, "Therapist", "therapistId")
        await _manager(info, key)
        specs = [hours_module_spec(item, index) for index, item in enumerate(hours)]
        try:
            await hours_service_set(info, key, specs)
        except ScheduleProblems as problems:
            return types.ScheduleErrors.from_problems(problems)
        record = await info.context.loaders.therapists.therapist_by_id.load(key)
        if record is None:
            raise NotFound(field="therapistId")
        return types.WeeklyHoursPayload(therapist=Therapist.from_model(record))

    @strawberry.mutation(description="Add time off or extra hours (therapist or admin).")
    async def add_schedule_exception(
        self, info: Info, input: types.ScheduleExceptionInput
    ) -> types.ScheduleExceptionResult:
        key = database_key(input.therapist_id, "Therapist", "therapistId")
        await _manager(info, key)
        try:
            row = await hours.add_schedule_exception(
                info.context.settings,
                hours.ExceptionSpec(
                    therapist_id=key,
                    kind=input.kind,
                    starts_at=input.starts_at,
                    ends_at=input.ends_at,
                    location_id=(
                        database_key(input.location_id, "Location", "locationId")
                        if input.location_id is not None
                        else None
                    ),
                    telehealth=input.telehealth,
                    note=input.note,
                ),
            )
        except ScheduleProblems as problems:
            return types.ScheduleErrors.from_problems(problems)
        return types.ScheduleExceptionPayload(
            schedule_exception=types.ScheduleException.from_model(row)
        )

    @strawberry.mutation(description="Remove time off or extra hours (therapist or admin).")
    async def remove_schedule_exception(
        self, info: Info, id: relay.GlobalID
    ) -> types.RemoveScheduleExceptionResult:
        key = database_key(id, "ScheduleException")
        row = await hours.schedule_exception(key)
        if row is None:
            raise NotFound(field="id")
        await _manager(info, row.therapist_id)
        await hours.remove_schedule_exception(key)
        return types.RemovedScheduleException(removed_id=id)

    @strawberry.mutation(description="Minutes kept free after each session, 0 to 60.")
    async def set_buffer_minutes(
        self, info: Info, therapist_id: relay.GlobalID, minutes: int
    ) -> types.WeeklyHoursResult:
        key = database_key(therapist_id, "Therapist", "therapistId")
        await _manager(info, key)
        try:
            await hours.set_buffer_minutes(key, minutes)
        except ScheduleProblems as problems:
            return types.ScheduleErrors.from_problems(problems)
        record = await info.context.loaders.therapists.therapist_by_id.load(key)
        if record is None:
            raise NotFound(field="therapistId")
        return types.WeeklyHoursPayload(therapist=Therapist.from_model(record))


def hours_module_spec(item: types.WeeklyHoursInput, index: int) -> hours.HoursSpec:
    return hours.HoursSpec(
        weekday=item.weekday,
        start=item.start,
        end=item.end,
        location_id=(
            database_key(item.location_id, "Location", f"hours.{index}.locationId")
            if item.location_id is not None
            else None
        ),
        telehealth=item.telehealth,
        valid_from=item.valid_from,
        valid_until=item.valid_until,
    )


async def hours_service_set(info: Info, therapist_id: int, specs: list[hours.HoursSpec]) -> None:
    await hours.set_weekly_hours(info.context.settings, therapist_id, specs)
    info.context.loaders.scheduling.weekly_hours_by_therapist_id.clear(therapist_id)
