"""Runs every benchmark and writes bench/results/latest.json."""

from __future__ import annotations

import asyncio
import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import (
    availability,
    bundle_size,
    dashboard,
    field_cost,
    graphql_requests,
    password_reset_latency,
    patient_guards,
    subscriptions,
)

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


async def main() -> None:
    figures: dict[str, Any] = {
        "taken_at": datetime.now(UTC).isoformat(),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "graphql_requests": await graphql_requests.run(),
        "dashboard": await dashboard.run(),
        "field_cost": await field_cost.run(),
        "patient_guards": await patient_guards.run(),
        "available_slots": await availability.run(),
        "password_reset_latency": await password_reset_latency.run(),
        "subscriptions": await subscriptions.run(),
        "frontend_bundle": bundle_size.run(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    asyncio.run(main())
