"""Rows that have done their work: finished jobs and the time claims of past sessions.

Every worker runs this hourly; deleting what another worker already deleted is harmless.
Failed jobs are kept (they are what someone needs to look at), and nothing a patient or the
audit relies on is touched: appointments, notifications and deliveries stay.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from api.observability import get_logger
from api.services import jobs
from api.services.scheduling import cells

log = get_logger(__name__)

TIDY_EVERY = timedelta(hours=1)
# A day back: a session that just ended still holds its buffer, which guards the next start.
CLAIMS_KEPT = timedelta(days=1)


async def tidy(now: datetime, job_retention_days: int) -> tuple[int, int]:
    """(jobs deleted, claims deleted)."""
    forgotten_jobs = await jobs.forget_finished(now - timedelta(days=job_retention_days))
    forgotten_claims = await cells.forget_past(now - CLAIMS_KEPT)
    return forgotten_jobs, forgotten_claims


async def keep_tidy(job_retention_days: int, every: timedelta = TIDY_EVERY) -> None:
    """Tidies now and then every `every` until cancelled (the app's lifespan does)."""
    while True:
        try:
            forgotten_jobs, forgotten_claims = await tidy(datetime.now(UTC), job_retention_days)
            if forgotten_jobs or forgotten_claims:
                log.info("housekeeping.tidied", jobs=forgotten_jobs, claims=forgotten_claims)
        except Exception as error:  # one failed round must not end the loop
            log.warning("housekeeping.failed", error=type(error).__name__)
        await asyncio.sleep(every.total_seconds())
