"""Patients register themselves and prove their address before anything else.

The account and the patient's record (api/services/patients) are made in one transaction, so
a registered patient always has a record to fill in.

Registering an address that already has an account answers exactly like a new
registration (nobody learns who has an account here); the owner gets a mail instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.exceptions import IntegrityError

from api.delivery.mail import MailTemplate
from api.models.accounts import Role, TokenPurpose, User, UserRole
from api.realtime.events import transaction
from api.services import audit, passwords
from api.services.accounts import tokens, validation
from api.services.accounts.errors import AccountErrorCode, AccountProblems, Problem, fail
from api.services.accounts.mailing import PendingMail, first_name, link, mask_email
from api.services.patients import profile as patient_profile
from api.settings import Settings

VERIFY_EMAIL_LIFETIME = timedelta(hours=24)
VERIFY_PATH = "/verify-email"


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    name: str
    date_of_birth: date
    phone: str
    time_zone: str


async def _validate(form: Registration) -> tuple[str, str, list[Problem]]:
    email, email_problem = validation.email_problem(form.email)
    phone, phone_problem = validation.normalise_phone(form.phone)
    problems = [
        email_problem,
        validation.name_problem(form.name),
        validation.date_of_birth_problem(form.date_of_birth, tokens.now().date()),
        phone_problem,
        validation.time_zone_problem(form.time_zone),
        await validation.password_problem(
            form.password,
            email,
            form.name,
            form.date_of_birth.isoformat(),
            form.date_of_birth.strftime("%d%m%Y"),
            form.date_of_birth.strftime("%m%d%Y"),
        ),
    ]
    return email, phone, [problem for problem in problems if problem is not None]


async def register(settings: Settings, form: Registration, ctx: audit.AuditContext) -> None:
    email, phone, problems = await _validate(form)
    if problems:
        raise AccountProblems(*problems)
    mail = PendingMail(settings)
    try:
        async with transaction():
            user = await User.create(
                email=email,
                password_hash=await passwords.hash_password_off_loop(form.password),
                display_name=" ".join(form.name.split()),
                date_of_birth=form.date_of_birth,
                phone=phone,
                time_zone=form.time_zone,
            )
            await UserRole.create(user=user, role=Role.PATIENT)
            await patient_profile.create_record(user, review_months=settings.profile_review_months)
            token = await tokens.issue(user, TokenPurpose.VERIFY_EMAIL, VERIFY_EMAIL_LIFETIME)
            await mail.to_user(
                user, MailTemplate.VERIFY_EMAIL, link=link(settings, VERIFY_PATH, token)
            )
            await audit.record(
                audit.AuditContext(actor_user_id=user.id, ip=ctx.ip),
                "account.registered",
                target_type="User",
                target_id=str(user.id),
            )
    except IntegrityError:
        await _tell_existing_owner(settings, email, ctx)
        return
    mail.send()


async def _tell_existing_owner(settings: Settings, email: str, ctx: audit.AuditContext) -> None:
    existing = await User.get_or_none(email=email)
    if existing is None:  # pragma: no cover - the constraint fired for another reason
        raise fail(AccountErrorCode.EMAIL_TAKEN, "This address cannot be used.", "email")
    mail = PendingMail(settings)
    await mail.to_user(
        existing,
        MailTemplate.ACCOUNT_EXISTS,
        link=f"{settings.public_url}/forgot-password",
        email=mask_email(existing.email),
    )
    await audit.record(
        ctx, "account.register_existing_address", target_type="User", target_id=str(existing.id)
    )
    mail.send()


async def verify_email(settings: Settings, token: str, ctx: audit.AuditContext) -> User:
    """Confirms a registration address or a new address from `changeEmail`."""
    used = await tokens.consume(token, (TokenPurpose.VERIFY_EMAIL, TokenPurpose.CHANGE_EMAIL))
    if used is None:
        raise fail(
            AccountErrorCode.INVALID_TOKEN,
            "This link has expired or was already used. Sign in to get a new one.",
            "token",
        )
    user: User = used.user
    moment = tokens.now()
    mail = PendingMail(settings)
    if used.purpose is TokenPurpose.CHANGE_EMAIL and used.new_email:
        old_email = user.email
        try:
            async with transaction():
                user.email = used.new_email
                user.email_verified_at = moment
                await user.save(update_fields=["email", "email_verified_at", "updated_at"])
                await mail.queue(
                    old_email,
                    MailTemplate.EMAIL_CHANGED_NOTICE,
                    name=first_name(user),
                    new_email_masked=mask_email(used.new_email),
                )
                await audit.record(
                    ctx, "account.email_changed", target_type="User", target_id=str(user.id)
                )
        except IntegrityError:
            raise fail(
                AccountErrorCode.EMAIL_TAKEN, "Another account uses this address now.", "token"
            ) from None
        mail.send()
        return user
    if user.email_verified_at is None:
        user.email_verified_at = moment
        await user.save(update_fields=["email_verified_at", "updated_at"])
    await audit.record(ctx, "account.email_verified", target_type="User", target_id=str(user.id))
    return user


async def resend_verification(settings: Settings, user_id: int, ctx: audit.AuditContext) -> None:
    user = await User.get(id=user_id)
    if user.email_verified_at is not None:
        raise fail(AccountErrorCode.ALREADY_VERIFIED, "Your address is already verified.")
    mail = PendingMail(settings)
    async with transaction():
        token = await tokens.issue(user, TokenPurpose.VERIFY_EMAIL, VERIFY_EMAIL_LIFETIME)
        await mail.to_user(user, MailTemplate.VERIFY_EMAIL, link=link(settings, VERIFY_PATH, token))
        await audit.record(
            ctx, "account.verification_resent", target_type="User", target_id=str(user.id)
        )
    mail.send()
