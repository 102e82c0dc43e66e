"""Slots across DST changes (New York and London), and shown in other zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from api.services.scheduling.availability import SlotQuery, free_slots
from api.settings import Settings
from tests.clinical_support import make_location, make_therapist
from tests.scheduling_support import give_hours, make_session_types

# (zone, the Sunday of the change, hours shift of UTC instants on the Monday after)
CHANGES = [
    ("America/New_York", date(2031, 3, 9), -1),  # spring forward: EST -> EDT
    ("America/New_York", date(2031, 11, 2), 1),  # fall back: EDT -> EST
    ("Europe/London", date(2031, 3, 30), -1),  # GMT -> BST
    ("Europe/London", date(2031, 10, 26), 1),  # BST -> GMT
]


async def _slots(settings: Settings, zone: str, day: date, start: str, end: str) -> list[datetime]:
    types = await make_session_types()
    _, therapist = await make_therapist()
    location = await make_location(time_zone=zone)
    await give_hours(therapist, location, weekdays=range(7), start=start, end=end)
    local = ZoneInfo(zone)
    begin = datetime.combine(day - timedelta(days=1), datetime.min.time(), local)
    query = SlotQuery(
        session_type=types["follow_up"],
        starts_from=begin,
        until=begin + timedelta(days=3),
        now=begin - timedelta(days=7),
    )
    return [slot.starts_at for slot in await free_slots(settings, query)]


@pytest.mark.parametrize(("zone", "sunday", "shift"), CHANGES)
async def test_morning_hours_keep_local_nine_across_change(
    database: None, settings: Settings, zone: str, sunday: date, shift: int
) -> None:
    starts = await _slots(settings, zone, sunday, "09:00", "12:00")
    local = ZoneInfo(zone)
    by_day: dict[date, list[datetime]] = {}
    for start in starts:
        by_day.setdefault(start.astimezone(local).date(), []).append(start)
    saturday, monday = sunday - timedelta(days=1), sunday + timedelta(days=1)
    assert sorted(by_day) == [saturday, sunday, monday]
    for instants in by_day.values():
        assert [i.astimezone(local).strftime("%H:%M") for i in instants][:2] == ["09:00", "09:15"]
        assert len(instants) == 10  # 09:00..11:15 for a 45-minute session
    # The same local 09:00 is an hour earlier or later in UTC once the clocks changed.
    saturday_nine = by_day[saturday][0].astimezone(UTC)
    monday_nine = by_day[monday][0].astimezone(UTC)
    assert monday_nine - saturday_nine == timedelta(days=2, hours=shift)


@pytest.mark.parametrize(("zone", "sunday", "shift"), CHANGES)
async def test_window_spanning_the_changed_hour(
    database: None, settings: Settings, zone: str, sunday: date, shift: int
) -> None:
    # 00:00-05:00 local holds the skipped or repeated hour in both zones.
    starts = await _slots(settings, zone, sunday, "00:00", "05:00")
    local = ZoneInfo(zone)
    on_sunday = [s for s in starts if s.astimezone(local).date() == sunday]
    assert len(set(on_sunday)) == len(on_sunday)  # no instant twice
    gaps = {b - a for a, b in pairwise(on_sunday)}
    assert gaps == {timedelta(minutes=15)}  # no missing quarter hour of real time
    real_hours = 5 + shift  # the window lasts 4 real hours in spring, 6 in autumn
    # Every quarter hour whose 45-minute session ends by the window end.
    assert len(on_sunday) == real_hours * 4 - 2
    walls = [s.astimezone(local) for s in on_sunday]
    assert walls[0].strftime("%H:%M") == "00:00"
    assert walls[-1].strftime("%H:%M") == "04:15"
    if shift > 0:  # the repeated hour appears twice with different offsets
        repeated = [w for w in walls if w.hour == 1]
        assert len({w.utcoffset() for w in repeated}) == 2
    else:  # no wall time inside the skipped hour
        skipped_hour = 2 if zone == "America/New_York" else 1
        assert all(w.hour != skipped_hour for w in walls)


async def test_slots_shown_in_another_zone(database: None, settings: Settings) -> None:
    starts = await _slots(settings, "America/New_York", date(2031, 3, 9), "09:00", "12:00")
    monday = [s for s in starts if s.astimezone(ZoneInfo("America/New_York")).day == 10]
    # Monday 10 March 2031: New York is on EDT (UTC-4), London still on GMT: 13:00 there.
    assert monday[0].astimezone(ZoneInfo("Europe/London")).strftime("%H:%M%z") == "13:00+0000"
    assert monday[0].astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M%z") == "22:00+0900"
