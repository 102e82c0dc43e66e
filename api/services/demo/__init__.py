"""Demo data for `portal seed-demo`: idempotent, realistic, never loaded in production.

Running it twice changes nothing: every record is found by a natural key before it is created.
"""

from __future__ import annotations

from api.services.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, SeedResult
from api.services.demo.clinic import seed_clinic

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoAccount", "SeedResult", "seed"]


async def seed() -> SeedResult:
    from api.services.demo.accounts import seed_accounts

    result = await seed_accounts()
    await seed_clinic(result)
    return result
