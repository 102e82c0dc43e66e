"""requestPasswordReset must not tell, by its timing, whether an address has an account.

Alternates known and unknown addresses (a fresh account for each known request, so the
five-an-hour cap never short-cuts the known path) and compares the medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from api import db
from api.app import create_app
from api.delivery.mail import wait_for_scheduled_deliveries
from api.models.accounts import User
from api.services import passwords
from api.settings import Settings

ROUNDS = 150
QUERY = "mutation($e: String!) { requestPasswordReset(email: $e) { message } }"


async def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite://{Path(folder) / 'bench.sqlite3'}",
            secret_key=SecretStr("bench-" + "x" * 40),
            mail_request_rate_limit="1000000/hour",
        )
        async with db.database(settings):
            await db.migrate(settings)
            digest = passwords.hash_password("bench password for resets")
            await User.bulk_create(
                [User(email=f"known{i}@bench.test", password_hash=digest) for i in range(ROUNDS)]
            )
            app = create_app(settings)
            transport = httpx.ASGITransport(app=app)
            known: list[float] = []
            unknown: list[float] = []
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                for i in range(ROUNDS):
                    for email, samples in (
                        (f"known{i}@bench.test", known),
                        (f"nobody{i}@bench.test", unknown),
                    ):
                        started = time.perf_counter()
                        response = await http.post(
                            "/graphql", json={"query": QUERY, "variables": {"e": email}}
                        )
                        samples.append(time.perf_counter() - started)
                        response.raise_for_status()
                await wait_for_scheduled_deliveries()
    known_ms = statistics.median(known) * 1000
    unknown_ms = statistics.median(unknown) * 1000
    return {
        "requests_each": ROUNDS,
        "known_address_p50_ms": round(known_ms, 2),
        "unknown_address_p50_ms": round(unknown_ms, 2),
        "known_over_unknown": round(known_ms / unknown_ms, 2),
    }
