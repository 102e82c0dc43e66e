"""Demo availability: session types, weekday hours for each demo therapist, one afternoon off.

Idempotent: a therapist who has weekly hours already keeps them; time off is added once.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from api.models.scheduling import ExceptionKind, ScheduleException, WeeklyHours
from api.models.therapists import Location, Therapist, TherapistLocation
from api.realtime.events import transaction
from api.services.scheduling.session_types import ensure_default_session_types

WEEKDAYS = range(5)  # Monday to Friday
CLINIC_DAY = (9 * 60, 17 * 60)
# Telehealth evenings, in the therapist's own zone, after the clinic day.
TELEHEALTH_DAYS = (1, 3)
TELEHEALTH_HOURS = (17 * 60, 19 * 60)


async def seed_scheduling(therapists: list[Therapist]) -> list[str]:
    types = await ensure_default_session_types()
    lines = [f"session types: {len(types)}"]
    async with transaction():
        for therapist in therapists:
            if await WeeklyHours.exists(therapist_id=therapist.id):
                continue
            link = await TherapistLocation.filter(therapist_id=therapist.id).order_by("id").first()
            rows = []
            if link is not None:
                rows += [
                    WeeklyHours(
                        therapist_id=therapist.id,
                        location_id=link.location_id,
                        weekday=day,
                        start_minute=CLINIC_DAY[0],
                        end_minute=CLINIC_DAY[1],
                    )
                    for day in WEEKDAYS
                ]
            if therapist.telehealth:
                rows += [
                    WeeklyHours(
                        therapist_id=therapist.id,
                        location_id=None,
                        weekday=day,
                        start_minute=TELEHEALTH_HOURS[0],
                        end_minute=TELEHEALTH_HOURS[1],
                    )
                    for day in TELEHEALTH_DAYS
                ]
            await WeeklyHours.bulk_create(rows)
            lines.append(f"therapist {therapist.id}: {len(rows)} weekly windows")
        first = therapists[0] if therapists else None
        if first is not None and not await ScheduleException.exists(
            therapist_id=first.id, kind=ExceptionKind.TIME_OFF
        ):
            link = await TherapistLocation.filter(therapist_id=first.id).order_by("id").first()
            zone = ZoneInfo(first.time_zone)
            if link is not None:
                location = await Location.get(id=link.location_id)
                zone = ZoneInfo(location.time_zone)
            # Next Wednesday afternoon, local time: the rest of the fortnight stays bookable.
            today = datetime.now(zone).date()
            wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
            starts = datetime.combine(wednesday, time(13, 0), zone)
            await ScheduleException.create(
                therapist_id=first.id,
                kind=ExceptionKind.TIME_OFF,
                starts_at=starts.astimezone(UTC),
                ends_at=(starts + timedelta(hours=4)).astimezone(UTC),
                note="Continuing education",
                created_at=datetime.now(UTC),
            )
            lines.append(f"therapist {first.id}: one afternoon off")
    return lines
