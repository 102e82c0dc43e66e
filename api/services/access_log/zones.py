"""Days on the patient's clock: their time zone, and its UTC offset over a window.

The offset is piecewise constant over any window (a few daylight-saving changes a year), so
the log's SQL shifts each row by the offset of its piece before taking the date
(api/services/access_log/grouped_sql.py). Zones whose change is not a whole hour (Lord Howe
Island's half hour) work the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SAMPLE_SECONDS = 6 * 3600  # no zone changes its offset twice within six hours


def zone_named(name: str) -> ZoneInfo:
    """The zone, or UTC for a name this machine does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def offset_segments(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offset over [start, end) as (until, seconds) pieces; the last piece's
    `until` is `end`. Found by sampling every six hours and bisecting each change to the
    second."""

    def offset(second: int) -> int:
        moment = datetime.fromtimestamp(second, UTC).astimezone(zone)
        shift = moment.utcoffset()
        return int(shift.total_seconds()) if shift is not None else 0

    pieces: list[tuple[datetime, int]] = []
    first, last = int(start.timestamp()), int(end.timestamp()) + 1
    current = offset(first)
    probe = first
    while probe < last:
        step = min(probe + SAMPLE_SECONDS, last)
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
