"""Batch loads of patients' waitlists: two statements per batch of patients."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiodataloader import DataLoader

from api.models.patients import Patient
from api.models.scheduling import WaitlistEntry, WaitlistStatus


def _today_in(zone_name: str, now: datetime) -> datetime:
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone)


class WaitingEntriesByPatientIdLoader(DataLoader[int, list[WaitlistEntry]]):
    """WAITING entries in joining order, leaving out those whose last day has passed in the
    patient's zone (the services mark them EXPIRED when they next touch them)."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[WaitlistEntry]]:
        now = datetime.now(UTC)
        rows = await WaitlistEntry.filter(
            patient_id__in=list(keys), status=WaitlistStatus.WAITING
        ).order_by("created_at", "id")
        zones: dict[int, str] = {}
        if rows:
            ids = sorted({row.patient_id for row in rows})
            for patient_id, zone in await Patient.filter(id__in=ids).values_list("id", "time_zone"):
                zones[int(patient_id)] = str(zone)
        found: dict[int, list[WaitlistEntry]] = defaultdict(list)
        for row in rows:
            if row.to_date >= _today_in(zones.get(row.patient_id, "UTC"), now).date():
                found[row.patient_id].append(row)
        return [found.get(key, []) for key in keys]
