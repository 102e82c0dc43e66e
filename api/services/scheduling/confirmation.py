"""What a booking change sends: notifications to patient and therapist, and mail with an .ics.

The invitation keeps one UID for the whole life of a booking, reschedules included (the UID
of the first booking of the chain), and a SEQUENCE that grows with each change, so a calendar
client moves or removes the entry it already has instead of adding another. Times go out in
UTC. Nothing here says what the session is about: mail is not a private channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from api.delivery.mail import MailTemplate, queue_mail
from api.models.accounts import User
from api.models.notifications import NotificationKind
from api.models.patients import Patient
from api.models.scheduling import Appointment, AppointmentStatus
from api.models.therapists import Location, Therapist
from api.services.notifications import NewNotification, notify
from api.services.scheduling import ics
from api.services.scheduling.ics import appointment_link
from api.settings import Settings


class Happened(StrEnum):
    BOOKED = "BOOKED"
    MOVED = "MOVED"
    CANCELLED = "CANCELLED"


_HEADLINES = {
    Happened.BOOKED: ("Appointment booked", "Your appointment is booked"),
    Happened.MOVED: ("Appointment moved", "Your appointment was moved to a new time"),
    Happened.CANCELLED: ("Appointment cancelled", "Your appointment was cancelled"),
}


@dataclass(frozen=True, slots=True)
class Lineage:
    """The first booking of a reschedule chain (the UID) and how many changes it has seen."""

    root_id: int
    sequence: int


async def lineage(appointment: Appointment) -> Lineage:
    """Walks back through the bookings this one replaced (one short read per reschedule)."""
    root_id, sequence, previous = appointment.id, 0, appointment.rescheduled_from_id
    while previous is not None:
        found = await Appointment.filter(id=previous).values_list("rescheduled_from_id", flat=True)
        root_id, sequence = previous, sequence + 1
        previous = int(str(found[0])) if found and found[0] is not None else None
    return Lineage(root_id, sequence)


def invitation(
    settings: Settings,
    appointment: Appointment,
    lineage: Lineage,
    where: str,
    *,
    cancelled: bool,
    now: datetime,
) -> str:
    """METHOD:REQUEST for a booking or move, METHOD:CANCEL for a cancel; the same UID and
    SEQUENCE as the calendar feed (api/services/scheduling/ics.py), so a client that has the
    event from one recognises it from the other. The summary names no therapy: mail is not a
    private channel."""
    status = AppointmentStatus.CANCELLED if cancelled else AppointmentStatus.BOOKED
    item = ics.AppointmentEvent(
        appointment_id=appointment.id,
        root_id=lineage.root_id,
        moves=lineage.sequence,
        status=status,
        starts_at=appointment.starts_at.astimezone(UTC),
        ends_at=appointment.ends_at.astimezone(UTC),
        summary="Appointment at Relief",
        location=where,
        changed_at=now.astimezone(UTC),
        url=f"{settings.public_url.rstrip('/')}{ics.appointment_link(appointment.id)}",
    )
    method = "CANCEL" if cancelled else "REQUEST"
    return ics.calendar(settings, [item], name="Relief", method=method).decode()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


async def _where(appointment: Appointment) -> str:
    if appointment.telehealth or appointment.location_id is None:
        return "Telehealth"
    rows = await Location.filter(id=appointment.location_id).values("name", "address_line1", "city")
    if not rows:
        return "The clinic"
    row = rows[0]
    return ", ".join(part for part in (row["name"], row["address_line1"], row["city"]) if part)


async def _people(appointment: Appointment) -> list[dict[str, object]]:
    """The patient's and the therapist's accounts (id, email, name, time zone)."""
    patient_user = Patient.filter(id=appointment.patient_id).values_list("user_id", flat=True)
    therapist_user = Therapist.filter(id=appointment.therapist_id).values_list("user_id", flat=True)
    ids = [user_id for user_id in [*await patient_user, *await therapist_user] if user_id]
    return await User.filter(id__in=ids).values("id", "email", "display_name", "time_zone")


async def tell(
    settings: Settings, appointment: Appointment, happened: Happened, now: datetime
) -> list[int]:
    """Notifies and mails patient and therapist, inside the caller's transaction; returns the
    mail rows to deliver once it commits."""
    people = await _people(appointment)
    where = await _where(appointment)
    cancelled = happened is Happened.CANCELLED
    ics = invitation(
        settings, appointment, await lineage(appointment), where, cancelled=cancelled, now=now
    )
    title, headline = _HEADLINES[happened]
    link = appointment_link(appointment.id)
    kind = (
        NotificationKind.APPOINTMENT_BOOKED
        if happened is Happened.BOOKED
        else NotificationKind.APPOINTMENT_CHANGED
    )
    await notify(
        *(
            NewNotification(
                user_id=int(str(person["id"])),
                kind=kind,
                title=title,
                link=link,
                patient_id=appointment.patient_id,
            )
            for person in people
        )
    )
    mail_ids: list[int] = []
    for person in people:
        zone = _zone(str(person["time_zone"]))
        local = appointment.starts_at.astimezone(zone)
        mail = await queue_mail(
            str(person["email"]),
            MailTemplate.APPOINTMENT,
            attachment_ics=ics,
            name=str(person["display_name"]),
            headline=headline,
            when=f"{local:%A %d %B %Y, %H:%M} ({zone.key})",
            where=where,
            link=f"{settings.public_url.rstrip('/')}{link}",
        )
        mail_ids.append(mail.id)
    return mail_ids
