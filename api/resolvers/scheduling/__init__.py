"""Root operations of the scheduling domain, one module per part, composed here."""

from __future__ import annotations

import strawberry

from api.resolvers.scheduling.availability import AvailabilityMutation, AvailabilityQuery
from api.resolvers.scheduling.booking import BookingMutation, BookingQuery, BookingSubscription
from api.resolvers.scheduling.calendar import CalendarMutation, CalendarQuery
from api.resolvers.scheduling.waitlist import WaitlistMutation, WaitlistQuery


@strawberry.type
class SchedulingQuery(AvailabilityQuery, BookingQuery, CalendarQuery, WaitlistQuery):
    pass


@strawberry.type
class SchedulingMutation(AvailabilityMutation, BookingMutation, CalendarMutation, WaitlistMutation):
    pass


@strawberry.type
class SchedulingSubscription(BookingSubscription):
    pass
