"""100 patients book the same slot at once through `portal serve --workers 2`: the database's
unique index on time cells lets exactly one through; the other 99 get a typed
SLOT_UNAVAILABLE, and nobody gets a 5xx. Runs on this run's database (SQLite or PostgreSQL)."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from api.models.accounts import ClientKind, Role, Session, User, UserRole
from api.models.patients import Patient
from api.models.scheduling import Appointment, TimeClaim
from api.services import passwords
from api.services.accounts.tokens import new_token, token_hash
from tests.cli import portal_env
from tests.clinical_support import gid, make_location, make_therapist
from tests.scheduling_support import give_hours, local_start, make_session_types
from tests.test_server_process import _serving

pytestmark = pytest.mark.usefixtures("database")

RACERS = 100
BOOK = """
mutation Book($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    __typename
    ... on BookingErrors { errors { code } }
  }
}
"""


async def _patients(count: int) -> list[str]:
    """Bearer tokens of `count` signed-in patients, written straight to the tables."""
    moment = datetime.now(UTC)
    run = uuid.uuid4().hex[:8]
    password_hash = passwords.hash_password("race password 1")
    await User.bulk_create(
        [
            User(
                email=f"r{run}-{n}@race.test",
                password_hash=password_hash,
                display_name=f"Racer {n}",
                time_zone="UTC",
                email_verified_at=moment,
            )
            for n in range(count)
        ]
    )
    ids = [
        int(row["id"])
        for row in await User.filter(email__startswith=f"r{run}-").order_by("id").values("id")
    ]
    await UserRole.bulk_create([UserRole(user_id=user_id, role=Role.PATIENT) for user_id in ids])
    await Patient.bulk_create(
        [
            Patient(
                user_id=user_id,
                given_name="Racer",
                family_name=str(n),
                date_of_birth=date(1990, 1, 1),
                time_zone="UTC",
            )
            for n, user_id in enumerate(ids)
        ]
    )
    tokens = [new_token() for _ in ids]
    await Session.bulk_create(
        [
            Session(
                user_id=user_id,
                token_hash=token_hash(token),
                client=ClientKind.MOBILE,
                last_seen_at=moment,
                expires_at=moment + timedelta(hours=2),
                second_factor_at=moment,
            )
            for user_id, token in zip(ids, tokens, strict=True)
        ]
    )
    return tokens


async def test_one_slot_raced_by_100_patients_over_two_workers(database_url: str) -> None:
    await make_session_types()
    location = await make_location()
    _, therapist = await make_therapist()
    await give_hours(therapist, location, weekdays=range(7), start="06:00", end="22:00")
    tokens = await _patients(RACERS)
    starts = local_start(3)
    variables = {
        "input": {
            "therapistId": gid("Therapist", therapist.id),
            "sessionType": "follow_up",
            "startsAt": starts.isoformat(),
            "locationId": gid("Location", location.id),
        }
    }
    with _serving(portal_env(database_url=database_url), workers=2) as base:
        async with httpx.AsyncClient(
            base_url=base, timeout=120, limits=httpx.Limits(max_connections=RACERS)
        ) as web:

            async def attempt(token: str) -> httpx.Response:
                return await web.post(
                    "/graphql",
                    json={"query": BOOK, "variables": variables},
                    headers={"authorization": f"Bearer {token}"},
                )

            began = time.monotonic()
            responses = await asyncio.gather(*(attempt(token) for token in tokens))
            elapsed = time.monotonic() - began
    statuses = sorted({response.status_code for response in responses})
    assert statuses == [200], [r.text for r in responses if r.status_code != 200][:3]
    outcomes: dict[str, int] = {}
    for response in responses:
        body = response.json()
        assert "errors" not in body, body
        result = body["data"]["bookAppointment"]
        outcome = result["__typename"]
        if outcome == "BookingErrors":
            outcome = result["errors"][0]["code"]
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(f"race outcomes {outcomes} in {elapsed:.2f}s")
    assert outcomes == {"AppointmentPayload": 1, "SLOT_UNAVAILABLE": RACERS - 1}
    assert await Appointment.filter(therapist_id=therapist.id).count() == 1
    booked = await Appointment.get(therapist_id=therapist.id)
    assert (
        await TimeClaim.filter(owner_kind="THERAPIST").exclude(appointment_id=booked.id).count()
        == 0
    )
