"""Account security events reach the notification centre too, and their email is sent once.

The account's own security mail is the email channel for SECURITY: these tests check that the
centre gets an in-app SECURITY notification next to each such mail, that push follows the
preferences, and that no second email is made for it.
"""

from __future__ import annotations

import contextlib

import pyotp

from api.models.accounts import ClientKind, User
from api.models.notifications import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationChannel,
    NotificationKind,
)
from api.models.outbox import OutboxMail
from api.services import audit
from api.services.accounts import security, sign_in
from api.services.accounts.devices import ClientInfo
from api.services.accounts.errors import AccountProblems
from api.services.accounts.sign_in import FAILURES_BEFORE_LOCK
from api.settings import Settings
from tests.accounts_support import NEW_PASSWORD, PASSWORD, make_user, next_step_code

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"


async def _security_titles(user: User) -> list[str]:
    rows = await Notification.filter(user_id=user.id, kind=NotificationKind.SECURITY).order_by("id")
    assert all(row.link == "/account/security" for row in rows)
    return [row.title for row in rows]


async def _channels(user: User) -> list[tuple[NotificationChannel, DeliveryStatus]]:
    rows = await Delivery.filter(notification__user_id=user.id).order_by("id")
    return [(row.channel, row.status) for row in rows]


async def test_password_change_is_in_the_centre_and_mailed_once(
    database: None, settings: Settings
) -> None:
    maria = await make_user()
    ctx = audit.AuditContext(actor_user_id=maria.id)
    await security.change_password(
        settings, maria, security.Reauthentication(PASSWORD), NEW_PASSWORD, ctx
    )
    assert await _security_titles(maria) == ["Your password was changed"]
    assert await OutboxMail.filter(template="password_changed").count() == 1
    assert not await OutboxMail.filter(template="notification").exists()
    # Push is on for SECURITY by default (no subscription here); never an EMAIL delivery.
    assert await _channels(maria) == [(NotificationChannel.PUSH, DeliveryStatus.SKIPPED)]


async def test_two_factor_on_and_off(database: None, settings: Settings) -> None:
    maria = await make_user()
    ctx = audit.AuditContext(actor_user_id=maria.id)
    proof = security.Reauthentication(PASSWORD)
    enrollment = await security.start_totp_enrollment(settings, maria, proof, ctx)
    await security.confirm_totp_enrollment(
        settings, maria, pyotp.TOTP(enrollment.secret).now(), ctx
    )
    maria = await User.get(id=maria.id)
    second = security.Reauthentication(PASSWORD, next_step_code(enrollment.secret))
    await security.disable_totp(settings, maria, second, ctx)
    assert await _security_titles(maria) == [
        "Two-step sign-in was turned on",
        "Two-step sign-in was turned off",
    ]
    assert await OutboxMail.filter(template__startswith="two_factor").count() == 2


async def test_new_device_and_lockout(database: None, settings: Settings) -> None:
    maria = await make_user()
    await sign_in.sign_in(
        settings, maria.email, PASSWORD, ClientKind.WEB, ClientInfo("198.51.100.1", CHROME), None
    )
    assert await _security_titles(maria) == []  # the first device ever is not news
    await sign_in.sign_in(
        settings, maria.email, PASSWORD, ClientKind.WEB, ClientInfo("198.51.100.2", FIREFOX), None
    )
    assert await _security_titles(maria) == ["New sign-in from a device we have not seen before"]

    for _ in range(FAILURES_BEFORE_LOCK):
        with contextlib.suppress(AccountProblems):
            await sign_in.sign_in(
                settings,
                maria.email,
                "wrong",
                ClientKind.WEB,
                ClientInfo("198.51.100.3", CHROME),
                None,
            )
    assert (await _security_titles(maria))[-1] == (
        "Your account was locked after too many failed sign-ins"
    )
    assert await OutboxMail.filter(template="account_locked").count() == 1
    assert await OutboxMail.filter(template="new_device_sign_in").count() == 1
