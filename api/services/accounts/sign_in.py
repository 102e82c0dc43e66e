"""Signing in: password, then (when enrolled) a TOTP or recovery code.

Failures are counted per account across every IP: ten in a row lock the account for 15
minutes, twice as long at each repeat. The answer to a wrong password, an unknown address
and a locked account is the same sentence, and each costs one argon2 verification, so the
response says nothing about which it was. Only a correct password on a deactivated account
gets its own answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.expressions import F

from api.delivery.mail import MailTemplate
from api.models.accounts import (
    ClientKind,
    LoginAttempt,
    RecoveryCode,
    Session,
    SignInFailure,
    User,
)
from api.models.audit import AuditOutcome, AuditSeverity
from api.realtime.events import transaction
from api.services import audit, passwords, recovery_codes, secrets_box, totp
from api.services.accounts import devices, sessions
from api.services.accounts.devices import ClientInfo
from api.services.accounts.errors import AccountErrorCode, fail
from api.services.accounts.mailing import PendingMail, when
from api.services.accounts.normalise import normalise_email_for_lookup
from api.services.accounts.tokens import now
from api.services.notifications import notify_security
from api.settings import Settings

FAILURES_BEFORE_LOCK = 10
FIRST_LOCK = timedelta(minutes=15)
MAX_LOCK = timedelta(days=1)
TOTP_PURPOSE = "totp-secret"
GENERIC_FAILURE = "The email address or password is not right."
# Verified against when the address has no account, so that case costs the same time.
_DUMMY_HASH = passwords.hash_password("relief-timing-equaliser-not-a-password")


@dataclass(frozen=True)
class SignedIn:
    user: User
    session: Session
    token: str
    needs_second_factor: bool


def lock_duration(lockouts: int) -> timedelta:
    doubled: timedelta = FIRST_LOCK * (2 ** max(0, lockouts - 1))
    return min(doubled, MAX_LOCK)


async def _note_attempt(
    user: User | None, info: ClientInfo, failure: SignInFailure | None, new_device: bool = False
) -> None:
    await LoginAttempt.create(
        user=user,
        ip=info.ip[:45],
        user_agent=info.user_agent[:512],
        device_label=info.device_label,
        succeeded=failure is None,
        failure_reason=failure,
        new_device=new_device,
    )


async def _count_failure(
    settings: Settings, user: User, info: ClientInfo, ctx: audit.AuditContext
) -> None:
    """One more consecutive failure; the tenth locks the account and mails its owner."""
    await User.filter(id=user.id).update(failed_sign_ins=F("failed_sign_ins") + 1)
    await user.refresh_from_db(fields=["failed_sign_ins", "lockouts", "locked_until"])
    if user.failed_sign_ins < FAILURES_BEFORE_LOCK:
        return
    lockouts = user.lockouts + 1
    duration = lock_duration(lockouts)
    until = now() + duration
    mail = PendingMail(settings)
    async with transaction():
        await User.filter(id=user.id).update(
            failed_sign_ins=0, lockouts=lockouts, locked_until=until
        )
        await mail.to_user(
            user,
            MailTemplate.ACCOUNT_LOCKED,
            minutes=str(int(duration.total_seconds() // 60)),
            reset_link=f"{settings.public_url}/forgot-password",
        )
        await notify_security(user.id, "Your account was locked after too many failed sign-ins")
        await audit.record(
            ctx,
            "auth.account_locked",
            target_type="User",
            target_id=str(user.id),
            outcome=AuditOutcome.DENIED,
            severity=AuditSeverity.HIGH,
            details={"lock_minutes": int(duration.total_seconds() // 60), "lockouts": lockouts},
        )
    mail.send()


async def sign_in(
    settings: Settings,
    email: str,
    password: str,
    client: ClientKind,
    info: ClientInfo,
    remembered_device_token: str | None,
) -> SignedIn:
    ctx = audit.AuditContext(ip=info.ip)
    address = normalise_email_for_lookup(email)
    user = await User.get_or_none(email=address) if address else None
    if user is None:
        await passwords.verify_password_off_loop(_DUMMY_HASH, password)
        await _note_attempt(None, info, SignInFailure.UNKNOWN_ACCOUNT)
        await audit.record(
            ctx, "auth.sign_in", outcome=AuditOutcome.FAILURE, details={"reason": "UNKNOWN_ACCOUNT"}
        )
        raise fail(AccountErrorCode.INVALID_CREDENTIALS, GENERIC_FAILURE)

    ctx = audit.AuditContext(actor_user_id=user.id, ip=info.ip)
    password_ok = await passwords.verify_password_off_loop(user.password_hash, password)
    if user.locked_until is not None and user.locked_until > now():
        await _note_attempt(user, info, SignInFailure.LOCKED)
        await audit.record(
            ctx, "auth.sign_in", outcome=AuditOutcome.DENIED, details={"reason": "LOCKED"}
        )
        raise fail(AccountErrorCode.INVALID_CREDENTIALS, GENERIC_FAILURE)
    if not password_ok:
        await _note_attempt(user, info, SignInFailure.BAD_PASSWORD)
        await audit.record(
            ctx, "auth.sign_in", outcome=AuditOutcome.FAILURE, details={"reason": "BAD_PASSWORD"}
        )
        await _count_failure(settings, user, info, ctx)
        raise fail(AccountErrorCode.INVALID_CREDENTIALS, GENERIC_FAILURE)
    if not user.is_active:
        await _note_attempt(user, info, SignInFailure.DEACTIVATED)
        await audit.record(
            ctx, "auth.sign_in", outcome=AuditOutcome.DENIED, details={"reason": "DEACTIVATED"}
        )
        raise fail(
            AccountErrorCode.ACCOUNT_DEACTIVATED,
            "This account has been deactivated. Contact the clinic if you want it reopened.",
        )

    if passwords.needs_rehash(user.password_hash):
        user.password_hash = await passwords.hash_password_off_loop(password)
        await user.save(update_fields=["password_hash"])
    await User.filter(id=user.id).update(failed_sign_ins=0, locked_until=None)
    needs_code = user.totp_confirmed_at is not None and not await devices.is_remembered(
        user, remembered_device_token
    )
    issued = await sessions.start(settings, user, client, info, needs_second_factor=needs_code)
    if not needs_code:
        await _finish(settings, user, issued.session, info)
    return SignedIn(
        user=user, session=issued.session, token=issued.token, needs_second_factor=needs_code
    )


async def _finish(settings: Settings, user: User, session: Session, info: ClientInfo) -> None:
    """The sign-in is complete: history, new-device mail, audit."""
    label = info.device_label
    seen_before = await LoginAttempt.filter(user=user, succeeded=True).exists()
    known_device = await LoginAttempt.filter(user=user, succeeded=True, device_label=label).exists()
    new_device = seen_before and not known_device
    mail = PendingMail(settings)
    async with transaction():
        await _note_attempt(user, info, None, new_device=new_device)
        if new_device:
            await mail.to_user(
                user,
                MailTemplate.NEW_DEVICE_SIGN_IN,
                device=label,
                ip=info.ip or "unknown",
                when=when(now()),
            )
            await notify_security(user.id, "New sign-in from a device we have not seen before")
        await audit.record(
            audit.AuditContext(actor_user_id=user.id, ip=info.ip, session_id=session.id),
            "auth.sign_in",
            details={"new_device": new_device, "client": session.client.value},
        )
    mail.send()


def _looks_like_totp(code: str) -> bool:
    digits = code.replace(" ", "").replace("-", "")
    return len(digits) == 6 and digits.isdigit()


async def check_second_factor(settings: Settings, user: User, code: str) -> str | None:
    """'totp' or 'recovery' when the code is right (and now used), else None."""
    if user.totp_secret_encrypted is None or user.totp_confirmed_at is None:
        return None
    if _looks_like_totp(code):
        secret = secrets_box.decrypt(
            user.totp_secret_encrypted, key_material=settings.secret(), purpose=TOTP_PURPOSE
        )
        check = totp.check_code(secret, code, last_accepted_step=user.totp_last_step)
        if not check.accepted or check.step is None:
            return None
        # Conditional update: two requests racing with the same code cannot both win.
        query = User.filter(id=user.id)
        query = (
            query.filter(totp_last_step__lt=check.step)
            if user.totp_last_step is not None
            else query.filter(totp_last_step=None)
        )
        won = await query.update(totp_last_step=check.step)
        return "totp" if won == 1 else None
    normalised = recovery_codes.normalise_code(code)
    if not normalised:
        return None
    digest = recovery_codes.hash_code(normalised, key_material=settings.secret())
    used = await RecoveryCode.filter(user=user, code_hash=digest, used_at=None).update(
        used_at=now()
    )
    return "recovery" if used == 1 else None


async def verify_second_factor(
    settings: Settings,
    user_id: int,
    session_id: int,
    code: str,
    remember_device: bool,
    info: ClientInfo,
) -> tuple[SignedIn, str | None]:
    """Completes a pending sign-in. Returns the signed-in session (with a new token) and a
    remembered-device token when the user asked to be remembered."""
    user = await User.get(id=user_id)
    session = await Session.get(id=session_id, user_id=user_id)
    ctx = audit.AuditContext(actor_user_id=user.id, ip=info.ip, session_id=session.id)
    kind = await check_second_factor(settings, user, code)
    if kind is None:
        await _note_attempt(user, info, SignInFailure.BAD_SECOND_FACTOR)
        await audit.record(ctx, "auth.second_factor", outcome=AuditOutcome.FAILURE)
        await _count_failure(settings, user, info, ctx)
        await user.refresh_from_db(fields=["locked_until"])
        if user.locked_until is not None and user.locked_until > now():
            await sessions.end(session, "LOCKED")
        raise fail(
            AccountErrorCode.INVALID_CODE,
            "That code is not right. Try the newest code from your app.",
            "code",
        )

    await User.filter(id=user.id).update(failed_sign_ins=0)
    session.second_factor_at = now()
    await session.save(update_fields=["second_factor_at"])
    token = await sessions.rotate(session)
    device_token = None
    if remember_device:
        device_token = await devices.remember(
            user, info.device_label, settings.remember_device_days
        )
        await audit.record(ctx, "auth.device_remembered")
    if kind == "recovery":
        remaining = await RecoveryCode.filter(user=user, used_at=None).count()
        mail = PendingMail(settings)
        await mail.to_user(
            user, MailTemplate.RECOVERY_CODE_USED, remaining=str(remaining), when=when(now())
        )
        await audit.record(
            ctx,
            "auth.recovery_code_used",
            severity=AuditSeverity.WARNING,
            details={"remaining": remaining},
        )
        mail.send()
    await _finish(settings, user, session, info)
    signed_in = SignedIn(user=user, session=session, token=token, needs_second_factor=False)
    return signed_in, device_token


async def sign_out(user_id: int, session_id: int, ip: str) -> None:
    await sessions.end_by_id(user_id, session_id, "SIGNED_OUT")
    await audit.record(
        audit.AuditContext(actor_user_id=user_id, ip=ip, session_id=session_id), "auth.sign_out"
    )
