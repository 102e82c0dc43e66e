"""The entries of a patient's access log, as a person can read them, newest first.

Grouped by the database (api/services/access_log/grouped_sql.py): reads under one emergency
access are one entry, with the reason the clinician gave; a caregiver's reads are one entry per
request (no coarser), so every one of them shows; everyone else's routine reads (the care team,
admins, the patient's own) one per person per day on the patient's clock. Each entry says who
(name, role), for whom a caregiver acted, what (resource types with counts) and when.

Statements do not grow with the rows: one page of groups (1), what those groups read (1), the
names of the people in them (1) and the reasons of their emergency accesses (1, only when there
are some).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from api.models.accounts import User
from api.models.emergency_access import EmergencyAccess
from api.services.access_log.grouped_sql import Group, GroupedLog, ResourceCount
from api.services.access_log.periods import Window
from api.services.access_log.readers import Subject
from api.services.pagination import Page, decode_cursor, encode_cursor, page_size

FORMER_USER = "A former user of the portal"


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
    log = GroupedLog(who.patient_id, who.zone, within, include_own)
    groups = await log.groups(before_id=before, limit=size + 1)
    has_next = len(groups) > size
    groups = groups[:size]
    entries = await _entries(who, log, groups, only_these=True)
    return Page(
        rows=entries,
        cursors=[encode_cursor(group.last_id) for group in groups],
        has_next_page=has_next,
        has_previous_page=after is not None,
    )


async def all_entries(who: Subject, within: Window, *, include_own: bool) -> list[Entry]:
    """Every entry of the window, newest first (the export): the same statements, unpaged."""
    log = GroupedLog(who.patient_id, who.zone, within, include_own)
    return await _entries(who, log, await log.groups(), only_these=False)


async def _entries(
    who: Subject, log: GroupedLog, groups: Sequence[Group], *, only_these: bool
) -> list[Entry]:
    if not groups:
        return []
    breakdown = await log.breakdown(groups if only_these else None)
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
