"""The response promise in business hours: clinic zone, business days, holidays, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from api.services.messaging.business_hours import BusinessCalendar, add_business_hours
from tests.conftest import make_settings

NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = frozenset({0, 1, 2, 3, 4})


def calendar(holidays: frozenset[date] = frozenset()) -> BusinessCalendar:
    return BusinessCalendar(
        zone=NEW_YORK, opens=time(8), closes=time(18), days=WEEKDAYS, holidays=holidays
    )


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def in_new_york(moment: datetime) -> datetime:
    assert moment.tzinfo is not None
    return moment.astimezone(NEW_YORK)


def test_a_friday_afternoon_message_is_due_on_wednesday_morning() -> None:
    # Friday 15:00-18:00 (3 h), Monday (10 h), Tuesday (10 h), then 1 h on Wednesday.
    due = add_business_hours(local(2026, 11, 20, 15), 24, calendar())
    assert in_new_york(due) == local(2026, 11, 25, 9)
    assert due.tzinfo is UTC


def test_a_message_at_night_starts_counting_at_the_next_opening() -> None:
    # Tuesday 22:00: Wednesday and Thursday (20 h), then 4 h on Friday.
    due = add_business_hours(local(2026, 11, 17, 22), 24, calendar())
    assert in_new_york(due) == local(2026, 11, 20, 12)


def test_a_message_before_opening_counts_from_opening() -> None:
    due = add_business_hours(local(2026, 11, 17, 6, 30), 2, calendar())
    assert in_new_york(due) == local(2026, 11, 17, 10)


def test_a_weekend_message_starts_on_monday() -> None:
    due = add_business_hours(local(2026, 11, 21, 11), 3, calendar())
    assert in_new_york(due) == local(2026, 11, 23, 11)


def test_a_promise_ending_at_closing_time_ends_then() -> None:
    due = add_business_hours(local(2026, 11, 17, 8), 10, calendar())
    assert in_new_york(due) == local(2026, 11, 17, 18)


def test_holidays_are_skipped() -> None:
    thanksgiving = date(2026, 11, 26)
    friday_after = date(2026, 11, 27)
    # Wednesday 16:00: 2 h, Thursday and Friday closed, Monday 10 h, Tuesday 10 h, Wed 2 h.
    due = add_business_hours(
        local(2026, 11, 25, 16), 24, calendar(frozenset({thanksgiving, friday_after}))
    )
    assert in_new_york(due) == local(2026, 12, 2, 10)


def test_across_the_spring_dst_change_in_new_york() -> None:
    # DST starts Sunday 8 March 2026. Friday 15:00 EST (UTC-5) -> Wednesday 09:00 EDT (UTC-4).
    start = local(2026, 3, 6, 15)
    due = add_business_hours(start, 24, calendar())
    assert in_new_york(due) == local(2026, 3, 11, 9)
    assert due == datetime(2026, 3, 11, 13, tzinfo=UTC)
    assert start.utcoffset() == timedelta(hours=-5)
    # Naive UTC arithmetic would be an hour off: the wall clock moved, the promise did not.
    assert due - start.astimezone(UTC) == timedelta(days=4, hours=17)


def test_across_the_autumn_dst_change_in_new_york() -> None:
    # DST ends Sunday 1 November 2026. Friday 15:00 EDT (UTC-4) -> Wednesday 09:00 EST (UTC-5).
    start = local(2026, 10, 30, 15)
    due = add_business_hours(start, 24, calendar())
    assert in_new_york(due) == local(2026, 11, 4, 9)
    assert due == datetime(2026, 11, 4, 14, tzinfo=UTC)
    # Four days and 18 wall-clock hours, plus the hour the clocks gave back.
    assert due - start.astimezone(UTC) == timedelta(days=4, hours=19)


def test_hours_inside_a_window_that_contains_the_clock_change_are_real_hours() -> None:
    # A clinic open around the clock on Sundays: 8 March 2026 has 23 hours in New York.
    always = BusinessCalendar(
        zone=NEW_YORK,
        opens=time(0),
        closes=time(23, 59),
        days=frozenset({6}),
        holidays=frozenset(),
    )
    start = local(2026, 3, 8, 0)
    due = add_business_hours(start, 4, always)
    assert due - start.astimezone(UTC) == timedelta(hours=4)
    assert in_new_york(due) == local(2026, 3, 8, 5)  # 02:00-03:00 never happened


def test_a_calendar_without_business_days_is_refused() -> None:
    closed = BusinessCalendar(
        zone=NEW_YORK, opens=time(8), closes=time(18), days=frozenset(), holidays=frozenset()
    )
    with pytest.raises(ValueError, match="no business hours"):
        add_business_hours(local(2026, 11, 17, 9), 1, closed)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_hours(datetime(2026, 11, 17, 9), 1, calendar())


def test_the_calendar_comes_from_the_settings() -> None:
    settings = make_settings(
        clinic_time_zone="Europe/Berlin",
        business_hours_start=time(9),
        business_hours_end=time(17),
        business_days=(0, 1, 2, 3),
        clinic_holidays=(date(2026, 12, 24),),
    )
    built = BusinessCalendar.from_settings(settings)
    assert built.zone == ZoneInfo("Europe/Berlin")
    assert (built.opens, built.closes) == (time(9), time(17))
    assert built.days == frozenset({0, 1, 2, 3})
    assert not built.is_open_on(date(2026, 12, 24))
    # Thursday 16:00 Berlin: 1 h, Friday closed (4-day week), Monday 09:00 + 1 h.
    start = datetime(2026, 11, 19, 16, tzinfo=ZoneInfo("Europe/Berlin"))
    due = add_business_hours(start, 2, built)
    assert due.astimezone(ZoneInfo("Europe/Berlin")) == datetime(
        2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Berlin")
    )
