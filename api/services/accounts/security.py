"""What a signed-in user does to keep the account safe: change password or address,
two-factor, recovery codes, sessions, devices, deactivation.

Every change here first asks again for the password, plus a current code when two-factor
is on (re-authentication): a session left open on a shared computer is not enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from api.delivery.mail import MailTemplate
from api.models.accounts import RecoveryCode, Role, TokenPurpose, User
from api.models.audit import AuditOutcome, AuditSeverity
from api.realtime.events import transaction
from api.services import audit, passwords, recovery_codes, secrets_box, totp
from api.services.accounts import devices, sessions, tokens
from api.services.accounts.errors import AccountErrorCode, AccountProblems, fail
from api.services.accounts.mailing import PendingMail, first_name, link, mask_email, when
from api.services.accounts.password_reset import RESET_PATH
from api.services.accounts.registration import VERIFY_PATH
from api.services.accounts.sign_in import TOTP_PURPOSE, check_second_factor
from api.services.accounts.users import EmailTaken, create_user
from api.services.accounts.validation import email_problem, password_problem
from api.services.notifications import notify_security
from api.settings import Settings

CHANGE_EMAIL_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class Reauthentication:
    password: str
    code: str | None = None


async def reauthenticate(
    settings: Settings, user: User, proof: Reauthentication, ctx: audit.AuditContext
) -> None:
    password_ok = await passwords.verify_password_off_loop(user.password_hash, proof.password)
    code_ok = True
    if password_ok and user.totp_confirmed_at is not None:
        code_ok = (
            proof.code is not None
            and await check_second_factor(settings, user, proof.code) is not None
        )
    if password_ok and code_ok:
        return
    await audit.record(ctx, "account.reauthentication", outcome=AuditOutcome.FAILURE)
    wants_code = " and a code from your authenticator app" if user.totp_confirmed_at else ""
    raise fail(
        AccountErrorCode.REAUTHENTICATION_FAILED,
        f"Enter your current password{wants_code} to confirm it is you.",
        "currentPassword" if not password_ok else "code",
    )


async def change_password(
    settings: Settings,
    user: User,
    proof: Reauthentication,
    new_password: str,
    ctx: audit.AuditContext,
) -> int:
    """Returns how many other sessions were ended."""
    problem = await password_problem(new_password, user.email, user.display_name)
    if problem is not None:
        raise AccountProblems(problem)
    await reauthenticate(settings, user, proof, ctx)
    mail = PendingMail(settings)
    async with transaction():
        moment = tokens.now()
        user.password_hash = await passwords.hash_password_off_loop(new_password)
        user.password_changed_at = moment
        await user.save(update_fields=["password_hash", "password_changed_at", "updated_at"])
        ended = await sessions.end_all(
            user.id, "PASSWORD_CHANGED", except_session_id=ctx.session_id
        )
        await mail.to_user(user, MailTemplate.PASSWORD_CHANGED, when=when(moment))
        await notify_security(user.id, "Your password was changed")
        await audit.record(
            ctx,
            "account.password_changed",
            target_type="User",
            target_id=str(user.id),
            details={"sessions_ended": ended},
        )
    mail.send()
    return ended


async def change_email(
    settings: Settings,
    user: User,
    proof: Reauthentication,
    new_email: str,
    ctx: audit.AuditContext,
) -> None:
    """Mails a confirmation link to the new address and tells the old one; the address
    changes when the link is used (verifyEmail)."""
    address, problem = email_problem(new_email)
    if problem is not None:
        raise AccountProblems(problem)
    if address == user.email:
        raise fail(AccountErrorCode.INVALID_EMAIL, "That is already your address.", "email")
    await reauthenticate(settings, user, proof, ctx)
    if await User.filter(email=address).exists():
        raise fail(AccountErrorCode.EMAIL_TAKEN, "Another account uses this address.", "email")
    mail = PendingMail(settings)
    async with transaction():
        token = await tokens.issue(
            user, TokenPurpose.CHANGE_EMAIL, CHANGE_EMAIL_LIFETIME, new_email=address
        )
        await mail.queue(
            address,
            MailTemplate.CONFIRM_NEW_EMAIL,
            name=first_name(user),
            link=link(settings, VERIFY_PATH, token),
        )
        await mail.to_user(
            user, MailTemplate.EMAIL_CHANGED_NOTICE, new_email_masked=mask_email(address)
        )
        await audit.record(
            ctx, "account.email_change_requested", target_type="User", target_id=str(user.id)
        )
    mail.send()


async def start_totp_enrollment(
    settings: Settings, user: User, proof: Reauthentication, ctx: audit.AuditContext
) -> totp.Enrollment:
    if user.totp_confirmed_at is not None:
        raise fail(AccountErrorCode.TWO_FACTOR_ALREADY_ENABLED, "Two-factor sign-in is already on.")
    await reauthenticate(settings, user, proof, ctx)
    enrollment = totp.new_enrollment(user.email)
    user.totp_secret_encrypted = secrets_box.encrypt(
        enrollment.secret, key_material=settings.secret(), purpose=TOTP_PURPOSE
    )
    user.totp_last_step = None
    await user.save(update_fields=["totp_secret_encrypted", "totp_last_step", "updated_at"])
    await audit.record(ctx, "totp.enrollment_started", target_type="User", target_id=str(user.id))
    return enrollment


async def _new_recovery_codes(settings: Settings, user: User) -> list[str]:
    codes = recovery_codes.generate_codes()
    await RecoveryCode.filter(user=user).delete()
    await RecoveryCode.bulk_create(
        [
            RecoveryCode(
                user=user,
                code_hash=recovery_codes.hash_code(
                    recovery_codes.normalise_code(code), key_material=settings.secret()
                ),
            )
            for code in codes
        ]
    )
    return codes


async def confirm_totp_enrollment(
    settings: Settings, user: User, code: str, ctx: audit.AuditContext
) -> list[str]:
    """Turns two-factor on with the first code; returns the recovery codes (shown once)."""
    if user.totp_confirmed_at is not None:
        raise fail(AccountErrorCode.TWO_FACTOR_ALREADY_ENABLED, "Two-factor sign-in is already on.")
    if user.totp_secret_encrypted is None:
        raise fail(
            AccountErrorCode.NO_PENDING_ENROLLMENT, "Start setting up two-factor sign-in first."
        )
    secret = secrets_box.decrypt(
        user.totp_secret_encrypted, key_material=settings.secret(), purpose=TOTP_PURPOSE
    )
    check = totp.check_code(secret, code, last_accepted_step=user.totp_last_step)
    if not check.accepted:
        await audit.record(ctx, "totp.enrollment_confirmed", outcome=AuditOutcome.FAILURE)
        raise fail(
            AccountErrorCode.INVALID_CODE,
            "That code is not right. Try the newest code from your app.",
            "code",
        )
    mail = PendingMail(settings)
    async with transaction():
        user.totp_confirmed_at = tokens.now()
        user.totp_last_step = check.step
        await user.save(update_fields=["totp_confirmed_at", "totp_last_step", "updated_at"])
        codes = await _new_recovery_codes(settings, user)
        await mail.to_user(user, MailTemplate.TWO_FACTOR_ENABLED)
        await notify_security(user.id, "Two-step sign-in was turned on")
        await audit.record(ctx, "totp.enabled", target_type="User", target_id=str(user.id))
    mail.send()
    return codes


async def disable_totp(
    settings: Settings, user: User, proof: Reauthentication, ctx: audit.AuditContext
) -> None:
    if user.totp_confirmed_at is None:
        raise fail(AccountErrorCode.TWO_FACTOR_NOT_ENABLED, "Two-factor sign-in is not on.")
    await reauthenticate(settings, user, proof, ctx)
    mail = PendingMail(settings)
    async with transaction():
        await User.filter(id=user.id).update(
            totp_secret_encrypted=None, totp_confirmed_at=None, totp_last_step=None
        )
        await RecoveryCode.filter(user=user).delete()
        await devices.forget_all(user)
        await mail.to_user(user, MailTemplate.TWO_FACTOR_DISABLED, when=when(tokens.now()))
        await notify_security(user.id, "Two-step sign-in was turned off")
        await audit.record(
            ctx,
            "totp.disabled",
            target_type="User",
            target_id=str(user.id),
            severity=AuditSeverity.WARNING,
        )
    mail.send()


async def regenerate_recovery_codes(
    settings: Settings, user: User, proof: Reauthentication, ctx: audit.AuditContext
) -> list[str]:
    if user.totp_confirmed_at is None:
        raise fail(AccountErrorCode.TWO_FACTOR_NOT_ENABLED, "Turn on two-factor sign-in first.")
    await reauthenticate(settings, user, proof, ctx)
    async with transaction():
        codes = await _new_recovery_codes(settings, user)
        await audit.record(
            ctx, "recovery_codes.regenerated", target_type="User", target_id=str(user.id)
        )
    return codes


async def deactivate(
    settings: Settings, user: User, proof: Reauthentication, ctx: audit.AuditContext
) -> None:
    """Nothing is deleted: records are kept (six years); an admin can reactivate."""
    await reauthenticate(settings, user, proof, ctx)
    mail = PendingMail(settings)
    async with transaction():
        user.is_active = False
        user.deactivated_at = tokens.now()
        await user.save(update_fields=["is_active", "deactivated_at", "updated_at"])
        ended = await sessions.end_all(user.id, "DEACTIVATED")
        await devices.forget_all(user)
        await mail.to_user(user, MailTemplate.ACCOUNT_DEACTIVATED)
        await audit.record(
            ctx,
            "account.deactivated",
            target_type="User",
            target_id=str(user.id),
            severity=AuditSeverity.WARNING,
            details={"sessions_ended": ended},
        )
    mail.send()


async def reactivate(settings: Settings, user_id: int, ctx: audit.AuditContext) -> User:
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise fail(AccountErrorCode.NOT_FOUND, "No such account.", "userId")
    mail = PendingMail(settings)
    async with transaction():
        user.is_active = True
        user.deactivated_at = None
        user.failed_sign_ins = 0
        user.locked_until = None
        await user.save(
            update_fields=[
                "is_active",
                "deactivated_at",
                "failed_sign_ins",
                "locked_until",
                "updated_at",
            ]
        )
        await mail.to_user(user, MailTemplate.ACCOUNT_REACTIVATED)
        await audit.record(
            ctx,
            "account.reactivated",
            target_type="User",
            target_id=str(user.id),
            severity=AuditSeverity.WARNING,
        )
    mail.send()
    return user


async def revoke_session(user: User, session_id: int, ctx: audit.AuditContext) -> None:
    if not await sessions.end_by_id(user.id, session_id, "REVOKED"):
        raise fail(AccountErrorCode.NOT_FOUND, "That session has already ended.", "sessionId")
    await audit.record(ctx, "session.revoked", target_type="Session", target_id=str(session_id))


async def revoke_all_sessions(user: User, keep_current: bool, ctx: audit.AuditContext) -> int:
    keep = ctx.session_id if keep_current else None
    ended = await sessions.end_all(user.id, "REVOKED_ALL", except_session_id=keep)
    if not keep_current:
        await devices.forget_all(user)
    await audit.record(
        ctx, "session.revoked_all", details={"sessions_ended": ended, "kept_current": keep_current}
    )
    return ended


async def forget_device(user: User, device_id: int, ctx: audit.AuditContext) -> None:
    if not await devices.forget(user, device_id):
        raise fail(AccountErrorCode.NOT_FOUND, "That device is not remembered.", "deviceId")
    await audit.record(
        ctx, "device.forgotten", target_type="RememberedDevice", target_id=str(device_id)
    )


STAFF_LINK_LIFETIME = timedelta(hours=24)


async def create_staff_user(
    settings: Settings, email: str, name: str, roles: list[Role], ctx: audit.AuditContext
) -> User:
    """An admin creates a staff account; the person sets a password from a mailed link
    (24 h), which also proves the address. No password ever travels through the admin."""
    address, problem = email_problem(email)
    if problem is not None:
        raise AccountProblems(problem)
    if not roles:
        raise fail(AccountErrorCode.INVALID_ROLE, "Give the account at least one role.", "roles")
    mail = PendingMail(settings)
    try:
        async with transaction():
            user = await create_user(
                email=address, password=tokens.new_token(), roles=roles, display_name=name
            )
            token = await tokens.issue(user, TokenPurpose.RESET_PASSWORD, STAFF_LINK_LIFETIME)
            await mail.to_user(
                user,
                MailTemplate.PASSWORD_RESET,
                link=link(settings, RESET_PATH, token),
                minutes=str(int(STAFF_LINK_LIFETIME.total_seconds() // 60)),
            )
            await audit.record(
                ctx,
                "account.staff_created",
                target_type="User",
                target_id=str(user.id),
                details={"roles": ",".join(sorted(role.value for role in roles))},
            )
    except EmailTaken:
        raise fail(
            AccountErrorCode.EMAIL_TAKEN, "An account with this address exists.", "email"
        ) from None
    mail.send()
    return user
