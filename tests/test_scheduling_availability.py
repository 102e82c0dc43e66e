"""Availability at the service level: windows, grid, lead time, horizon, exceptions, bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.models.scheduling import Appointment, AppointmentStatus, ExceptionKind, ScheduleException
from api.services.scheduling.availability import SlotQuery, bookable_problem, free_slots
from api.settings import Settings
from tests.clinical_support import make_location, make_patient, make_therapist
from tests.scheduling_support import give_hours, make_session_types

# A Monday in July: New York is UTC-4.
MONDAY = datetime(2031, 7, 7, tzinfo=UTC)
NOW = MONDAY - timedelta(days=3)


async def test_free_slots_follow_weekly_hours_and_grid(database: None, settings: Settings) -> None:
    types = await make_session_types()
    _, therapist = await make_therapist()
    location = await make_location()
    await give_hours(therapist, location, weekdays=(0,), start="09:00", end="12:00")
    slots = await free_slots(
        settings,
        SlotQuery(
            session_type=types["follow_up"],
            starts_from=MONDAY,
            until=MONDAY + timedelta(days=1),
            now=NOW,
        ),
    )
    starts = [slot.starts_at for slot in slots]
    first = datetime(2031, 7, 7, 13, 0, tzinfo=UTC)
    # 09:00..11:15 local every 15 minutes: a 45-minute session must end by 12:00.
    assert starts == [first + timedelta(minutes=15 * k) for k in range(10)]
    assert {slot.location_id for slot in slots} == {location.id}
    assert all(slot.ends_at - slot.starts_at == timedelta(minutes=45) for slot in slots)


async def test_bookings_with_buffer_time_off_and_extra_hours(
    database: None, settings: Settings
) -> None:
    types = await make_session_types()
    user, therapist = await make_therapist()
    _, patient = await make_patient()
    location = await make_location()
    await give_hours(therapist, location, weekdays=(0,), start="09:00", end="12:00")
    nine = datetime(2031, 7, 7, 13, 0, tzinfo=UTC)
    await Appointment.create(
        patient=patient,
        therapist=therapist,
        session_type=types["follow_up"],
        location=location,
        starts_at=nine + timedelta(hours=1),
        ends_at=nine + timedelta(hours=1, minutes=45),
        status=AppointmentStatus.BOOKED,
        booked_by=user,
        booked_at=NOW,
        updated_at=NOW,
    )
    await ScheduleException.create(
        therapist=therapist,
        kind=ExceptionKind.TIME_OFF,
        starts_at=nine,
        ends_at=nine + timedelta(minutes=30),
        created_at=NOW,
    )
    await ScheduleException.create(
        therapist=therapist,
        kind=ExceptionKind.EXTRA_HOURS,
        starts_at=nine + timedelta(hours=6),
        ends_at=nine + timedelta(hours=7),
        location=location,
        created_at=NOW,
    )
    query = SlotQuery(
        session_type=types["follow_up"].code,
        starts_from=MONDAY,
        until=MONDAY + timedelta(days=1),
        now=NOW,
    )
    starts = [slot.starts_at - nine for slot in await free_slots(settings, query)]
    minutes = [int(delta.total_seconds() // 60) for delta in starts]
    # Time off until 09:30; busy 10:00-10:45 plus 10 minutes buffer (to 10:55), and a new
    # session's own buffer must not reach 10:00: latest before is 09:00+... 09:30 ends 10:15.
    # So before the booking nothing fits (09:30 + 45 + 10 > 10:00); after it 11:00 and 11:15.
    assert minutes == [120, 135, 360, 375]


async def test_lead_time_and_horizon(database: None, settings: Settings) -> None:
    types = await make_session_types()
    _, therapist = await make_therapist()
    location = await make_location()
    await give_hours(therapist, location, weekdays=range(7), start="09:00", end="10:00")
    nine = datetime(2031, 7, 7, 13, 0, tzinfo=UTC)
    now = nine - timedelta(minutes=110)  # lead time 120 min: 09:10 earliest, next on grid 09:15
    query = SlotQuery(
        session_type=types["follow_up"],
        starts_from=nine - timedelta(hours=1),
        until=nine + timedelta(hours=2),
        now=now,
    )
    assert [slot.starts_at for slot in await free_slots(settings, query)] == [
        nine + timedelta(minutes=15)
    ]
    far = nine + timedelta(days=settings.booking_horizon_days + 1)
    beyond = SlotQuery(
        session_type=types["follow_up"],
        starts_from=far - timedelta(hours=2),
        until=far + timedelta(hours=2),
        now=nine,
    )
    assert await free_slots(settings, beyond) == []


async def test_bookable_problem(database: None, settings: Settings) -> None:
    types = await make_session_types()
    _, therapist = await make_therapist()
    location = await make_location()
    await give_hours(therapist, location, weekdays=(0,), start="09:00", end="12:00")
    nine = datetime(2031, 7, 7, 13, 0, tzinfo=UTC)
    follow_up = types["follow_up"]

    async def problem(starts_at: datetime, **overrides: object) -> str | None:
        arguments: dict[str, object] = {
            "therapist_id": therapist.id,
            "session_type": follow_up,
            "location_id": location.id,
            "telehealth": False,
            "starts_at": starts_at,
            "now": NOW,
        }
        arguments.update(overrides)
        return await bookable_problem(settings, **arguments)  # type: ignore[arg-type]

    assert await problem(nine) is None
    assert await problem(nine + timedelta(minutes=135)) is None  # 11:15 ends 12:00
    assert await problem(nine + timedelta(minutes=150)) is not None  # would end 12:15
    assert await problem(nine + timedelta(minutes=10)) is not None  # off the grid
    assert await problem(nine - timedelta(minutes=15)) is not None  # before the hours
    assert await problem(nine, now=nine - timedelta(minutes=60)) is not None  # lead time
    assert await problem(nine, location_id=None, telehealth=True) is not None  # no telehealth
    assert await problem(nine, session_type=types["assessment"], location_id=None, telehealth=True)
    await ScheduleException.create(
        therapist=therapist,
        kind=ExceptionKind.TIME_OFF,
        starts_at=nine + timedelta(minutes=30),
        ends_at=nine + timedelta(minutes=60),
        created_at=NOW,
    )
    assert await problem(nine) is not None  # runs into the time off
    assert await problem(nine + timedelta(minutes=60)) is None
