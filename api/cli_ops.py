"""The work behind `portal create-user`, `portal outbox`, `portal audit verify` and
`portal jobs` (api/cli.py parses the arguments and opens the database around them)."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from api.models.accounts import Role, User
from api.models.jobs import Job
from api.models.outbox import OutboxMail
from api.services import accounts, audit
from api.services.patients import profile as patient_profile
from api.settings import Settings

_RULE = "-" * 72


async def create_user(
    settings: Settings, *, email: str, password: str, roles: list[Role], display_name: str
) -> User:
    """An account with its roles; a PATIENT also gets their record, in the same transaction."""
    async with in_transaction():
        user = await accounts.create_user(
            email=email, password=password, roles=roles, display_name=display_name
        )
        if Role.PATIENT in roles:
            await patient_profile.create_record(user, review_months=settings.profile_review_months)
    return user


async def print_outbox(unsent_only: bool, limit: int, *, with_bodies: bool = True) -> int:
    """List the newest mails, each with its text: in development this is where mail arrives.

    Bodies hold live links (password resets): production lists headers only."""
    if limit < 1:
        print("portal: --limit must be at least 1", file=sys.stderr)
        return 2
    query = OutboxMail.all()
    if unsent_only:
        query = query.filter(sent_at=None)
    rows = await query.order_by("-created_at", "-id").limit(limit)
    if not rows:
        print("no unsent mail" if unsent_only else "the outbox is empty")
        return 0
    for row in rows:
        state = "SENT" if row.sent_at is not None else "UNSENT"
        created = row.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        print(f"#{row.id}  {created}  to {row.to_address}  {row.subject}  [{state}]")
        if row.attempts and row.sent_at is None:
            print(f"  {row.attempts} failed attempt(s): {row.last_error}")
        if with_bodies:
            print(_RULE)
            print(row.text_body.rstrip("\n"))
            print(_RULE)
            print()
    return 0


async def audit_verify() -> int:
    """Check every link and hash of the audit trail; exit status 1 names the first bad row."""
    report = await audit.verify_chain()
    if report.ok:
        print(f"audit chain OK: {report.rows_checked} rows")
        return 0
    # `problem` reads "row N: what is wrong".
    print(f"audit chain BROKEN at {report.problem}", file=sys.stderr)
    return 1


async def print_job_status() -> int:
    """Per kind: how many wait (due now or later), run (claimed), and failed for good."""
    now = datetime.now(UTC)
    waiting: Counter[str] = Counter()
    running: Counter[str] = Counter()
    unfinished = await Job.filter(finished_at=None).values_list("kind", "locked_until")
    for kind, locked_until in unfinished:
        if locked_until is not None and locked_until > now:
            running[kind] += 1
        else:
            waiting[kind] += 1
    failed = Counter(kind for (kind,) in await Job.filter(outcome="FAILED").values_list("kind"))
    kinds = sorted(set(waiting) | set(running) | set(failed))
    if not kinds:
        print("no waiting, running or failed jobs")
        return 0
    print(f"{'kind':40} {'waiting':>8} {'running':>8} {'failed':>8}")
    for kind in kinds:
        print(f"{kind:40} {waiting[kind]:>8} {running[kind]:>8} {failed[kind]:>8}")
    return 0


async def run_due_jobs(settings: Settings) -> int:
    """Runs every due job once and exits: for a deployment that runs no server worker."""
    import api.app  # noqa: F401  (the app imports every service, which registers the handlers)
    from api.services import jobs

    ran = await jobs.run_until_idle(settings)
    print(f"ran {ran} job(s)")
    return 0
