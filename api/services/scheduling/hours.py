"""A therapist's working time: weekly hours, exceptions (time off, extra hours), buffer.

Managed by the therapist themself and by admins; the resolver decides who asks, these
functions check what is asked. Weekly hours are stored as minutes of the local day in the
zone of their place (the location's; the therapist's own for telehealth).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from api.models.scheduling import (
    ClaimOwner,
    ExceptionKind,
    ScheduleException,
    TimeClaim,
    WeeklyHours,
)
from api.models.therapists import Therapist, TherapistLocation
from api.realtime.events import transaction
from api.services.problems import Collector, Problems
from api.settings import Settings

MAX_BUFFER_MINUTES = 60
MAX_NOTE = 200
_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class ScheduleErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_CODE = "INVALID_CODE"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    INVALID_NAME = "INVALID_NAME"
    INVALID_DURATION = "INVALID_DURATION"
    INVALID_TIME = "INVALID_TIME"  # not HH:MM, or start not before end
    OFF_GRID = "OFF_GRID"  # not on the clinic's slot step
    OVERLAPPING_HOURS = "OVERLAPPING_HOURS"
    INVALID_WEEKDAY = "INVALID_WEEKDAY"
    INVALID_DATES = "INVALID_DATES"  # validFrom after validUntil
    NOT_AT_LOCATION = "NOT_AT_LOCATION"  # the therapist does not work there
    NO_TELEHEALTH = "NO_TELEHEALTH"  # the therapist does not offer telehealth
    PLACE_REQUIRED = "PLACE_REQUIRED"  # neither or both of a location and telehealth
    INVALID_BUFFER = "INVALID_BUFFER"
    INVALID_RANGE = "INVALID_RANGE"  # from not before to
    RANGE_TOO_LONG = "RANGE_TOO_LONG"
    UNKNOWN_TIME_ZONE = "UNKNOWN_TIME_ZONE"
    UNKNOWN_SESSION_TYPE = "UNKNOWN_SESSION_TYPE"
    NOTE_TOO_LONG = "NOTE_TOO_LONG"


class ScheduleProblems(Problems[ScheduleErrorCode]):
    """Raised by the availability services with every problem of one input."""


@dataclass(frozen=True, slots=True)
class HoursSpec:
    """One weekly window as given: wall times "HH:MM" ("24:00" ends at midnight)."""

    weekday: int
    start: str
    end: str
    location_id: int | None
    telehealth: bool
    valid_from: date | None = None
    valid_until: date | None = None


def parse_hhmm(value: str) -> int | None:
    match = _HHMM.match(value.strip())
    if match is None:
        return None
    minute = int(match.group(1)) * 60 + int(match.group(2))
    return minute if minute <= 24 * 60 else None


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


async def _therapist(therapist_id: int) -> Therapist:
    therapist = await Therapist.get_or_none(id=therapist_id)
    if therapist is None:
        raise ScheduleProblems.one(ScheduleErrorCode.NOT_FOUND, "No such therapist.", "therapistId")
    return therapist


async def _works_at(therapist_id: int) -> set[int]:
    rows = await TherapistLocation.filter(therapist_id=therapist_id).values("location_id")
    return {int(row["location_id"]) for row in rows}


def _check_place(
    problems: Collector[ScheduleErrorCode],
    therapist: Therapist,
    works_at: set[int],
    location_id: int | None,
    telehealth: bool,
    path: str,
) -> None:
    if (location_id is None) == (not telehealth):
        problems.add(
            ScheduleErrorCode.PLACE_REQUIRED,
            "Give a location or telehealth, one of the two.",
            f"{path}locationId",
        )
    elif telehealth and not therapist.telehealth:
        problems.add(
            ScheduleErrorCode.NO_TELEHEALTH,
            "This therapist does not offer telehealth.",
            f"{path}telehealth",
        )
    elif location_id is not None and location_id not in works_at:
        problems.add(
            ScheduleErrorCode.NOT_AT_LOCATION,
            "This therapist does not work at that location.",
            f"{path}locationId",
        )


async def set_weekly_hours(
    settings: Settings, therapist_id: int, hours: Sequence[HoursSpec]
) -> list[WeeklyHours]:
    """Replace the therapist's whole set of weekly hours with `hours`, or change nothing."""
    therapist = await _therapist(therapist_id)
    works_at = await _works_at(therapist_id)
    problems = Collector(ScheduleProblems)
    parsed: list[tuple[int, int, int, HoursSpec, int]] = []
    for index, spec in enumerate(hours):
        path = f"hours.{index}."
        start, end = parse_hhmm(spec.start), parse_hhmm(spec.end)
        if not 0 <= spec.weekday <= 6:
            problems.add(
                ScheduleErrorCode.INVALID_WEEKDAY,
                "Weekdays run from Monday to Sunday.",
                f"{path}weekday",
            )
        if start is None or end is None or start >= end or start >= 24 * 60:
            problems.add(
                ScheduleErrorCode.INVALID_TIME,
                "Give a start and an end as HH:MM, the start before the end.",
                f"{path}start",
            )
        elif start % settings.slot_step_minutes or end % settings.slot_step_minutes:
            problems.add(
                ScheduleErrorCode.OFF_GRID,
                f"Hours start and end on a {settings.slot_step_minutes}-minute step.",
                f"{path}start",
            )
        else:
            parsed.append((spec.weekday, start, end, spec, index))
        if spec.valid_from and spec.valid_until and spec.valid_from > spec.valid_until:
            problems.add(
                ScheduleErrorCode.INVALID_DATES,
                "The first valid day comes before the last.",
                f"{path}validFrom",
            )
        _check_place(problems, therapist, works_at, spec.location_id, spec.telehealth, path)
    # One therapist is in one place at a time: windows of a weekday may not overlap where
    # their validity periods meet, whatever their places.
    for i, (weekday, start, end, spec, index) in enumerate(parsed):
        for other_weekday, other_start, other_end, other, _ in parsed[:i]:
            if (
                weekday == other_weekday
                and start < other_end
                and other_start < end
                and _periods_meet(spec, other)
            ):
                problems.add(
                    ScheduleErrorCode.OVERLAPPING_HOURS,
                    "These hours overlap other hours on the same day.",
                    f"hours.{index}.start",
                )
                break
    problems.raise_if_any()
    async with transaction():
        await WeeklyHours.filter(therapist_id=therapist_id).delete()
        created = [
            await WeeklyHours.create(
                therapist_id=therapist_id,
                location_id=spec.location_id if not spec.telehealth else None,
                weekday=weekday,
                start_minute=start,
                end_minute=end,
                valid_from=spec.valid_from,
                valid_until=spec.valid_until,
            )
            for weekday, start, end, spec, _ in parsed
        ]
    return sorted(created, key=lambda row: (row.weekday, row.start_minute))


def _periods_meet(one: HoursSpec, other: HoursSpec) -> bool:
    start = max(one.valid_from or date.min, other.valid_from or date.min)
    end = min(one.valid_until or date.max, other.valid_until or date.max)
    return start <= end


async def weekly_hours_of(therapist_ids: Sequence[int]) -> list[WeeklyHours]:
    return await WeeklyHours.filter(therapist_id__in=list(therapist_ids)).order_by(
        "therapist_id", "weekday", "start_minute", "id"
    )


@dataclass(frozen=True, slots=True)
class ExceptionSpec:
    therapist_id: int
    kind: ExceptionKind
    starts_at: datetime
    ends_at: datetime
    location_id: int | None = None
    telehealth: bool = False
    note: str = ""


async def add_schedule_exception(settings: Settings, spec: ExceptionSpec) -> ScheduleException:
    therapist = await _therapist(spec.therapist_id)
    problems = Collector(ScheduleProblems)
    if spec.starts_at.tzinfo is None or spec.ends_at.tzinfo is None:
        problems.add(ScheduleErrorCode.INVALID_TIME, "Give times with their offset.", "startsAt")
    elif spec.starts_at >= spec.ends_at:
        problems.add(ScheduleErrorCode.INVALID_TIME, "The start comes before the end.", "endsAt")
    if len(spec.note) > MAX_NOTE:
        problems.add(
            ScheduleErrorCode.NOTE_TOO_LONG, f"Keep the note to {MAX_NOTE} characters.", "note"
        )
    if spec.kind is ExceptionKind.EXTRA_HOURS:
        works_at = await _works_at(therapist.id)
        _check_place(problems, therapist, works_at, spec.location_id, spec.telehealth, "")
        step = settings.slot_step_minutes * 60
        if spec.starts_at.tzinfo is not None and (
            int(spec.starts_at.timestamp()) % step or int(spec.ends_at.timestamp()) % step
        ):
            problems.add(
                ScheduleErrorCode.OFF_GRID,
                f"Extra hours start and end on a {settings.slot_step_minutes}-minute step.",
                "startsAt",
            )
    problems.raise_if_any()
    async with transaction():
        return await ScheduleException.create(
            therapist_id=therapist.id,
            kind=spec.kind,
            starts_at=spec.starts_at.astimezone(UTC),
            ends_at=spec.ends_at.astimezone(UTC),
            location_id=spec.location_id if spec.kind is ExceptionKind.EXTRA_HOURS else None,
            note=spec.note.strip(),
            created_at=datetime.now(UTC),
        )


async def schedule_exception(exception_id: int) -> ScheduleException | None:
    return await ScheduleException.get_or_none(id=exception_id)


async def remove_schedule_exception(exception_id: int) -> None:
    async with transaction():
        await ScheduleException.filter(id=exception_id).delete()


async def exceptions_of(
    therapist_ids: Sequence[int], starts_from: datetime | None, until: datetime | None
) -> list[ScheduleException]:
    query = ScheduleException.filter(therapist_id__in=list(therapist_ids))
    if until is not None:
        query = query.filter(starts_at__lt=until.astimezone(UTC))
    if starts_from is not None:
        query = query.filter(ends_at__gt=starts_from.astimezone(UTC))
    return await query.order_by("therapist_id", "starts_at", "id")


async def set_buffer_minutes(therapist_id: int, minutes: int) -> Therapist:
    """The new buffer follows every booking, as the slot list shows it.

    A shorter buffer gives back the cells booked sessions claimed past their new buffer, so
    the starts the slot list now offers can be booked. A longer one cannot claim more cells
    (the next booking may already hold them): booking reads it (`bookable_problem`).
    """
    therapist = await _therapist(therapist_id)
    if not 0 <= minutes <= MAX_BUFFER_MINUTES or minutes % 5:
        raise ScheduleProblems.one(
            ScheduleErrorCode.INVALID_BUFFER,
            f"A buffer is 0 to {MAX_BUFFER_MINUTES} minutes, in steps of 5.",
            "minutes",
        )
    async with transaction():
        therapist.buffer_minutes = minutes
        await therapist.save(update_fields=["buffer_minutes"])
        await _trim_claims(therapist_id, timedelta(minutes=minutes))
    return therapist


async def _trim_claims(therapist_id: int, buffer: timedelta) -> None:
    claims = await TimeClaim.filter(
        owner_kind=ClaimOwner.THERAPIST,
        owner_id=therapist_id,
        cell_start__gte=datetime.now(UTC) - timedelta(minutes=MAX_BUFFER_MINUTES),
    ).values("id", "cell_start", ends_at="appointment__ends_at")
    beyond = [row["id"] for row in claims if row["cell_start"] >= row["ends_at"] + buffer]
    if beyond:
        await TimeClaim.filter(id__in=beyond).delete()
