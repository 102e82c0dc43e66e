"""Waitlist: patients waiting for a therapist (or any therapist of a specialty) in a date range.

When a booking is cancelled (or moved away), `slot_freed` queues the `scheduling.waitlist_offer`
job in the same transaction. The job offers the freed time to WAITING entries that match it, in
the order the patients joined (created_at, then id): one WAITLIST_SLOT_OPEN notification each,
made in that order, with a link to book. Offering is not reserving: everyone told may book, and
booking's time claims decide who gets the slot (the others get SLOT_UNAVAILABLE).

A freed slot matches an entry when a session of the entry's type can start inside the freed
booking's time and end by its end, and `free_slots` confirms that start is really bookable for
that therapist, type and place (hours, time off, lead time, horizon, other bookings), on a day
of the entry's range in the patient's zone. A specialty entry matches any therapist holding it.

Expiry is lazy: an entry whose last day has passed in the patient's zone is marked EXPIRED when
it is read (lists, joining, the offer job), so no daily job is needed and no past entry is
ever offered a slot or counted against the limit.

`booked` marks the patient's WAITING entries that a new booking satisfies as BOOKED.
"""

from api.services.scheduling.waitlist.entries import (
    booked,
    entries_of,
    for_patient,
    for_staff,
    join,
    leave,
    mine,
    readable,
)
from api.services.scheduling.waitlist.offers import booking_link, offer_freed_slot, slot_freed
from api.services.scheduling.waitlist.rules import (
    MAX_ACTIVE_ENTRIES,
    MAX_RANGE_DAYS,
    OFFER_JOB,
    JoinCommand,
    WaitlistErrorCode,
    WaitlistProblems,
)

__all__ = [
    "MAX_ACTIVE_ENTRIES",
    "MAX_RANGE_DAYS",
    "OFFER_JOB",
    "JoinCommand",
    "WaitlistErrorCode",
    "WaitlistProblems",
    "booked",
    "booking_link",
    "entries_of",
    "for_patient",
    "for_staff",
    "join",
    "leave",
    "mine",
    "offer_freed_slot",
    "readable",
    "slot_freed",
]
