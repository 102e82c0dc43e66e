"""The SQL that groups one patient's record accesses over one window, on SQLite and PostgreSQL.

Each row gets a group key (`gkey`) and its local day; the database groups, counts and pages:
- `E:<access id>`: every row read under one emergency access;
- `R:<user>:<request id>`: one request of a caregiver (a row without a request id is its own);
- `D:<user>:<role>:<day>`: one person's routine access on one day of the patient's clock.
Groups are paged by their newest row's id (unique per group, so a cursor is one integer).

Only placeholders, fixed words and integers computed here go into the text: every value from a
request or from a stored row (ids, moments, group keys built from request ids) is bound, in
the placeholder style of the database at hand (`?` for SQLite, `$n` for asyncpg).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import connections

from api.models.accounts import Role
from api.models.audit import RecordAccess
from api.services.access_log.periods import Window, utc
from api.services.access_log.zones import offset_segments

_TABLE = RecordAccess._meta.db_table
_OCCURRED_AT = RecordAccess._meta.fields_map["occurred_at"]


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    last_id: int
    count: int
    first_at: datetime
    last_at: datetime
    actor_user_id: int | None
    actor_role: str
    emergency_access_id: int | None
    day: date | None


@dataclass(frozen=True, slots=True)
class ResourceCount:
    resource: str  # the schema type read: "Patient", "TreatmentPlan", "StoredFile"...
    action: str  # READ, CREATE, UPDATE
    count: int


class _Params:
    """Bound values, with the placeholder style of the database at hand."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.values: list[Any] = []

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else "?"


class GroupedLog:
    """The grouping of one patient's log over one window."""

    def __init__(self, patient_id: int, zone: ZoneInfo, within: Window, include_own: bool) -> None:
        self.connection = connections.get("default")
        self.postgres = self.connection.capabilities.dialect == "postgres"
        self.patient_id = patient_id
        self.within = within
        self.include_own = include_own
        self.segments = offset_segments(zone, within.start, within.end)

    async def groups(
        self, *, before_id: int | None = None, limit: int | None = None
    ) -> list[Group]:
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
            Group(
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

    async def breakdown(self, groups: Sequence[Group] | None) -> dict[str, list[ResourceCount]]:
        """What each group read: resource type and action with a count (of `groups`, or all),
        the most often first. A page's groups lie between their first and last access: only
        those rows are read."""
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

    def _keyed(self, params: _Params, within: Window | None = None) -> str:
        """Every row of the window (or of a part of it) with its group key and local day."""
        within = within or self.within
        own = "" if self.include_own else f" AND actor_role <> '{Role.PATIENT.value}'"
        rows = (
            "SELECT id, occurred_at, actor_user_id, actor_role, resource, action, "  # noqa: S608
            f"emergency_access_id, request_id, {self._day(params)} AS day "
            f'FROM "{_TABLE}" WHERE patient_id = {params.add(self.patient_id)} '
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


def _moment(value: Any) -> datetime:
    # PostgreSQL answers datetimes; SQLite the text Tortoise stored: the field reads both.
    moment: datetime = _OCCURRED_AT.to_python_value(value)
    return utc(moment)


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
