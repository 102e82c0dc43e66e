"""Latency and throughput of POST /graphql in-process (no network), for a few documents.

A fresh SQLite database is migrated and given 150 accounts; an admin pages through them.
Figures are per request, sequential, after a warm-up: compare runs on the same machine only.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from starlette.requests import Request
from starlette.websockets import WebSocket

from api import db
from api.access.scope import AccessScope, Viewer
from api.app import create_app
from api.models.accounts import Role
from api.services import accounts
from api.settings import Settings

WARMUP = 50
REQUESTS = 500
DOCUMENTS = {
    "typename": "{ __typename }",
    "server_info": "{ serverInfo { name version } }",
    "users_page_100": "{ users(first: 100) { edges { cursor node { id email roles } } } }",
    "rejected_too_deep": "{ users { edges { node { roles } } } }",
}


async def _time(http: httpx.AsyncClient, query: str, depth_limited: bool) -> dict[str, Any]:
    payload = {"query": query}
    for _ in range(WARMUP):
        await http.post("/graphql", json=payload)
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = await http.post("/graphql", json=payload)
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
    samples.sort()
    return {
        "requests": REQUESTS,
        "requests_per_second": round(REQUESTS / sum(samples), 1),
        "p50_ms": round(statistics.median(samples) * 1000, 2),
        "p99_ms": round(samples[int(len(samples) * 0.99) - 1] * 1000, 2),
        "depth_limit": 2 if depth_limited else None,
    }


async def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite://{Path(folder) / 'bench.sqlite3'}",
            secret_key=SecretStr("bench-" + "x" * 40),
        )
        async with db.database(settings):
            await db.migrate(settings)
            admin = await accounts.create_user(
                email="admin@bench.test", password="bench password 1", roles=[Role.ADMIN]
            )
            for i in range(149):
                await accounts.create_user(
                    email=f"p{i}@bench.test", password="bench password 1", roles=[Role.PATIENT]
                )
            admin_scope = AccessScope(Viewer(user_id=admin.id, roles=frozenset({Role.ADMIN})))

            async def as_admin(_: Request | WebSocket, __: dict[str, object]) -> AccessScope:
                return admin_scope

            results: dict[str, Any] = {}
            for name, query in DOCUMENTS.items():
                limited = name.startswith("rejected")
                app_settings = (
                    settings.model_copy(update={"max_query_depth": 2}) if limited else settings
                )
                app = create_app(app_settings, scope_for_request=as_admin)
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                    results[name] = await _time(http, query, limited)
            return results
