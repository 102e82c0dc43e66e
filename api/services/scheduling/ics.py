"""iCalendar (RFC 5545) text for appointments: the calendar feed and the confirmation mail's
attachment use the same UID, SEQUENCE and STATUS, so a client that imported one recognises
the other as the same event.

- UID: `appointment-<id>@<public host>` where id is the first booking of a reschedule chain:
  a move keeps the event, so a client moves the entry it has instead of adding another.
- SEQUENCE: the number of moves in the chain, plus one once cancelled (attendance does not
  change the event), so a client takes the newer copy over its stored one.
- Only what a person chose to export: what, with whom, when, where. Never the concerns text.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event  # type: ignore[import-untyped]

from api.models.scheduling import AppointmentStatus
from api.settings import Settings

PRODID = "-//Relief//Patient portal scheduling//EN"
CANCELLED = frozenset({AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED})
DISCIPLINE_LABELS = {
    "PHYSICAL_THERAPY": "Physical therapy",
    "OCCUPATIONAL_THERAPY": "Occupational therapy",
    "SPEECH_LANGUAGE_PATHOLOGY": "Speech-language pathology",
}
TELEHEALTH = "Telehealth"


def appointment_link(appointment_id: int) -> str:
    """The app's page of an appointment: /appointments/<the appointment's global id>."""
    # Strawberry's global id, spelt out here because services do not import Strawberry.
    encoded = base64.b64encode(f"Appointment:{appointment_id}".encode()).decode()
    return f"/appointments/{encoded}"


def appointment_uid(settings: Settings, appointment_id: int) -> str:
    host = urlsplit(settings.public_url).hostname or "relief.invalid"
    return f"appointment-{appointment_id}@{host}"


def sequence_of(moves: int, status: AppointmentStatus | str) -> int:
    return moves + (1 if AppointmentStatus(status) in CANCELLED else 0)


def summary(discipline: str, session_type: str, with_whom: str) -> str:
    """ "Physical therapy: Follow-up treatment with Dana Whitfield"."""
    label = DISCIPLINE_LABELS.get(discipline, "Therapy")
    return f"{label}: {session_type} with {with_whom}" if with_whom else f"{label}: {session_type}"


def place(*, telehealth: bool, name: str = "", address_parts: Iterable[str] = ()) -> str:
    if telehealth:
        return TELEHEALTH
    return ", ".join(part for part in (name, *address_parts) if part)


@dataclass(frozen=True, slots=True)
class AppointmentEvent:
    appointment_id: int
    root_id: int  # the first booking of its reschedule chain (itself when never moved)
    moves: int  # how many reschedules led to it
    status: AppointmentStatus
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    changed_at: datetime  # DTSTAMP and LAST-MODIFIED: when the booking last changed
    url: str = ""


def event(settings: Settings, item: AppointmentEvent) -> Event:
    vevent = Event()
    vevent.add("uid", appointment_uid(settings, item.root_id))
    vevent.add("dtstamp", item.changed_at)
    vevent.add("last-modified", item.changed_at)
    vevent.add("sequence", sequence_of(item.moves, item.status))
    vevent.add("dtstart", item.starts_at)
    vevent.add("dtend", item.ends_at)
    vevent.add("summary", item.summary)
    if item.location:
        vevent.add("location", item.location)
    vevent.add("status", "CANCELLED" if item.status in CANCELLED else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if item.status in CANCELLED else "OPAQUE")
    if item.url:
        vevent.add("url", item.url)
    return vevent


def calendar(
    settings: Settings, items: Iterable[AppointmentEvent], *, name: str, method: str | None = None
) -> bytes:
    """A VCALENDAR with one VEVENT per item; `method` "REQUEST"/"CANCEL" for mail, none for a
    subscribed feed (RFC 5546 methods do not belong in a published calendar)."""
    document = Calendar()
    document.add("prodid", PRODID)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    if method:
        document.add("method", method)
    document.add("x-wr-calname", name)
    for item in items:
        document.add_component(event(settings, item))
    result: bytes = document.to_ical()
    return result
