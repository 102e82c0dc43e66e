"""The scheduling domain's types as the API shows them."""

from __future__ import annotations

from api.schema.scheduling import availability, calendar, waitlist
from api.schema.scheduling.appointment import Appointment
from api.schema.scheduling.booking import BookingError

TYPES: tuple[type, ...] = (
    Appointment,
    BookingError,
    *availability.TYPES,
    *calendar.TYPES,
    *waitlist.TYPES,
)
