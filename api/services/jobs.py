"""Durable background jobs: enqueue in the caller's transaction, run once across workers.

Claiming, in one sentence: a worker picks due, unclaimed jobs (on PostgreSQL with
`FOR UPDATE SKIP LOCKED`, so workers never wait on each other's rows), then stamps them with
its own claim token and a lease in one conditional UPDATE; only rows that carry its token
afterwards are its to run. On SQLite that UPDATE is atomic on its own (one writer at a time).
A worker that dies leaves its lease to run out, and another worker takes the job over.

Delivery is at-least-once: a handler must be safe to run again (check the row's state first).
Handlers register by kind with `@handler("kind")`; a failure retries with exponential backoff
up to the job's max attempts, then the job is FAILED and kept for inspection.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise import connections
from tortoise.expressions import F, Q

from api.models.jobs import Job
from api.observability import get_logger
from api.realtime.events import transaction
from api.settings import Settings

log = get_logger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
CLAIM_BATCH = 20
# Retries after 30 s, then 1, 2, 4, 8, 16 and 32 minutes: about an hour of trying.
DEFAULT_MAX_ATTEMPTS = 8
LOST_RACE_RETRIES = 5


@dataclass(frozen=True, slots=True)
class JobRun:
    id: int
    kind: str
    payload: Mapping[str, object]
    attempt: int  # 1 on the first run
    settings: Settings
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    @property
    def is_last_attempt(self) -> bool:
        """A failure now is final: the job will be FAILED, not retried."""
        return self.attempt >= self.max_attempts


Handler = Callable[[JobRun], Awaitable[None]]
_handlers: dict[str, Handler] = {}


class RetryLater(Exception):
    """A handler's way to say "not now": retried after `delay` (or the usual backoff)."""

    def __init__(self, reason: str, delay: timedelta | None = None) -> None:
        super().__init__(reason)
        self.delay = delay


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        if kind in _handlers and _handlers[kind] is not function:
            raise RuntimeError(f"two handlers for job kind {kind!r}")
        _handlers[kind] = function
        return function

    return register


def now() -> datetime:
    return datetime.now(UTC)


async def enqueue(
    kind: str,
    payload: Mapping[str, object] | None = None,
    *,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> None:
    """Stores a job; call it inside the transaction of the change that needs it.

    With `dedupe_key`, a job with the same key that has not finished yet makes this a no-op.
    """
    when = now()
    job = Job(
        kind=kind,
        payload=dict(payload or {}),
        run_at=run_at or when,
        dedupe_key=dedupe_key,
        max_attempts=max_attempts,
        created_at=when,
    )
    if dedupe_key is None:
        await job.save()
        return
    await Job.bulk_create([job], ignore_conflicts=True)


async def cancel(dedupe_key: str) -> int:
    """Cancels the unfinished job with this key (a reminder for a cancelled booking)."""
    return await Job.filter(dedupe_key=dedupe_key, finished_at=None).update(
        finished_at=now(), outcome="CANCELLED", dedupe_key=None
    )


async def reschedule(dedupe_key: str, run_at: datetime) -> int:
    """Moves the unfinished job with this key to `run_at` (a moved booking's reminder)."""
    return await Job.filter(dedupe_key=dedupe_key, finished_at=None).update(run_at=run_at)


@dataclass(frozen=True, slots=True)
class NewJob:
    kind: str
    payload: Mapping[str, object] = field(default_factory=dict)
    run_at: datetime | None = None
    dedupe_key: str | None = None
    max_attempts: int = DEFAULT_MAX_ATTEMPTS


async def enqueue_many(items: Sequence[NewJob]) -> None:
    """`enqueue` for many jobs in one INSERT (keys already waiting are skipped, as there)."""
    if not items:
        return
    when = now()
    await Job.bulk_create(
        [
            Job(
                kind=item.kind,
                payload=dict(item.payload),
                run_at=item.run_at or when,
                dedupe_key=item.dedupe_key,
                max_attempts=item.max_attempts,
                created_at=when,
            )
            for item in items
        ],
        ignore_conflicts=True,
    )


def _is_due(at: datetime) -> Q:
    return Q(finished_at=None, run_at__lte=at) & (Q(locked_until=None) | Q(locked_until__lt=at))


async def claim(settings: Settings, limit: int = CLAIM_BATCH) -> tuple[str, list[Job]]:
    """Claims up to `limit` due jobs for this caller; returns its claim token and the jobs."""
    at = now()
    token = uuid.uuid4().hex
    lease_end = at + timedelta(seconds=settings.job_lease_seconds)
    due = Job.filter(_is_due(at)).order_by("run_at", "id").limit(limit)
    if connections.get("default").capabilities.dialect == "postgres":
        async with transaction():
            # .only(): .values() would drop FOR UPDATE (see the clinical issue's note).
            rows = await due.select_for_update(skip_locked=True).only("id")
            await _stamp([row.id for row in rows], at, token, lease_end)
    else:
        # Without SKIP LOCKED, two workers can pick the same ids and one stamps none of them
        # (the conditional UPDATE decides). That worker looks again rather than report
        # "nothing due" while work waits (tests/test_jobs_durable.py shows it).
        for _ in range(LOST_RACE_RETRIES):
            rows = await due.only("id")
            if not rows or await _stamp([row.id for row in rows], at, token, lease_end):
                break
    claimed = await Job.filter(locked_by=token, finished_at=None).order_by("run_at", "id")
    return token, claimed


async def _stamp(ids: list[int], at: datetime, token: str, lease_end: datetime) -> int:
    """Stamps those of `ids` still due with this claim; returns how many it stamped."""
    if not ids:
        return 0
    return await Job.filter(Q(id__in=ids) & _is_due(at)).update(
        locked_until=lease_end, locked_by=token, attempts=F("attempts") + 1
    )


async def run_due(settings: Settings, limit: int = CLAIM_BATCH) -> int:
    """Claims and runs due jobs once; returns how many ran (tests call this directly)."""
    token, claimed = await claim(settings, limit)
    for job in claimed:
        await _run(settings, token, job)
    return len(claimed)


async def run_until_idle(settings: Settings, max_rounds: int = 100) -> int:
    """Runs due jobs until none is left (tests; `portal jobs run`)."""
    total = 0
    for _ in range(max_rounds):
        ran = await run_due(settings)
        if ran == 0:
            break
        total += ran
    return total


async def _run(settings: Settings, token: str, job: Job) -> None:
    work = _handlers.get(job.kind)
    mine = Job.filter(id=job.id, locked_by=token, finished_at=None)
    try:
        if work is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        await work(JobRun(job.id, job.kind, job.payload, job.attempts, settings, job.max_attempts))
    except RetryLater as later:
        delay = later.delay or _backoff(job.attempts)
        # A deliberate wait does not use up an attempt.
        await mine.update(
            run_at=now() + delay,
            locked_until=None,
            attempts=F("attempts") - 1,
            last_error=str(later)[:300],
        )
    except Exception as error:  # a job must never crash the worker; the row keeps the error
        # Type and job id only: an exception message can carry PHI.
        described = f"{type(error).__name__}"
        log.warning(
            "job_failed", job_id=job.id, kind=job.kind, attempt=job.attempts, error=described
        )
        if job.attempts >= job.max_attempts:
            await mine.update(
                finished_at=now(), outcome="FAILED", dedupe_key=None, last_error=described
            )
        else:
            await mine.update(
                run_at=now() + _backoff(job.attempts), locked_until=None, last_error=described
            )
    else:
        await mine.update(finished_at=now(), outcome="DONE", dedupe_key=None, locked_until=None)


def _backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min ... at most an hour."""
    delay: timedelta = FIRST_RETRY * (2 ** max(attempt - 1, 0))
    return min(delay, LONGEST_RETRY)


async def keep_running(settings: Settings) -> None:
    """Every worker's loop until cancelled (the app's lifespan): run what is due, then wait."""
    while True:
        try:
            ran = await run_due(settings)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database blinked: try again at the next tick
            log.warning("job_loop_failed", error=type(error).__name__)
            ran = 0
        if ran < CLAIM_BATCH:
            await asyncio.sleep(settings.job_poll_seconds)


async def forget_finished(before: datetime) -> int:
    """Deletes jobs that finished DONE or CANCELLED before `before`; FAILED ones stay for
    inspection (`portal jobs status` counts them). Returns how many went."""
    return await Job.filter(finished_at__lt=before, outcome__in=("DONE", "CANCELLED")).delete()
