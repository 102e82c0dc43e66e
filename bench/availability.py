"""availableSlots at service level: 20 therapists, each with weekday hours at a clinic and a
telehealth morning, asked for 28 days; the median of 7 calls and the statements per call.

A fresh SQLite file, migrated; rows written directly (no password hashing: nobody signs in).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from api import db
from api.models.accounts import User
from api.models.scheduling import WeeklyHours
from api.models.therapists import Discipline, Location, Therapist, TherapistLocation
from api.services.scheduling.availability import SlotQuery, find_slots
from api.services.scheduling.session_types import ensure_default_session_types
from api.settings import Settings
from tests.sql_counter import count_sql

THERAPISTS = 20
DAYS = 28
RUNS = 7


async def _clinic() -> None:
    await ensure_default_session_types()
    location = await Location.create(
        name="Riverside Clinic",
        address_line1="12 River Road",
        city="Springfield",
        country="US",
        time_zone="America/New_York",
    )
    for n in range(THERAPISTS):
        user = await User.create(email=f"t{n}@bench.test", password_hash="-", display_name=f"T {n}")
        therapist = await Therapist.create(
            user=user, discipline=Discipline.PHYSICAL_THERAPY, telehealth=True
        )
        await TherapistLocation.create(therapist=therapist, location=location)
        await WeeklyHours.bulk_create(
            [
                WeeklyHours(
                    therapist_id=therapist.id,
                    location_id=location.id,
                    weekday=day,
                    start_minute=9 * 60,
                    end_minute=17 * 60,
                )
                for day in range(4)
            ]
            + [
                WeeklyHours(
                    therapist_id=therapist.id,
                    location_id=None,
                    weekday=4,
                    start_minute=8 * 60,
                    end_minute=12 * 60,
                )
            ]
        )


async def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite://{Path(folder) / 'bench.sqlite3'}",
            secret_key=SecretStr("bench-" + "x" * 40),
        )
        async with db.database(settings):
            await db.migrate(settings)
            await _clinic()
            start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
            query = SlotQuery(
                session_type="follow_up", starts_from=start, until=start + timedelta(days=DAYS)
            )
            await find_slots(settings, query)  # warm
            durations = []
            slots = 0
            for _ in range(RUNS):
                began = time.perf_counter()
                found = await find_slots(settings, query)
                durations.append((time.perf_counter() - began) * 1000)
                slots = len(found.slots)
            statements = await _statements(settings, query)
    return {
        "therapists": THERAPISTS,
        "days": DAYS,
        "slots": slots,
        "median_ms": round(statistics.median(durations), 1),
        "max_ms": round(max(durations), 1),
        "statements": statements,
    }


async def _statements(settings: Settings, query: SlotQuery) -> int:
    with count_sql() as counted:
        await find_slots(settings, query)
    return counted.count
