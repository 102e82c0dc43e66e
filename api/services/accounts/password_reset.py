"""Forgotten passwords: a mailed, single-use, 30-minute link.

`request_reset` answers the same way, in about the same time, whether or not the address
has an account: the mail is queued inside the request and delivered after it. At most five
links an hour per account. A reset ends every session, and does not skip two-factor: the
next sign-in still asks for the code.
"""

from __future__ import annotations

from datetime import timedelta

from api.access.rate_limits import Budget, RateLimits
from api.delivery.mail import MailTemplate
from api.models.accounts import AccountToken, TokenPurpose, User
from api.models.audit import AuditOutcome, AuditSeverity
from api.realtime.events import transaction
from api.services import audit, passwords
from api.services.accounts import sessions, tokens
from api.services.accounts.errors import AccountErrorCode, AccountProblems, fail
from api.services.accounts.mailing import PendingMail, link, when
from api.services.accounts.normalise import normalise_email_for_lookup
from api.services.accounts.validation import password_problem
from api.services.background import run_in_background
from api.services.notifications import notify_security
from api.settings import Settings

RESET_LIFETIME = timedelta(minutes=30)
RESET_PATH = "/reset-password"


async def request_reset(
    settings: Settings, limits: RateLimits, email: str, ctx: audit.AuditContext
) -> None:
    """Answers at once, the same way for every address: the look-up, the token and the mail
    happen after the response, so its timing says nothing about the address."""
    run_in_background(_issue_reset(settings, limits, email, ctx), "password-reset")


async def _issue_reset(
    settings: Settings, limits: RateLimits, email: str, ctx: audit.AuditContext
) -> None:
    address = normalise_email_for_lookup(email)
    user = await User.get_or_none(email=address) if address else None
    if user is None or not user.is_active:
        await audit.record(
            ctx,
            "account.password_reset_requested",
            outcome=AuditOutcome.FAILURE,
            details={"reason": "NO_ACTIVE_ACCOUNT"},
        )
        return
    if not await limits.try_spend(Budget.RESET_PER_ACCOUNT, str(user.id)):
        await audit.record(
            ctx,
            "account.password_reset_requested",
            target_type="User",
            target_id=str(user.id),
            outcome=AuditOutcome.DENIED,
            details={"reason": "HOURLY_LIMIT"},
        )
        return
    mail = PendingMail(settings)
    async with transaction():
        token = await tokens.issue(user, TokenPurpose.RESET_PASSWORD, RESET_LIFETIME)
        await mail.to_user(
            user,
            MailTemplate.PASSWORD_RESET,
            link=link(settings, RESET_PATH, token),
            minutes=str(int(RESET_LIFETIME.total_seconds() // 60)),
        )
        await audit.record(
            ctx, "account.password_reset_requested", target_type="User", target_id=str(user.id)
        )
    mail.send()


async def reset_password(
    settings: Settings, token: str, new_password: str, ctx: audit.AuditContext
) -> User:
    # Check the password before spending the token, so a weak choice can be corrected.
    pending = await _peek(token)
    problem = await password_problem(new_password, pending.email, pending.display_name)
    if problem is not None:
        raise AccountProblems(problem)
    used = await tokens.consume(token, (TokenPurpose.RESET_PASSWORD,))
    if used is None:
        raise _bad_link()
    user: User = used.user
    mail = PendingMail(settings)
    async with transaction():
        moment = tokens.now()
        user.password_hash = await passwords.hash_password_off_loop(new_password)
        user.password_changed_at = moment
        # The mailed link proves the mailbox, as the verification link would have.
        user.email_verified_at = user.email_verified_at or moment
        user.failed_sign_ins = 0
        user.locked_until = None
        await user.save(
            update_fields=[
                "password_hash",
                "password_changed_at",
                "email_verified_at",
                "failed_sign_ins",
                "locked_until",
                "updated_at",
            ]
        )
        ended = await sessions.end_all(user.id, "PASSWORD_RESET")
        await mail.to_user(user, MailTemplate.PASSWORD_CHANGED, when=when(moment))
        await notify_security(user.id, "Your password was changed")
        await audit.record(
            audit.AuditContext(actor_user_id=user.id, ip=ctx.ip),
            "account.password_reset",
            target_type="User",
            target_id=str(user.id),
            severity=AuditSeverity.WARNING,
            details={"sessions_ended": ended},
        )
    mail.send()
    return user


async def _peek(token: str) -> User:
    if not token or len(token) > 200:
        raise _bad_link()
    row = await AccountToken.get_or_none(
        token_hash=tokens.token_hash(token),
        purpose=TokenPurpose.RESET_PASSWORD,
        used_at=None,
        expires_at__gt=tokens.now(),
    ).prefetch_related("user")
    if row is None:
        raise _bad_link()
    user: User = row.user
    return user


def _bad_link() -> AccountProblems:
    return fail(
        AccountErrorCode.INVALID_TOKEN,
        "This reset link has expired or was already used. Ask for a new one.",
        "token",
    )
