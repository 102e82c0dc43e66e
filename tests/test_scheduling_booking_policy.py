"""The cancellation policy to the minute, with the services' injectable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from api.app import create_app
from api.models.scheduling import Appointment, AppointmentStatus
from api.services.scheduling import booking
from api.services.scheduling.policy import BookingErrorCode, BookingProblems
from api.settings import Settings
from tests.clinical_support import make_location, make_patient, make_therapist
from tests.conftest import make_settings, scope_from_test_header
from tests.scheduling_support import give_hours, local_start, make_session_types, scope_of

pytestmark = pytest.mark.usefixtures("database")


async def _booked(settings: Settings) -> tuple[int, Appointment]:
    await make_session_types()
    location = await make_location()
    _, therapist = await make_therapist()
    await give_hours(therapist, location, weekdays=range(7), start="06:00", end="22:00")
    user, _ = await make_patient()
    command = booking.BookCommand(
        None, therapist.id, "follow_up", local_start(5), location.id, False
    )
    booked_at = datetime.now(UTC) - timedelta(hours=1)  # past the undo grace period
    row = await booking.book(settings, await scope_of(user.id), command, booked_at)
    return user.id, row


@pytest.mark.parametrize(
    ("before", "allowed"),
    [(timedelta(hours=23, minutes=59), False), (timedelta(hours=24, minutes=1), True)],
)
async def test_patient_cancels_until_24_hours_before(
    settings: Settings, before: timedelta, allowed: bool
) -> None:
    user_id, row = await _booked(settings)
    now = row.starts_at - before
    scope = await scope_of(user_id)
    if allowed:
        cancelled = await booking.cancel(settings, scope, row.id, "", now)
        assert cancelled.status is AppointmentStatus.CANCELLED
        return
    with pytest.raises(BookingProblems) as refused:
        await booking.cancel(settings, scope, row.id, "", now)
    problem = refused.value.problems[0]
    assert problem.code is BookingErrorCode.CANCELLATION_WINDOW_CLOSED
    assert settings.clinic_phone in problem.message
    with pytest.raises(BookingProblems):
        await booking.reschedule(
            settings,
            scope,
            booking.RescheduleCommand(row.id, row.starts_at + timedelta(days=1)),
            now,
        )
    assert (await Appointment.get(id=row.id)).status is AppointmentStatus.BOOKED


async def test_late_cancellation_recorded_where_allowed_but_no_late_reschedule() -> None:
    settings = make_settings(late_cancellation_allowed=True)
    user_id, row = await _booked(settings)
    now = row.starts_at - timedelta(hours=2)
    scope = await scope_of(user_id)
    with pytest.raises(BookingProblems):
        await booking.reschedule(
            settings,
            scope,
            booking.RescheduleCommand(row.id, row.starts_at + timedelta(days=1)),
            now,
        )
    cancelled = await booking.cancel(settings, scope, row.id, "", now)
    assert cancelled.status is AppointmentStatus.LATE_CANCELLED


async def test_a_fresh_booking_can_be_undone_inside_the_window(settings: Settings) -> None:
    user_id, row = await _booked(settings)
    row.booked_at = row.starts_at - timedelta(hours=3)
    await row.save()
    scope = await scope_of(user_id)
    with pytest.raises(BookingProblems):  # 11 minutes after booking: too late to undo
        await booking.cancel(settings, scope, row.id, "", row.booked_at + timedelta(minutes=11))
    undone = await booking.cancel(settings, scope, row.id, "", row.booked_at + timedelta(minutes=9))
    assert undone.status is AppointmentStatus.CANCELLED


async def test_the_policy_the_app_shows_is_the_clinic_setting(
    database: None, settings: Settings
) -> None:
    clinic = make_settings(
        database_url=settings.database_url,
        cancellation_window_hours=48,
        late_cancellation_allowed=True,
        booking_undo_minutes=5,
        clinic_phone="+1 413 555 0100",
    )
    app = create_app(clinic, scope_for_request=scope_from_test_header)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        query = "{ schedulingPolicy { cancellationWindowHours lateCancellationAllowed"
        query += " bookingUndoMinutes bookingLeadMinutes bookingHorizonDays clinicPhone } }"
        body = (await http.post("/graphql", json={"query": query})).json()
    assert body["data"]["schedulingPolicy"] == {
        "cancellationWindowHours": 48,
        "lateCancellationAllowed": True,
        "bookingUndoMinutes": 5,
        "bookingLeadMinutes": clinic.booking_lead_minutes,
        "bookingHorizonDays": clinic.booking_horizon_days,
        "clinicPhone": "+1 413 555 0100",
    }
