"""One job worker in its own OS process, for the exactly-once test in tests/test_jobs_durable.py.

    PORTAL_DATABASE_URL=... python -m tests.jobs_worker

Opens the database, prints "ready", waits for a line on stdin (so that two workers start
together), runs due jobs until none is left with `jobs.run_until_idle`, and prints "ran <n>".
Its one handler, `test.jobs.effect`, inserts a row per run into `test_job_effects`, a table
without a unique key, so a job run twice shows as two rows instead of a hidden conflict.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from tortoise import connections

from api import db
from api.services import jobs
from api.settings import Settings

EFFECT_KIND = "test.jobs.effect"
EFFECT_TABLE = "test_job_effects"


@jobs.handler(EFFECT_KIND)
async def record_effect(run: jobs.JobRun) -> None:
    connection = connections.get("default")
    marker = "$1, $2" if connection.capabilities.dialect == "postgres" else "?, ?"
    await connection.execute_query(
        f"INSERT INTO {EFFECT_TABLE} (job_id, worker) VALUES ({marker})",
        [run.id, os.getpid()],
    )


async def main() -> None:
    values: dict[str, Any] = {
        "env": "development",
        "database_url": os.environ["PORTAL_DATABASE_URL"],
        "secret_key": "test-secret-key-" + "x" * 32,
        "redis_url": None,
        "smtp_url": None,
    }
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    await db.open_database(settings)
    try:
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        ran = await jobs.run_until_idle(settings, max_rounds=1000)
        print(f"ran {ran}", flush=True)
    finally:
        await db.close_database()


if __name__ == "__main__":
    asyncio.run(main())
