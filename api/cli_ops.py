"""The work behind `portal create-user`, `portal outbox` and `portal audit verify` (api/cli.py
parses the arguments and opens the database around them)."""

from __future__ import annotations

import sys
from datetime import UTC

from tortoise.transactions import in_transaction

from api.models.accounts import Role, User
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
