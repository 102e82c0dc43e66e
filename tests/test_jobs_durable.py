"""Durable jobs: stored with the change or not at all, taken over when a worker dies, and run
exactly once when two worker processes compete for them."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise import connections

from api.models.jobs import Job
from api.realtime.events import transaction
from api.services import jobs
from api.settings import Settings
from tests.jobs_worker import EFFECT_KIND, EFFECT_TABLE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
runs: list[int] = []


@jobs.handler("test.jobs.takeover")
async def _record(run: jobs.JobRun) -> None:
    runs.append(run.id)


async def test_a_job_enqueued_in_a_rolled_back_transaction_does_not_exist(
    database: None,
) -> None:
    async def change_that_fails() -> None:
        async with transaction():
            await jobs.enqueue("test.jobs.takeover", {"n": 1})
            await jobs.enqueue("test.jobs.takeover", {"n": 2}, dedupe_key="rolled-back")
            await jobs.enqueue_many([jobs.NewJob("test.jobs.takeover", {"n": 3})])
            assert await Job.all().count() == 3  # there inside the transaction
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        await change_that_fails()
    assert await Job.all().count() == 0
    # The dedupe key was never taken: the same key can be used at once.
    await jobs.enqueue("test.jobs.takeover", {"n": 4}, dedupe_key="rolled-back")
    assert await Job.filter(dedupe_key="rolled-back").count() == 1


async def test_a_dead_workers_job_is_taken_over_after_its_lease(
    database: None, settings: Settings
) -> None:
    runs.clear()
    await jobs.enqueue("test.jobs.takeover", {})
    dead_token, (claimed,) = await jobs.claim(settings)  # a worker claims it, then dies
    assert claimed.locked_by == dead_token
    assert await jobs.run_until_idle(settings) == 0  # its lease still holds
    assert runs == []
    await Job.filter(id=claimed.id).update(locked_until=datetime.now(UTC) - timedelta(seconds=1))
    assert await jobs.run_until_idle(settings) == 1
    assert runs == [claimed.id]
    job = await Job.get(id=claimed.id)
    assert (job.outcome, job.attempts) == ("DONE", 2)
    assert job.locked_by not in ("", dead_token)


async def _start_worker(database_url: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "PORTAL_DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT_ROOT)}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.jobs_worker",
        cwd=PROJECT_ROOT,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )


async def test_two_worker_processes_run_each_job_exactly_once(
    database: None, settings: Settings
) -> None:
    connection = connections.get("default")
    await connection.execute_script(
        f"CREATE TABLE {EFFECT_TABLE} (job_id BIGINT NOT NULL, worker INTEGER NOT NULL)"
    )
    try:
        await jobs.enqueue_many([jobs.NewJob(EFFECT_KIND, {"n": n}) for n in range(200)])
        workers = [await _start_worker(settings.database_url) for _ in range(2)]
        for worker in workers:  # both have opened the database
            assert worker.stdout is not None
            assert (await worker.stdout.readline()).strip() == b"ready"
        for worker in workers:  # then both start at once
            assert worker.stdin is not None
            worker.stdin.write(b"go\n")
            await worker.stdin.drain()
        outputs = [await worker.communicate() for worker in workers]
        assert [worker.returncode for worker in workers] == [0, 0]
        ran = [int(out.decode().split()[-1]) for out, _ in outputs]
        _, rows = await connection.execute_query(f"SELECT job_id, worker FROM {EFFECT_TABLE}")
    finally:
        await connection.execute_script(f"DROP TABLE {EFFECT_TABLE}")
    print(f"jobs run by each worker process: {ran}")
    job_ids = [int(row["job_id"]) for row in rows]
    assert len(job_ids) == 200
    assert len(set(job_ids)) == 200  # no job's effect happened twice
    assert sum(ran) == 200
    done = await Job.filter(kind=EFFECT_KIND, outcome="DONE").values_list("id")
    assert sorted(int(row[0]) for row in done) == sorted(job_ids)
    # Both really competed: each ran some (on SQLite the loser of a claim race looks again).
    assert min(ran) > 0, ran
    by_worker = {int(row["worker"]) for row in rows}
    assert by_worker == {worker.pid for worker in workers}
