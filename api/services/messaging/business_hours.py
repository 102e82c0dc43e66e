"""Adding business hours to a moment: the clinic's response promise, counted in its own clock.

Hours are counted only inside each business day's window (local wall time in the clinic's zone,
on business days that are not holidays). Each window's ends are turned into UTC on their own
day, so a window on either side of a DST change starts and ends at the local times it names,
and the time counted inside a window is real elapsed time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from api.settings import Settings

# Ten years of calendar days: far beyond any promise; stops a calendar with no open day.
_MAX_DAYS = 3660


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    zone: ZoneInfo
    opens: time
    closes: time
    days: frozenset[int]  # date.weekday(): Monday is 0
    holidays: frozenset[date]

    @classmethod
    def from_settings(cls, settings: Settings) -> BusinessCalendar:
        return cls(
            zone=settings.clinic_zone,
            opens=settings.business_hours_start,
            closes=settings.business_hours_end,
            days=frozenset(settings.business_days),
            holidays=frozenset(settings.clinic_holidays),
        )

    def is_open_on(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The day's opening hours as UTC moments."""
        start = datetime.combine(day, self.opens, tzinfo=self.zone).astimezone(UTC)
        end = datetime.combine(day, self.closes, tzinfo=self.zone).astimezone(UTC)
        return start, end


def add_business_hours(start: datetime, hours: float, calendar: BusinessCalendar) -> datetime:
    """The UTC moment `hours` business hours after `start` (an aware datetime).

    A promise that runs out exactly at closing time ends then, not at the next opening.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if hours < 0:
        raise ValueError("hours must not be negative")
    remaining = timedelta(hours=hours)
    cursor = start.astimezone(UTC)
    day = cursor.astimezone(calendar.zone).date()
    for _ in range(_MAX_DAYS):
        if calendar.is_open_on(day):
            opens, closes = calendar.window(day)
            begin = max(cursor, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("the clinic calendar has no business hours")
