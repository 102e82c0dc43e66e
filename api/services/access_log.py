"""Who saw my record: a patient's record-access log, grouped so a person can read it.

Read from `RecordAccess` (one row per record read or changed through the API), grouped:
- reads under emergency access: one entry per access, with the reason the clinician gave;
- a caregiver's reads: one entry per request (no coarser), so every one of them shows;
- everyone else's routine reads (the care team, admins, the patient's own): one entry per
  person per day, the day as the patient's clock reads it.
Each entry says who (name, role), for whom a caregiver acted, what (resource types with
counts) and when (first and last access). The patient's own reads are left out unless asked.

Who may read it: the patient, a guardian acting for them (a live GUARDIAN grant) and admins.
Anyone else who reaches the record (the care team, a proxy caregiver) is FORBIDDEN; anyone who
does not reach it gets NOT_FOUND.

Statements do not grow with the rows: the patient (1), one page of groups (1), what each group
of the page read (1), the names of the people in it (1) and the reasons of its emergency
accesses (1). Groups are formed by the database, paged by their newest row's id (unique per
group, so a cursor is one integer), within a bounded window of time (the index on
`(patient_id, occurred_at)` finds its rows).

Days in the patient's time zone: the zone's UTC offset is piecewise constant over the window (a
few daylight-saving changes a year), so the SQL shifts each row by the offset of its segment
before taking the date. The same arithmetic runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise import connections

from api.access.scope import AccessScope
from api.errors import BadUserInput, Forbidden, NotFound
from api.models.accounts import Role, User
from api.models.audit import RecordAccess
from api.models.emergency_access import EmergencyAccess
from api.models.patients import Patient
from api.services.pagination import Page, decode_cursor, encode_cursor, page_size
from api.services.problems import Collector, Problems

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 90
FORMER_USER = "A former user of the portal"
_TABLE = RecordAccess._meta.db_table
_OCCURRED_AT = RecordAccess._meta.fields_map["occurred_at"]


class AccessLogErrorCode(StrEnum):
    RANGE_INVERTED = "RANGE_INVERTED"
    RANGE_TOO_LONG = "RANGE_TOO_LONG"


class AccessLogProblems(Problems[AccessLogErrorCode]):
    """Raised with every problem of the window asked for."""


class Grouping(StrEnum):
    EMERGENCY_ACCESS = "EMERGENCY_ACCESS"  # every access under one emergency access
    REQUEST = "REQUEST"  # one request (a caregiver's)
    DAY = "DAY"  # one person's routine access on one day


class AccessorRole(StrEnum):
    PATIENT = "PATIENT"
    THERAPIST = "THERAPIST"
    CAREGIVER = "CAREGIVER"
    ADMIN = "ADMIN"


_GROUPINGS = {"E": Grouping.EMERGENCY_ACCESS, "R": Grouping.REQUEST, "D": Grouping.DAY}


@dataclass(frozen=True, slots=True)
class Subject:
    """The patient whose log is read."""

    patient_id: int
    name: str
    zone: ZoneInfo


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC


@dataclass(frozen=True, slots=True)
class ResourceCount:
    resource: str  # the schema type read: "Patient", "TreatmentPlan", "StoredFile"...
    action: str  # READ, CREATE, UPDATE
    count: int


@dataclass(frozen=True, slots=True)
class Entry:
    grouping: Grouping
    who: str
    role: AccessorRole
    acting_for: str | None  # the patient's name, for a caregiver's entry
    resources: list[ResourceCount]
    count: int
    first_at: datetime
    last_at: datetime
    day: date | None  # for DAY entries, in the patient's time zone
    emergency_reason: str | None
    emergency_opened_at: datetime | None


@dataclass(frozen=True, slots=True)
class _Group:
    key: str
    last_id: int
    count: int
    first_at: datetime
    last_at: datetime
    actor_user_id: int | None
    actor_role: str
    emergency_access_id: int | None
    day: date | None


# --- who may read which log, and over which window ---------------------------------------


async def subject(scope: AccessScope, patient_id: int | None) -> Subject:
    """The patient whose log this viewer asks for (default: the one they act for, else their
    own), once they may read it. One statement."""
    scope.require_authenticated()
    if patient_id is None:
        grant = scope.caregiving
        patient_id = grant.patient_id if grant is not None else scope.patient_id
        if patient_id is None:
            raise BadUserInput("Name the patient whose access log to show.", field="patientId")
    if not scope.can_reach_patient(patient_id):
        raise NotFound("No such patient.", field="patientId")
    grant = scope.grant_for(patient_id)
    guardian = grant is not None and grant.guardian
    if not (scope.is_own_record(patient_id) or guardian or scope.is_admin):
        raise Forbidden(
            "Only the patient, their guardian and the clinic's administrators can see who "
            "opened this record."
        )
    row = (
        await Patient.filter(id=patient_id).first().values("given_name", "family_name", "time_zone")
    )
    if row is None:
        raise NotFound("No such patient.", field="patientId")
    return Subject(
        patient_id=patient_id,
        name=f"{row['given_name']} {row['family_name']}".strip(),
        zone=_zone(str(row["time_zone"])),
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def window(start: datetime | None, end: datetime | None, *, at: datetime) -> Window:
    """[start, end) in UTC: by default the last DEFAULT_RANGE_DAYS days up to `at`."""
    stop = _utc(end) if end is not None else at
    begin = _utc(start) if start is not None else stop - timedelta(days=DEFAULT_RANGE_DAYS)
    problems = Collector(AccessLogProblems)
    if begin > stop:
        problems.add(
            AccessLogErrorCode.RANGE_INVERTED, "`from` must not be later than `to`.", "from"
        )
    elif stop - begin > timedelta(days=MAX_RANGE_DAYS):
        problems.add(
            AccessLogErrorCode.RANGE_TOO_LONG,
            f"Ask for at most {MAX_RANGE_DAYS} days at a time.",
            "from",
        )
    problems.raise_if_any()
    return Window(begin, stop)


def _utc(moment: datetime) -> datetime:
    # A time without a zone is read as UTC, as the API's DateTime values are.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- reading -------------------------------------------------------------------------------


async def entries_page(
    who: Subject,
    within: Window,
    *,
    include_own: bool,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[Entry]:
    """One page of entries, newest first (by each entry's latest access)."""
    size = page_size(first, max_page_size)
    before = decode_cursor(after) if after is not None else None
    query = _Query(who, within, include_own)
    groups = await query.groups(before_id=before, limit=size + 1)
    has_next = len(groups) > size
    groups = groups[:size]
    entries = await _entries(who, query, groups, only_these=True)
    return Page(
        rows=entries,
        cursors=[encode_cursor(group.last_id) for group in groups],
        has_next_page=has_next,
        has_previous_page=after is not None,
    )


async def all_entries(who: Subject, within: Window, *, include_own: bool) -> list[Entry]:
    """Every entry of the window, newest first (the export): the same statements, unpaged."""
    query = _Query(who, within, include_own)
    return await _entries(who, query, await query.groups(), only_these=False)


async def _entries(
    who: Subject, query: _Query, groups: Sequence[_Group], *, only_these: bool
) -> list[Entry]:
    if not groups:
        return []
    breakdown = await query.breakdown(groups if only_these else None)
    actor_ids = sorted({g.actor_user_id for g in groups if g.actor_user_id is not None})
    names = {
        int(user_id): str(name)
        for user_id, name in await User.filter(id__in=actor_ids).values_list("id", "display_name")
    }
    access_ids = sorted({g.emergency_access_id for g in groups if g.emergency_access_id})
    reasons: dict[int, tuple[str, datetime]] = {}
    if access_ids:
        rows = await EmergencyAccess.filter(
            id__in=access_ids, patient_id=who.patient_id
        ).values_list("id", "reason", "opened_at")
        reasons = {int(access): (str(reason), opened) for access, reason, opened in rows}
    entries: list[Entry] = []
    for group in groups:
        grouping = _GROUPINGS[group.key[0]]
        role = _role(group.actor_role)
        reason = reasons.get(group.emergency_access_id or 0)
        entries.append(
            Entry(
                grouping=grouping,
                who=names.get(group.actor_user_id or 0, FORMER_USER),
                role=role,
                acting_for=who.name if role is AccessorRole.CAREGIVER else None,
                resources=breakdown.get(group.key, []),
                count=group.count,
                first_at=group.first_at,
                last_at=group.last_at,
                day=group.day if grouping is Grouping.DAY else None,
                emergency_reason=reason[0] if reason else None,
                emergency_opened_at=reason[1] if reason else None,
            )
        )
    return entries


def _role(value: str) -> AccessorRole:
    try:
        return AccessorRole(value)
    except ValueError:  # only the four are ever written (AccessScope.actor_role)
        return AccessorRole.ADMIN


# --- the SQL -------------------------------------------------------------------------------


class _Params:
    """Bound values, with the placeholder style of the database at hand."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.values: list[Any] = []

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else "?"


class _Query:
    """The grouping of one patient's log over one window, as SQL for SQLite or PostgreSQL."""

    def __init__(self, who: Subject, within: Window, include_own: bool) -> None:
        self.connection = connections.get("default")
        self.postgres = self.connection.capabilities.dialect == "postgres"
        self.who = who
        self.within = within
        self.include_own = include_own
        self.segments = offset_segments(who.zone, within.start, within.end)

    def _keyed(self, params: _Params, within: Window | None = None) -> str:
        """Every row of the window (or of a part of it) with its group key (`gkey`) and local
        day (`day`)."""
        within = within or self.within
        own = "" if self.include_own else f" AND actor_role <> '{Role.PATIENT.value}'"
        # Only placeholders, fixed words and integers we computed go into the text: every
        # value from a request is bound.
        rows = (
            "SELECT id, occurred_at, actor_user_id, actor_role, resource, action, "  # noqa: S608
            f"emergency_access_id, request_id, {self._day(params)} AS day "
            f'FROM "{_TABLE}" WHERE patient_id = {params.add(self.who.patient_id)} '
            f"AND occurred_at >= {params.add(within.start)} "
            f"AND occurred_at < {params.add(within.end)}{own}"
        )
        actor = "CAST(COALESCE(actor_user_id, 0) AS TEXT)"
        return (
            "SELECT id, occurred_at, actor_user_id, actor_role, resource, action, "  # noqa: S608
            "emergency_access_id, day, CASE "
            "WHEN emergency_access_id IS NOT NULL "
            "THEN 'E:' || CAST(emergency_access_id AS TEXT) "
            f"WHEN actor_role = '{Role.CAREGIVER.value}' THEN 'R:' || {actor} || ':' || "
            "CASE WHEN request_id <> '' THEN request_id ELSE '#' || CAST(id AS TEXT) END "
            f"ELSE 'D:' || {actor} || ':' || actor_role || ':' || CAST(day AS TEXT) "
            f"END AS gkey FROM ({rows}) AS dated"
        )

    def _day(self, params: _Params) -> str:
        """The row's date on the patient's clock: shift by its segment's offset, take the date."""
        *changes, (_, last_offset) = self.segments
        if self.postgres:
            cases = [
                f"WHEN occurred_at < {params.add(until)} THEN INTERVAL '{int(offset)} seconds'"
                for until, offset in changes
            ]
            shift = f"INTERVAL '{int(last_offset)} seconds'"
            if cases:
                shift = f"CASE {' '.join(cases)} ELSE {shift} END"
            return f"CAST((occurred_at AT TIME ZONE 'UTC') + {shift} AS DATE)"
        cases = [
            f"WHEN occurred_at < {params.add(until)} THEN '{int(offset):+d} seconds'"
            for until, offset in changes
        ]
        shift = f"'{int(last_offset):+d} seconds'"
        if cases:
            shift = f"CASE {' '.join(cases)} ELSE {shift} END"
        return f"date(occurred_at, {shift})"

    async def groups(
        self, *, before_id: int | None = None, limit: int | None = None
    ) -> list[_Group]:
        """The groups, newest first: those whose newest row is older than `before_id`."""
        params = _Params(self.postgres)
        sql = (
            "SELECT gkey, MAX(id) AS last_id, COUNT(*) AS total, "  # noqa: S608
            "MIN(occurred_at) AS first_at, "
            "MAX(occurred_at) AS last_at, MIN(actor_user_id) AS actor_user_id, "
            "MIN(actor_role) AS actor_role, MIN(emergency_access_id) AS emergency_access_id, "
            f"MIN(day) AS day FROM ({self._keyed(params)}) AS keyed GROUP BY gkey"
        )
        if before_id is not None:
            sql += f" HAVING MAX(id) < {params.add(before_id)}"
        sql += " ORDER BY last_id DESC"
        if limit is not None:
            sql += f" LIMIT {params.add(limit)}"
        rows = await self.connection.execute_query_dict(sql, params.values)
        return [
            _Group(
                key=str(row["gkey"]),
                last_id=int(row["last_id"]),
                count=int(row["total"]),
                first_at=_moment(row["first_at"]),
                last_at=_moment(row["last_at"]),
                actor_user_id=_int_or_none(row["actor_user_id"]),
                actor_role=str(row["actor_role"]),
                emergency_access_id=_int_or_none(row["emergency_access_id"]),
                day=_day_of(row["day"]),
            )
            for row in rows
        ]

    async def breakdown(self, groups: Sequence[_Group] | None) -> dict[str, list[ResourceCount]]:
        """What each group read: resource type and action with a count (of `groups`, or all).

        A page's groups lie between their first and last access: only those rows are read."""
        params = _Params(self.postgres)
        within = None
        if groups is not None:
            within = Window(
                min(group.first_at for group in groups),
                max(group.last_at for group in groups) + timedelta(microseconds=1),
            )
        sql = (
            "SELECT gkey, resource, action, COUNT(*) AS total "  # noqa: S608
            f"FROM ({self._keyed(params, within)}) AS keyed"
        )
        if groups is not None:
            keys = ", ".join(params.add(group.key) for group in groups)
            sql += f" WHERE gkey IN ({keys})"
        sql += " GROUP BY gkey, resource, action"
        found: dict[str, list[ResourceCount]] = {}
        for row in await self.connection.execute_query_dict(sql, params.values):
            found.setdefault(str(row["gkey"]), []).append(
                ResourceCount(str(row["resource"]), str(row["action"]), int(row["total"]))
            )
        for counts in found.values():
            counts.sort(key=lambda item: (-item.count, item.resource, item.action))
        return found


def _moment(value: Any) -> datetime:
    # PostgreSQL answers datetimes; SQLite the text Tortoise stored: the field reads both.
    moment: datetime = _OCCURRED_AT.to_python_value(value)
    return _utc(moment)


def _day_of(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def offset_segments(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offset over [start, end) as (until, seconds) pieces; the last piece's
    `until` is `end`. Found by sampling every six hours (no zone changes its offset twice in
    so short a time) and bisecting each change to the second."""

    def offset(second: int) -> int:
        moment = datetime.fromtimestamp(second, UTC).astimezone(zone)
        shift = moment.utcoffset()
        return int(shift.total_seconds()) if shift is not None else 0

    pieces: list[tuple[datetime, int]] = []
    first, last = int(start.timestamp()), int(end.timestamp()) + 1
    current = offset(first)
    probe = first
    while probe < last:
        step = min(probe + 6 * 3600, last)
        if offset(step) != current:
            low, high = probe, step  # low has the current offset, high the next
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == current:
                    low = middle
                else:
                    high = middle
            pieces.append((datetime.fromtimestamp(high, UTC), current))
            current = offset(high)
        probe = step
    pieces.append((end, current))
    return pieces


# --- the export ----------------------------------------------------------------------------

CSV_HEADER = (
    "first_access_utc",
    "last_access_utc",
    "day",
    "who",
    "role",
    "acting_for",
    "what",
    "count",
    "grouped_by",
    "emergency_reason",
    "emergency_opened_utc",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _what(resources: Iterable[ResourceCount]) -> str:
    return "; ".join(f"{item.resource} {item.action.lower()} x{item.count}" for item in resources)


def _stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def csv_document(entries: Iterable[Entry]) -> str:
    """The entries as CSV (RFC 4180, with a header row), every cell safe to open in a sheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for entry in entries:
        cells = (
            _stamp(entry.first_at),
            _stamp(entry.last_at),
            entry.day.isoformat() if entry.day is not None else "",
            entry.who,
            entry.role.value,
            entry.acting_for or "",
            _what(entry.resources),
            str(entry.count),
            entry.grouping.value,
            entry.emergency_reason or "",
            _stamp(entry.emergency_opened_at),
        )
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()
