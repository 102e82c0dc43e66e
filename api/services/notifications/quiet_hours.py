"""Quiet hours: wall-clock times in the user's own time zone when non-urgent email, SMS and push
wait. A window may span midnight (22:00 to 07:00). Times are wall-clock times, so across a
daylight-saving change the window is an hour shorter or longer in real time, as a clock shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.models.accounts import User
from api.models.notifications import QuietHours
from api.services.notifications.errors import NotificationErrorCode, fail


def _stored(value: time) -> int:
    """Minutes after midnight: how a wall-clock time is kept (see the model)."""
    return value.hour * 60 + value.minute


def _wall(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@dataclass(frozen=True, slots=True)
class Window:
    starts: time
    ends: time
    time_zone: str

    def contains(self, local: time) -> bool:
        if self.starts < self.ends:
            return self.starts <= local < self.ends
        return local >= self.starts or local < self.ends  # spans midnight

    def release_at(self, moment: datetime) -> datetime | None:
        """When a delivery made at `moment` may go: None when that is now (outside the window)."""
        zone = zone_of(self.time_zone)
        local = moment.astimezone(zone)
        if not self.contains(local.time().replace(tzinfo=None)):
            return None
        day: date = local.date()
        if self.starts > self.ends and local.time().replace(tzinfo=None) >= self.starts:
            day = day + timedelta(days=1)  # the evening part: the window ends tomorrow
        # fold=0: an end time that a clock change skips lands just after the gap, and one that
        # happens twice ends at its first occurrence.
        end = datetime.combine(day, self.ends, tzinfo=zone).astimezone(UTC)
        return end if end > moment else None


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a zone name the system no longer knows: UTC, not a crash


def _minute(value: time) -> time:
    return value.replace(second=0, microsecond=0, tzinfo=None)


async def get(user_id: int) -> Window | None:
    row = await QuietHours.get_or_none(user_id=user_id)
    if row is None:
        return None
    zone = await User.filter(id=user_id).values_list("time_zone", flat=True)
    return Window(_wall(row.starts_minute), _wall(row.ends_minute), str(zone[0]) if zone else "UTC")


async def windows_for(user_ids: Iterable[int], zones: dict[int, str]) -> dict[int, Window]:
    """The quiet hours of these users in one statement (`zones`: each user's time zone)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = await QuietHours.filter(user_id__in=ids).values_list(
        "user_id", "starts_minute", "ends_minute"
    )
    return {
        int(user_id): Window(_wall(starts), _wall(ends), zones.get(int(user_id), "UTC"))
        for user_id, starts, ends in rows
    }


async def set_window(user_id: int, starts: time, ends: time) -> Window:
    starts, ends = _minute(starts), _minute(ends)
    if starts == ends:
        raise fail(
            NotificationErrorCode.QUIET_HOURS_EMPTY,
            "Quiet hours need different start and end times.",
            "ends",
        )
    at = datetime.now(UTC)
    updated = await QuietHours.filter(user_id=user_id).update(
        starts_minute=_stored(starts), ends_minute=_stored(ends), updated_at=at
    )
    if not updated:
        await QuietHours.bulk_create(
            [
                QuietHours(
                    user_id=user_id,
                    starts_minute=_stored(starts),
                    ends_minute=_stored(ends),
                    updated_at=at,
                )
            ],
            on_conflict=["user_id"],
            update_fields=["starts_minute", "ends_minute", "updated_at"],
        )
    window = await get(user_id)
    assert window is not None
    return window


async def clear(user_id: int) -> bool:
    """Removes the user's quiet hours; whether there were any."""
    return await QuietHours.filter(user_id=user_id).delete() > 0
