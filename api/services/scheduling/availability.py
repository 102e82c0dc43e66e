"""When a therapist can be booked: weekly hours and extra hours, minus time off and bookings.

Hours are wall-clock times of a zone (the location's, or the therapist's own for telehealth).
Each local date's window becomes a pair of UTC instants, and slots step through that interval
in real minutes from its start: across a DST change the window keeps its local 09:00 start and
a window spanning the skipped or repeated hour yields every real quarter hour once (no wall
time is produced twice, none that does not exist).

A booking occupies its session plus the therapist's current buffer after it: a slot is free
when its own [start, end + buffer) meets no busy booking's [start, end + buffer). A booking
claims those cells (`TimeClaim`); one claimed under an older buffer is held to the current
one by `bookable_problem` (longer) and by `hours.set_buffer_minutes` (shorter). The session
itself must fit in its window; the buffer may run past the window's end (the therapist's own
time).

`free_slots` reads in at most four statements whatever the number of therapists and days:
therapists (with the session type folded in when given by code or id), weekly hours (with their
location joined), exceptions, busy bookings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q, Subquery

from api.loaders.therapists import therapist_columns
from api.models.patients import CareTeamMember
from api.models.scheduling import (
    Appointment,
    AppointmentStatus,
    ExceptionKind,
    ScheduleException,
    SessionType,
    WeeklyHours,
)
from api.models.therapists import (
    Location,
    Specialty,
    Therapist,
    TherapistLocation,
    TherapistSpecialty,
)
from api.services.scheduling.hours import MAX_BUFFER_MINUTES
from api.settings import Settings

BUSY_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED)


@dataclass(frozen=True, slots=True)
class SlotQuery:
    """What to look for. Instants are UTC-aware; a slot *starts* in [starts_from, until).

    `session_type` is a SessionType already read, or its code (str) or id (int): then it is
    read in the therapists' statement. `telehealth`: True only online, False only in person,
    None either. `care_team_of`: a patient whose care team is offered even when unlisted or not
    accepting new patients (the viewer's own therapists). `therapist_ids`: None means every
    therapist matching the rest.
    """

    session_type: SessionType | str | int
    starts_from: datetime
    until: datetime
    therapist_ids: Sequence[int] | None = None
    specialty: Specialty | None = None
    location_id: int | None = None
    telehealth: bool | None = None
    care_team_of: int | None = None
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    therapist_id: int
    starts_at: datetime
    ends_at: datetime
    location_id: int | None
    telehealth: bool


@dataclass(frozen=True, slots=True)
class SlotSearch:
    """Slots with what was read to find them, so the API answers without reading again."""

    session_type: SessionType | None  # None: the code or id named no session type
    slots: list[Slot]
    therapists: list[dict[str, Any]] = field(default_factory=list)  # directory rows
    locations: dict[int, Location] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Window:
    therapist_id: int
    starts_at: datetime
    ends_at: datetime
    location_id: int | None


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("scheduling works with aware datetimes only")
    return moment.astimezone(UTC)


def local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of `minute` after local midnight of `day` (24:00 is the next midnight).

    A wall time skipped by DST is read with the offset before the change (fold=0), which
    lands it after the gap; a repeated one means its first occurrence.
    """
    if minute >= 24 * 60:
        day, minute = day + timedelta(days=1), minute - 24 * 60
    wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return wall.astimezone(UTC)


def expand_weekly(
    rows: Iterable[dict[str, Any]],
    starts_from: datetime,
    until: datetime,
) -> list[_Window]:
    """Weekly-hours rows as UTC windows meeting [starts_from, until).

    Each row needs therapist_id, location_id, weekday, start_minute, end_minute, valid_from,
    valid_until and `zone` (an IANA name).
    """
    windows: list[_Window] = []
    for row in rows:
        zone = ZoneInfo(row["zone"])
        first = starts_from.astimezone(zone).date() - timedelta(days=1)
        last = until.astimezone(zone).date()
        offset = (row["weekday"] - first.weekday()) % 7
        day = first + timedelta(days=offset)
        while day <= last:
            valid_from, valid_until = row["valid_from"], row["valid_until"]
            if (valid_from is None or day >= valid_from) and (
                valid_until is None or day <= valid_until
            ):
                start = local_instant(day, row["start_minute"], zone)
                end = local_instant(day, row["end_minute"], zone)
                if start < until and end > starts_from and start < end:
                    windows.append(_Window(row["therapist_id"], start, end, row["location_id"]))
            day += timedelta(days=7)
    return windows


def _overlaps(start: datetime, end: datetime, spans: Sequence[tuple[datetime, datetime]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def _slots_in(
    window: _Window,
    *,
    duration: timedelta,
    step: timedelta,
    buffer: timedelta,
    earliest: datetime,
    latest: datetime,
    time_off: Sequence[tuple[datetime, datetime]],
    busy: Sequence[tuple[datetime, datetime]],
) -> Iterable[Slot]:
    start = window.starts_at
    if start < earliest:
        # Jump to the first grid point at or after `earliest`, keeping the window's grid.
        steps = -(-(earliest - start) // step)
        start = start + step * steps
    while start + duration <= window.ends_at and start < latest:
        end = start + duration
        if not _overlaps(start, end, time_off) and not _overlaps(start, end + buffer, busy):
            yield Slot(
                therapist_id=window.therapist_id,
                starts_at=start,
                ends_at=end,
                location_id=window.location_id,
                telehealth=window.location_id is None,
            )
        start += step


def _session_type_columns(lookup: str | int) -> dict[str, Any]:
    """Scalar subqueries reading one session type inside another statement."""
    by = {"code": lookup} if isinstance(lookup, str) else {"id": lookup}
    return {
        f"st_{column}": Subquery(SessionType.filter(**by).values(column))
        for column in (
            "id",
            "code",
            "name",
            "description",
            "duration_minutes",
            "telehealth_allowed",
            "active",
            "sort_order",
        )
    }


def _session_type_from(row: dict[str, Any]) -> SessionType | None:
    if row.get("st_id") is None:
        return None
    session_type = SessionType(
        id=int(row["st_id"]),
        code=str(row["st_code"]),
        name=str(row["st_name"]),
        description=str(row["st_description"]),
        duration_minutes=int(row["st_duration_minutes"]),
        telehealth_allowed=bool(row["st_telehealth_allowed"]),
        active=bool(row["st_active"]),
        sort_order=int(row["st_sort_order"]),
    )
    session_type._saved_in_db = True
    return session_type


# The directory row (the answer's Therapist field is built from it) plus what slots need.
_THERAPIST_VALUES = {
    **therapist_columns(),
    "buffer_minutes": "buffer_minutes",
    "time_zone": "time_zone",
}

_LOCATION_FIELDS = (
    "id",
    "name",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "time_zone",
    "phone",
)


async def find_slots(settings: Settings, query: SlotQuery) -> SlotSearch:
    """Free slots and the rows read to find them; at most four statements."""
    now = utc(query.now or datetime.now(UTC))
    earliest = max(utc(query.starts_from), now + timedelta(minutes=settings.booking_lead_minutes))
    latest = min(utc(query.until), now + timedelta(days=settings.booking_horizon_days))

    # (1) therapists matching the filter, with the session type when named by code or id.
    therapists_q = Therapist.all()
    if query.therapist_ids is not None:
        therapists_q = therapists_q.filter(id__in=list(query.therapist_ids))
    open_to_patients = Q(listed=True, accepting_new_patients=True)
    if query.care_team_of is not None:
        own = CareTeamMember.filter(patient_id=query.care_team_of, ended_at=None)
        open_to_patients = open_to_patients | Q(id__in=Subquery(own.values("therapist_id")))
    therapists_q = therapists_q.filter(open_to_patients)
    if query.specialty is not None:
        therapists_q = therapists_q.filter(
            id__in=Subquery(
                TherapistSpecialty.filter(specialty=query.specialty).values("therapist_id")
            )
        )
    if query.location_id is not None:
        therapists_q = therapists_q.filter(
            id__in=Subquery(
                TherapistLocation.filter(location_id=query.location_id).values("therapist_id")
            )
        )
    if query.telehealth is True:
        therapists_q = therapists_q.filter(telehealth=True)
    folded = not isinstance(query.session_type, SessionType)
    if folded:
        therapists_q = therapists_q.annotate(**_session_type_columns(query.session_type))  # type: ignore[arg-type]
    columns: list[str] = list(_session_type_columns(0)) if folded else []
    rows = await therapists_q.order_by("id").values(*columns, **_THERAPIST_VALUES)

    if isinstance(query.session_type, SessionType):
        session_type: SessionType | None = query.session_type
    elif rows:
        session_type = _session_type_from(rows[0])
    else:
        # Nobody matched: the only read left is whether the session type exists at all.
        lookup = query.session_type
        session_type = await SessionType.get_or_none(
            **({"code": lookup} if isinstance(lookup, str) else {"id": lookup})
        )
    for row in rows:
        for column in columns:
            row.pop(column, None)
    if session_type is None or not session_type.active or not rows or earliest >= latest:
        return SlotSearch(session_type=session_type, slots=[], therapists=rows)

    online_ok = session_type.telehealth_allowed and query.telehealth is not False
    in_person_ok = query.telehealth is not True
    therapists = {int(row["id"]): row for row in rows}
    ids = list(therapists)
    duration = timedelta(minutes=session_type.duration_minutes)

    # (2) weekly hours, with each location's row joined (its zone, and the answer's Location).
    hours_q = WeeklyHours.filter(therapist_id__in=ids)
    if query.location_id is not None:
        hours_q = hours_q.filter(location_id=query.location_id)
    if not online_ok:
        hours_q = hours_q.filter(location_id__isnull=False)
    if not in_person_ok:
        hours_q = hours_q.filter(location_id__isnull=True)
    location_paths = {f"loc_{name}": f"location__{name}" for name in _LOCATION_FIELDS}
    hour_rows = await hours_q.values(
        "therapist_id",
        "location_id",
        "weekday",
        "start_minute",
        "end_minute",
        "valid_from",
        "valid_until",
        **location_paths,
    )
    locations: dict[int, Location] = {}
    for row in hour_rows:
        therapist = therapists[int(row["therapist_id"])]
        if row["location_id"] is None:
            row["zone"] = therapist["time_zone"]
            if not therapist["telehealth"]:
                row["zone"] = None  # hours kept from before telehealth was switched off
        else:
            row["zone"] = row["loc_time_zone"]
            if row["location_id"] not in locations:
                location = Location(**{name: row[f"loc_{name}"] for name in _LOCATION_FIELDS})
                location._saved_in_db = True
                locations[int(row["location_id"])] = location
    windows = expand_weekly([row for row in hour_rows if row["zone"]], earliest, latest)

    # (3) exceptions meeting the window: time off, and extra hours where asked.
    exception_rows = await ScheduleException.filter(
        therapist_id__in=ids, starts_at__lt=latest + duration, ends_at__gt=earliest
    ).values("therapist_id", "kind", "starts_at", "ends_at", "location_id")
    time_off: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for row in exception_rows:
        therapist_id = int(row["therapist_id"])
        span = (utc(row["starts_at"]), utc(row["ends_at"]))
        if row["kind"] == ExceptionKind.TIME_OFF:
            time_off[therapist_id].append(span)
            continue
        location_id = row["location_id"]
        if query.location_id is not None and location_id != query.location_id:
            continue
        if location_id is None and not (online_ok and therapists[therapist_id]["telehealth"]):
            continue
        if location_id is not None and not in_person_ok:
            continue
        windows.append(_Window(therapist_id, span[0], span[1], location_id))

    # (4) bookings that keep the therapist busy, with the buffer after each.
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    reach = timedelta(minutes=MAX_BUFFER_MINUTES)
    busy_rows = await Appointment.filter(
        therapist_id__in=ids,
        status__in=list(BUSY_STATUSES),
        starts_at__lt=latest + duration + reach,
        ends_at__gt=earliest - reach,
    ).values("therapist_id", "starts_at", "ends_at")
    for row in busy_rows:
        therapist_id = int(row["therapist_id"])
        buffer = timedelta(minutes=therapists[therapist_id]["buffer_minutes"])
        busy[therapist_id].append((utc(row["starts_at"]), utc(row["ends_at"]) + buffer))

    step = timedelta(minutes=settings.slot_step_minutes)
    found: dict[tuple[int, datetime, int | None], Slot] = {}
    for window in windows:
        for slot in _slots_in(
            window,
            duration=duration,
            step=step,
            buffer=timedelta(minutes=therapists[window.therapist_id]["buffer_minutes"]),
            earliest=earliest,
            latest=latest,
            time_off=time_off[window.therapist_id],
            busy=busy[window.therapist_id],
        ):
            found.setdefault((slot.therapist_id, slot.starts_at, slot.location_id), slot)
    slots = sorted(found.values(), key=lambda s: (s.starts_at, s.therapist_id, s.location_id or 0))
    return SlotSearch(session_type=session_type, slots=slots, therapists=rows, locations=locations)


async def free_slots(settings: Settings, query: SlotQuery) -> list[Slot]:
    """Free slots matching the query, ordered by start (then therapist)."""
    return (await find_slots(settings, query)).slots


async def bookable_problem(
    settings: Settings,
    *,
    therapist_id: int,
    session_type: SessionType,
    location_id: int | None,
    telehealth: bool,
    starts_at: datetime,
    now: datetime,
    replacing: int | None = None,
) -> str | None:
    """None when this start lies in the therapist's hours for that place; else why not.

    Races between bookings are the time claims' to decide. What the claims cannot see is the
    therapist's current buffer after a booking that claimed its cells under a shorter one:
    that is read here (as `find_slots` applies it), so a start the slot list hides is refused.
    `replacing` is the booking being moved, which does not stand in its own way.
    """
    starts_at, now = utc(starts_at), utc(now)
    if not session_type.active:
        return "This session type is no longer offered."
    if telehealth and not session_type.telehealth_allowed:
        return "This session type is not offered by video."
    if telehealth and location_id is not None:
        return "Choose a location or telehealth, not both."
    if not telehealth and location_id is None:
        return "Choose a location or telehealth."
    if starts_at < now + timedelta(minutes=settings.booking_lead_minutes):
        hours = settings.booking_lead_minutes / 60
        return f"Sessions can be booked at least {hours:g} hours ahead."
    if starts_at > now + timedelta(days=settings.booking_horizon_days):
        return f"Sessions can be booked at most {settings.booking_horizon_days} days ahead."
    therapist = await Therapist.get_or_none(id=therapist_id).values(
        "telehealth", "time_zone", "buffer_minutes"
    )
    if therapist is None:
        return "This therapist cannot be booked."
    if telehealth and not therapist["telehealth"]:
        return "This therapist does not offer telehealth."
    duration = timedelta(minutes=session_type.duration_minutes)
    ends_at = starts_at + duration
    hour_rows = await WeeklyHours.filter(therapist_id=therapist_id, location_id=location_id).values(
        "therapist_id",
        "location_id",
        "weekday",
        "start_minute",
        "end_minute",
        "valid_from",
        "valid_until",
        loc_zone="location__time_zone",
    )
    for row in hour_rows:
        row["zone"] = therapist["time_zone"] if row["location_id"] is None else row["loc_zone"]
    day = timedelta(days=1)
    windows = expand_weekly(hour_rows, starts_at - day, starts_at + day)
    exceptions = await ScheduleException.filter(
        therapist_id=therapist_id, starts_at__lt=ends_at + day, ends_at__gt=starts_at - day
    ).values("kind", "starts_at", "ends_at", "location_id")
    for row in exceptions:
        if row["kind"] == ExceptionKind.EXTRA_HOURS and row["location_id"] == location_id:
            windows.append(
                _Window(therapist_id, utc(row["starts_at"]), utc(row["ends_at"]), location_id)
            )
    step = timedelta(minutes=settings.slot_step_minutes)
    inside = [w for w in windows if w.starts_at <= starts_at and ends_at <= w.ends_at]
    if not inside:
        return "The therapist does not work at that time and place."
    if not any((starts_at - w.starts_at) % step == timedelta(0) for w in inside):
        return f"Sessions start on the {settings.slot_step_minutes}-minute grid of the hours."
    for row in exceptions:
        if row["kind"] == ExceptionKind.TIME_OFF and _overlaps(
            starts_at, ends_at, [(utc(row["starts_at"]), utc(row["ends_at"]))]
        ):
            return "The therapist is away at that time."
    buffer = timedelta(minutes=int(therapist["buffer_minutes"]))
    neighbours = Appointment.filter(
        therapist_id=therapist_id,
        status__in=list(BUSY_STATUSES),
        starts_at__lt=ends_at + buffer,
        ends_at__gt=starts_at - buffer,
    )
    if replacing is not None:
        neighbours = neighbours.exclude(id=replacing)
    for row in await neighbours.values("starts_at", "ends_at"):
        if _overlaps(
            starts_at, ends_at + buffer, [(utc(row["starts_at"]), utc(row["ends_at"]) + buffer)]
        ):
            return "This time is no longer free. Please choose another."
    return None
