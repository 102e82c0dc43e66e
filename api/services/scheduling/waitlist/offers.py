"""`slot_freed` and the offer job: a freed slot told to matching entries in joining order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tortoise.expressions import Q

from api.models.notifications import Notification, NotificationKind
from api.models.patients import Patient
from api.models.scheduling import (
    Appointment,
    SessionType,
    WaitlistEntry,
    WaitlistStatus,
)
from api.models.therapists import Therapist
from api.observability import get_logger
from api.realtime.events import transaction
from api.services import jobs
from api.services.notifications import NewNotification, notify
from api.services.scheduling.availability import SlotQuery, free_slots
from api.services.scheduling.waitlist.rules import (
    FREED,
    OFFER_JOB,
    expire_past,
    specialties_of,
    zone_named,
)

log = get_logger(__name__)


async def slot_freed(appointment: Appointment) -> None:
    """Queues the offer of a freed slot to waiting patients, in the caller's transaction."""
    await jobs.enqueue(
        OFFER_JOB,
        {"appointment_id": appointment.id},
        dedupe_key=f"{OFFER_JOB}:{appointment.id}",
    )


# --- the offer job -------------------------------------------------------------------------


def booking_link(
    therapist_id: int, session_type: str, starts_at: datetime, location_id: int | None
) -> str:
    query: dict[str, Any] = {
        "therapist": therapist_id,
        "sessionType": session_type,
        "start": starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    query.update({"location": location_id} if location_id is not None else {"telehealth": 1})
    return "/appointments/book?" + urlencode(query)


@jobs.handler(OFFER_JOB)
async def offer_freed_slot(run: jobs.JobRun) -> None:
    appointment_id = int(str(run.payload["appointment_id"]))
    now = jobs.now()
    async with transaction():
        freed = await Appointment.get_or_none(id=appointment_id)
        if freed is None or freed.status not in FREED:
            return
        told = await _offer(run, freed, now)
    log.info("waitlist.offered", appointment_id=appointment_id, entries=told)


async def _offer(run: jobs.JobRun, freed: Appointment, now: datetime) -> int:
    therapist = await Therapist.get_or_none(id=freed.therapist_id)
    if therapist is None:
        return 0
    specialties = await specialties_of(therapist.id)
    candidates = await WaitlistEntry.filter(
        Q(therapist_id=therapist.id) | Q(therapist_id=None, specialty__in=specialties),
        status=WaitlistStatus.WAITING,
    ).order_by("created_at", "id")
    if not candidates:
        return 0
    patients = {
        int(row["id"]): row
        for row in await Patient.filter(
            id__in=sorted({entry.patient_id for entry in candidates})
        ).values("id", "user_id", "time_zone")
    }
    zones = {pid: str(row["time_zone"]) for pid, row in patients.items()}
    await expire_past(candidates, zones, now)
    session_types = {
        row.id: row
        for row in await SessionType.filter(
            id__in=sorted({entry.session_type_id for entry in candidates})
        )
    }
    open_to_all = therapist.listed and therapist.accepting_new_patients
    # One availability read per distinct (type, place, care team) among the waiting entries.
    found: dict[tuple[int, int | None, bool | None, int | None], list[Any]] = {}
    offers: list[tuple[WaitlistEntry, str, int]] = []
    for entry in candidates:
        patient = patients.get(entry.patient_id)
        session_type = session_types.get(entry.session_type_id)
        if entry.status != WaitlistStatus.WAITING or patient is None or session_type is None:
            continue
        if patient["user_id"] is None:
            continue
        key = (
            entry.session_type_id,
            entry.location_id,
            entry.telehealth,
            None if open_to_all else entry.patient_id,
        )
        if key not in found:
            found[key] = await free_slots(
                run.settings,
                SlotQuery(
                    session_type=session_type,
                    starts_from=freed.starts_at,
                    until=freed.ends_at,
                    therapist_ids=[therapist.id],
                    location_id=entry.location_id,
                    telehealth=entry.telehealth,
                    care_team_of=key[3],
                    now=now,
                ),
            )
        zone = zone_named(zones[entry.patient_id])
        fitting = [
            slot
            for slot in found[key]
            if slot.ends_at <= freed.ends_at
            and entry.from_date <= slot.starts_at.astimezone(zone).date() <= entry.to_date
        ]
        if not fitting:
            continue
        slot = fitting[0]
        link = booking_link(therapist.id, session_type.code, slot.starts_at, slot.location_id)
        offers.append((entry, link, int(patient["user_id"])))
    if not offers:
        return 0
    # At-least-once: a run that committed but was not marked done must not tell anyone twice.
    # Only offers made since this booking was freed count: the same time freed again later
    # (booked by someone else, then cancelled) is a new chance, told again.
    freed_at = freed.cancelled_at or freed.updated_at
    already = set(
        await Notification.filter(
            kind=NotificationKind.WAITLIST_SLOT_OPEN,
            created_at__gte=freed_at,
            user_id__in=sorted({user_id for _, _, user_id in offers}),
            link__in=sorted({link for _, link, _ in offers}),
        ).values_list("user_id", "link")
    )
    offers = [offer for offer in offers if (offer[2], offer[1]) not in already]
    await notify(
        *(
            NewNotification(
                user_id=user_id,
                kind=NotificationKind.WAITLIST_SLOT_OPEN,
                title="A time you were waiting for is free",
                body="A session you are on the waitlist for has opened up. "
                "The first person to book it gets it.",
                link=link,
                patient_id=entry.patient_id,
            )
            for entry, link, user_id in offers
        )
    )
    if offers:
        await WaitlistEntry.filter(id__in=[entry.id for entry, _, _ in offers]).update(
            last_offered_at=now
        )
    return len(offers)
