"""Probes for load balancers: /healthz (the process answers) and /readyz (its backends do)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse

from api import db
from api.observability import get_logger
from api.settings import Settings

log = get_logger(__name__)
CHECK_TIMEOUT_SECONDS = 2.0


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "alive"}, headers={"cache-control": "no-store"})


async def _database_ready() -> bool:
    try:
        await asyncio.wait_for(db.ping(), CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # any failure means "not ready"; the log says which
        log.warning("readyz.database_down", error=error)
        return False
    return True


async def _redis_ready(url: str) -> bool:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        await asyncio.wait_for(client.ping(), CHECK_TIMEOUT_SECONDS)
    except Exception as error:
        log.warning("readyz.redis_down", error=error)
        return False
    finally:
        await client.aclose()
    return True


async def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    checks = {"database": await _database_ready()}
    if settings.redis_url:
        checks["redis"] = await _redis_ready(settings.redis_url)
    ready = all(checks.values())
    return JSONResponse(
        {
            "status": "ready" if ready else "unavailable",
            "checks": {name: "up" if up else "down" for name, up in checks.items()},
        },
        status_code=200 if ready else 503,
        headers={"cache-control": "no-store"},
    )
