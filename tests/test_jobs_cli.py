"""`portal jobs status` and `portal jobs run`: what waits, runs and failed; running due work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.models.jobs import Job
from api.settings import Settings
from tests.cli import portal_env, run_portal


async def test_status_counts_by_kind_and_run_takes_only_due_jobs(
    database: None, settings: Settings
) -> None:
    now = datetime.now(UTC)
    due = await Job.create(kind="demo.waiting", run_at=now - timedelta(minutes=1), created_at=now)
    await Job.create(kind="demo.waiting", run_at=now + timedelta(hours=1), created_at=now)
    await Job.create(
        kind="demo.running",
        run_at=now,
        locked_until=now + timedelta(minutes=5),
        locked_by="another-worker",
        attempts=1,
        created_at=now,
    )
    await Job.create(
        kind="demo.failed", run_at=now, finished_at=now, outcome="FAILED", created_at=now
    )
    env = portal_env(database_url=settings.database_url)

    status = run_portal(["jobs", "status"], env)
    assert status.returncode == 0, status.stderr
    rows = {line.split()[0]: line.split()[1:] for line in status.stdout.splitlines()[1:]}
    assert rows == {
        "demo.failed": ["0", "0", "1"],
        "demo.running": ["0", "1", "0"],
        "demo.waiting": ["2", "0", "0"],
    }

    ran = run_portal(["jobs", "run"], env)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "ran 1 job(s)"
    # No handler knows "demo.waiting": the attempt is recorded and retried later, not lost.
    await due.refresh_from_db()
    assert (due.attempts, due.finished_at, due.last_error) == (1, None, "LookupError")
    assert due.run_at > now
