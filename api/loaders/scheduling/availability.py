"""Batch loads of therapists' weekly hours: one statement per batch of therapists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from aiodataloader import DataLoader

from api.models.scheduling import WeeklyHours


@dataclass(frozen=True, slots=True)
class HoursRecord:
    """A weekly window with the zone its wall times are in (location, or therapist)."""

    therapist_id: int
    weekday: int
    start_minute: int
    end_minute: int
    location_id: int | None
    time_zone: str
    valid_from: date | None
    valid_until: date | None


class WeeklyHoursByTherapistIdLoader(DataLoader[int, list[HoursRecord]]):
    """By weekday, then start."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[HoursRecord]]:
        found: dict[int, list[HoursRecord]] = defaultdict(list)
        rows = (
            await WeeklyHours.filter(therapist_id__in=list(keys))
            .order_by("weekday", "start_minute", "id")
            .values(
                "therapist_id",
                "weekday",
                "start_minute",
                "end_minute",
                "location_id",
                "valid_from",
                "valid_until",
                location_zone="location__time_zone",
                therapist_zone="therapist__time_zone",
            )
        )
        for row in rows:
            found[int(row["therapist_id"])].append(
                HoursRecord(
                    therapist_id=int(row["therapist_id"]),
                    weekday=int(row["weekday"]),
                    start_minute=int(row["start_minute"]),
                    end_minute=int(row["end_minute"]),
                    location_id=row["location_id"],
                    time_zone=str(row["location_zone"] or row["therapist_zone"]),
                    valid_from=row["valid_from"],
                    valid_until=row["valid_until"],
                )
            )
        return [found.get(key, []) for key in keys]
