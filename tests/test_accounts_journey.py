"""The whole account journey, black-box over HTTP, with mail captured by a real SMTP server:
register -> mail -> verify -> sign in -> enrol TOTP -> sign out -> the code is asked and works,
its replay does not -> reset from the mailed link -> the old session is refused -> ten wrong
passwords from many IPs lock the account -> deactivate -> sign-in refused -> audit chain."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from functools import partial

import pyotp
import pytest
from starlette.applications import Starlette
from tortoise import connections

from api.app import create_app
from api.cli_ops import audit_verify
from api.delivery.mail import MailTemplate
from api.models.accounts import User
from api.models.outbox import OutboxMail
from api.services import audit
from api.settings import Settings
from tests.accounts_support import (
    ME,
    NEW_PASSWORD,
    PASSWORD,
    SECOND_FACTOR,
    browser,
    codes_of,
    delivered,
    gql,
    next_step_code,
    sign_in,
    token_from,
)
from tests.smtp_server import SmtpServer, smtp_server_fixture  # noqa: F401  (the fixture)

EMAIL = "maria.gonzalez@example.org"
REGISTER = """mutation($input: RegisterInput!) { register(input: $input) {
  __typename ... on Accepted { message } ... on AccountErrors { errors { code field message } }
} }"""


@pytest.fixture
def portal(settings: Settings, database: None, smtp_server: SmtpServer) -> Starlette:
    return create_app(settings.model_copy(update={"smtp_url": smtp_server.url}))


async def test_account_journey(
    portal: Starlette,
    smtp_server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with browser(portal) as web:
        # Register: the verification mail carries a PORTAL_PUBLIC_URL link.
        form = {
            "email": EMAIL,
            "password": PASSWORD,
            "name": "Maria Gonzalez",
            "dateOfBirth": "1980-05-17",
            "phone": "+1 (555) 010-0199",
            "timeZone": "America/New_York",
        }
        body = await gql(web, REGISTER, {"input": form})
        assert body["data"]["register"]["__typename"] == "Accepted"
        await delivered()
        [verification] = await smtp_server.wait_for(1)
        assert verification["To"] == EMAIL
        [link] = [u for u in smtp_server.links(verification) if "/verify-email" in u]
        assert link.startswith("http://testserver/verify-email?token=")

        verify = "mutation($t: String!) { verifyEmail(token: $t) { __typename ... on UserPayload { user { emailVerified } } ... on AccountErrors { errors { code } } } }"
        first = await gql(web, verify, {"t": token_from(link)})
        assert first["data"]["verifyEmail"]["user"]["emailVerified"] is True
        again = await gql(web, verify, {"t": token_from(link)})
        assert codes_of(again["data"]["verifyEmail"]) == ["INVALID_TOKEN"]

        # Sign in, enrol TOTP.
        assert (await sign_in(web, EMAIL))["state"] == "SIGNED_IN"
        assert (await gql(web, ME))["data"]["me"]["email"] == EMAIL
        start = await gql(
            web,
            "mutation($p: String!) { startTotpEnrollment(input: {currentPassword: $p}) { __typename ... on TotpEnrollment { secret otpauthUri qrSvg } } }",
            {"p": PASSWORD},
        )
        enrollment = start["data"]["startTotpEnrollment"]
        secret = enrollment["secret"]
        assert pyotp.parse_uri(enrollment["otpauthUri"]).secret == secret
        assert "<svg" in enrollment["qrSvg"]
        confirm = await gql(
            web,
            "mutation($c: String!) { confirmTotpEnrollment(code: $c) { __typename ... on RecoveryCodes { recoveryCodes } } }",
            {"c": pyotp.TOTP(secret).now()},
        )
        recovery_codes = confirm["data"]["confirmTotpEnrollment"]["recoveryCodes"]
        assert len(recovery_codes) == 10

        # Sign out; the next sign-in asks for the code, and the code works once only.
        await gql(web, "mutation { signOut { signedOut } }")
        assert (await gql(web, ME))["data"] == {"me": None, "signInState": "ANONYMOUS"}
        pending = await sign_in(web, EMAIL)
        assert pending == {
            "__typename": "SignInPayload",
            "state": "SECOND_FACTOR_REQUIRED",
            "sessionToken": None,
            "rememberedDeviceToken": None,
            "user": None,
        }
        assert (await gql(web, "{ me { email } }"))["data"]["me"] is None
        blocked = await gql(web, "{ users { edges { cursor } } }")
        assert blocked["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        code = next_step_code(secret)
        passed = await gql(web, SECOND_FACTOR, {"input": {"code": code}})
        assert passed["data"]["verifySecondFactor"]["state"] == "SIGNED_IN"
        await gql(web, "mutation { signOut { signedOut } }")
        await sign_in(web, EMAIL)
        replay = await gql(web, SECOND_FACTOR, {"input": {"code": code}})
        assert codes_of(replay["data"]["verifySecondFactor"]) == ["INVALID_CODE"]
        # A recovery code finishes this sign-in instead, and the owner is told by mail.
        recovered = await gql(web, SECOND_FACTOR, {"input": {"code": recovery_codes[0].lower()}})
        assert recovered["data"]["verifySecondFactor"]["state"] == "SIGNED_IN"

    # Reset the password from the mailed link (another browser): the old session is refused.
    async with browser(portal, ip="198.51.100.20") as other:
        await gql(
            other,
            'mutation { requestPasswordReset(email: "MARIA.gonzalez@example.org") { message } }',
        )
        await delivered()
        reset_mail = next(
            m for m in smtp_server.messages if "/reset-password" in smtp_server.text(m)
        )
        [reset_link] = [u for u in smtp_server.links(reset_mail) if "/reset-password" in u]
        assert reset_link.startswith("http://testserver/reset-password?token=")
        done = await gql(
            other,
            "mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { __typename } }",
            {"i": {"token": token_from(reset_link), "newPassword": NEW_PASSWORD}},
        )
        assert done["data"]["resetPassword"]["__typename"] == "Accepted"
    async with browser(portal) as web_again:
        web_again.cookies = web.cookies
        assert (await gql(web_again, ME))["data"]["me"] is None
        # The reset did not bypass two-factor.
        assert (await sign_in(web_again, EMAIL, NEW_PASSWORD))["state"] == "SECOND_FACTOR_REQUIRED"

    # Ten wrong passwords from ten addresses lock the account; the answer stays generic.
    for attempt in range(10):
        async with browser(portal, ip=f"192.0.2.{attempt + 1}") as stranger:
            assert codes_of(await sign_in(stranger, EMAIL, "wrong password " + str(attempt))) == [
                "INVALID_CREDENTIALS"
            ]
    async with browser(portal, ip="192.0.2.200") as owner:
        locked = await sign_in(owner, EMAIL, NEW_PASSWORD)
        assert codes_of(locked) == ["INVALID_CREDENTIALS"]
        assert locked["errors"][0]["message"] == "The email address or password is not right."
    await delivered()
    lock_mail = await OutboxMail.get(template=MailTemplate.ACCOUNT_LOCKED.value)
    assert lock_mail.to_address == EMAIL
    assert lock_mail.sent_at is not None
    assert any(m["Subject"] == lock_mail.subject for m in smtp_server.messages)

    # Time passes (the lock ends); the owner deactivates; sign-in is refused in plain words.
    await User.filter(email=EMAIL).update(locked_until=datetime.now(UTC) - timedelta(seconds=1))
    async with browser(portal) as web:
        await sign_in(web, EMAIL, NEW_PASSWORD)
        await gql(web, SECOND_FACTOR, {"input": {"code": recovery_codes[1]}})
        closed = await gql(
            web,
            "mutation($p: String!, $c: String) { deactivateAccount(input: {currentPassword: $p, code: $c}) { __typename } }",
            {"p": NEW_PASSWORD, "c": recovery_codes[2]},
        )
        assert closed["data"]["deactivateAccount"]["__typename"] == "Accepted"
        assert (await gql(web, ME))["data"]["me"] is None
        refused = await sign_in(web, EMAIL, NEW_PASSWORD)
        assert codes_of(refused) == ["ACCOUNT_DEACTIVATED"]
        assert "deactivated" in refused["errors"][0]["message"]

    # Every step is in the audit trail, and the chain holds until a row is altered.
    assert await audit_verify() == 0
    assert "audit chain OK" in capsys.readouterr().out
    await connections.get("default").execute_query(
        "UPDATE audit_event SET action = 'tampered' WHERE id = (SELECT MIN(id) FROM audit_event)"
    )
    assert await audit_verify() == 1


async def test_portal_audit_verify_command(settings: Settings, database: None) -> None:
    for action in ("auth.sign_in", "auth.sign_out", "account.password_changed"):
        await audit.record(audit.AuditContext(actor_user_id=1, ip="192.0.2.1"), action)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env["PORTAL_DATABASE_URL"] = settings.database_url
    command = [sys.executable, "-m", "api", "audit", "verify"]
    run = partial(subprocess.run, command, env=env, capture_output=True, text=True, check=False)
    good = await asyncio.to_thread(run)
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == "audit chain OK: 3 rows"
    await connections.get("default").execute_query(
        "UPDATE audit_event SET ip = '198.51.100.1' WHERE action = 'auth.sign_out'"
    )
    bad = await asyncio.to_thread(run)
    assert bad.returncode == 1
    assert "BROKEN" in bad.stderr
