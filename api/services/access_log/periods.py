"""The window of time a log is read over: [start, end) in UTC, bounded.

By default the last DEFAULT_RANGE_DAYS days; at most MAX_RANGE_DAYS. A window that is inverted
or too long is a typed problem (the schema's AccessLogErrors). A moment outside
[EARLIEST, LATEST) is refused as bad input before any arithmetic: near the ends of the
calendar, the default start or the time-zone arithmetic (api/services/access_log/zones.py)
would overflow (an INTERNAL error instead of an answer), and no record access lies there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from api.errors import BadUserInput
from api.services.access_log.errors import AccessLogErrorCode as Code
from api.services.access_log.errors import AccessLogProblems
from api.services.problems import Collector

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 90
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC


def window(start: datetime | None, end: datetime | None, *, at: datetime) -> Window:
    """[start, end) in UTC: by default the last DEFAULT_RANGE_DAYS days up to `at`."""
    stop = _bounded(end, "to")
    if stop is None:
        stop = at
    begin = _bounded(start, "from")
    if begin is None:
        begin = stop - timedelta(days=DEFAULT_RANGE_DAYS)
    problems = Collector(AccessLogProblems)
    if begin > stop:
        problems.add(Code.RANGE_INVERTED, "`from` must not be later than `to`.", "from")
    elif stop - begin > timedelta(days=MAX_RANGE_DAYS):
        problems.add(
            Code.RANGE_TOO_LONG, f"Ask for at most {MAX_RANGE_DAYS} days at a time.", "from"
        )
    problems.raise_if_any()
    return Window(begin, stop)


def utc(moment: datetime) -> datetime:
    # A time without a zone is read as UTC, as the API's DateTime values are.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _bounded(moment: datetime | None, field: str) -> datetime | None:
    if moment is None:
        return None
    try:
        found = utc(moment)
    except (OverflowError, ValueError):  # 0001-01-01T00:00+01:00 is before the calendar in UTC
        found = None
    if found is None or not EARLIEST <= found < LATEST:
        raise BadUserInput(
            f"`{field}` must lie between {EARLIEST.year} and {LATEST.year}.", field=field
        )
    return found
