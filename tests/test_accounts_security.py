"""Two-factor, recovery codes, remembered devices, password reset, lockout, rate limits,
re-authentication, address change, deactivation and staff accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
import pytest
from starlette.applications import Starlette
from strawberry.relay import GlobalID

from api.app import create_app
from api.models.accounts import AccountToken, RecoveryCode, Role, Session, User
from api.models.audit import AuditEvent
from api.models.outbox import OutboxMail
from api.services.accounts.sign_in import lock_duration
from api.services.background import wait_for_background
from api.settings import Settings
from tests.accounts_support import (
    ME,
    NEW_PASSWORD,
    PASSWORD,
    SECOND_FACTOR,
    browser,
    code_at,
    codes_of,
    gql,
    make_user,
    next_step_code,
    sign_in,
    token_from,
)

EMAIL = "maria@example.org"
START = """mutation($p: String!) { startTotpEnrollment(input: {currentPassword: $p}) {
  __typename ... on TotpEnrollment { secret } ... on AccountErrors { errors { code field } } } }"""
CONFIRM = """mutation($c: String!) { confirmTotpEnrollment(code: $c) {
  __typename ... on RecoveryCodes { recoveryCodes } ... on AccountErrors { errors { code } } } }"""


@pytest.fixture
def portal(settings: Settings, database: None) -> Starlette:
    return create_app(settings)


async def _enrol(web: httpx.AsyncClient) -> tuple[str, list[str]]:
    secret = (await gql(web, START, {"p": PASSWORD}))["data"]["startTotpEnrollment"]["secret"]
    codes = (await gql(web, CONFIRM, {"c": pyotp.TOTP(secret).now()}))["data"][
        "confirmTotpEnrollment"
    ]["recoveryCodes"]
    return secret, codes


async def _enrolled_then_signed_in_again(web: httpx.AsyncClient) -> tuple[str, list[str]]:
    """Two-factor on, signed out, and signed in again: the session awaits its code."""
    await sign_in(web, EMAIL)
    secret, codes = await _enrol(web)
    await gql(web, "mutation { signOut { signedOut } }")
    await sign_in(web, EMAIL)
    return secret, codes


async def _latest_link(email: str, template: str) -> str:
    await wait_for_background()  # reset links are issued after the response
    mail = await OutboxMail.filter(to_address=email, template=template).order_by("-id").first()
    assert mail is not None, f"no {template} mail to {email}"
    return next(word for word in mail.text_body.split() if "token=" in word)


async def test_totp_secret_is_encrypted_at_rest_and_enrolment_needs_a_code(
    portal: Starlette,
) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await sign_in(web, EMAIL)
        wrong = await gql(web, START, {"p": "not the password"})
        assert codes_of(wrong["data"]["startTotpEnrollment"]) == ["REAUTHENTICATION_FAILED"]
        secret = (await gql(web, START, {"p": PASSWORD}))["data"]["startTotpEnrollment"]["secret"]
        user = await User.get(email=EMAIL)
        assert user.totp_secret_encrypted is not None
        assert secret not in user.totp_secret_encrypted
        assert user.totp_confirmed_at is None  # not on until confirmed
        bad = await gql(
            web, CONFIRM, {"c": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"}
        )
        assert codes_of(bad["data"]["confirmTotpEnrollment"]) == ["INVALID_CODE"]
        good = await gql(web, CONFIRM, {"c": pyotp.TOTP(secret).now()})
        codes = good["data"]["confirmTotpEnrollment"]["recoveryCodes"]
        assert len(set(codes)) == 10
        hashes = await RecoveryCode.filter(user=user).values_list("code_hash", flat=True)
        assert all(code.replace("-", "") not in str(hashes) for code in codes)
        assert (await gql(web, ME))["data"]["me"]["twoFactorEnabled"] is True


async def test_codes_of_the_previous_and_next_step_work_older_ones_do_not(
    portal: Starlette,
) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        secret, _ = await _enrolled_then_signed_in_again(web)
        now = datetime.now(UTC)
        stale = await gql(
            web, SECOND_FACTOR, {"input": {"code": code_at(secret, now - timedelta(seconds=90))}}
        )
        assert codes_of(stale["data"]["verifySecondFactor"]) == ["INVALID_CODE"]
        ahead = await gql(
            web, SECOND_FACTOR, {"input": {"code": code_at(secret, now + timedelta(seconds=30))}}
        )
        assert ahead["data"]["verifySecondFactor"]["state"] == "SIGNED_IN"


async def test_a_pending_session_can_do_nothing_but_the_second_factor(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await _enrolled_then_signed_in_again(web)
        assert (await gql(web, "{ signInState }"))["data"][
            "signInState"
        ] == "SECOND_FACTOR_REQUIRED"
        for mutation in (
            'mutation { changePassword(input: {currentPassword: "%s", newPassword: "%s"}) { __typename } }'
            % (PASSWORD, NEW_PASSWORD),
            "mutation { revokeAllSessions { sessionsEnded } }",
            "mutation { resendVerificationEmail { __typename } }",
        ):
            body = await gql(web, mutation)
            assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", mutation


async def test_recovery_codes_are_single_use_mailed_and_regenerated(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        secret, codes = await _enrolled_then_signed_in_again(web)
        used = await gql(web, SECOND_FACTOR, {"input": {"code": codes[0]}})
        assert used["data"]["verifySecondFactor"]["state"] == "SIGNED_IN"
        assert await OutboxMail.filter(template="recovery_code_used").count() == 1
        await gql(web, "mutation { signOut { signedOut } }")
        await sign_in(web, EMAIL)
        again = await gql(web, SECOND_FACTOR, {"input": {"code": codes[0]}})
        assert codes_of(again["data"]["verifySecondFactor"]) == ["INVALID_CODE"]
        await gql(web, SECOND_FACTOR, {"input": {"code": next_step_code(secret)}})
        regenerated = await gql(
            web,
            'mutation($c: String) { regenerateRecoveryCodes(input: {currentPassword: "%s", code: $c}) { __typename ... on RecoveryCodes { recoveryCodes } } }'
            % PASSWORD,
            {"c": codes[1]},
        )
        fresh = regenerated["data"]["regenerateRecoveryCodes"]["recoveryCodes"]
        assert set(fresh).isdisjoint(codes)
        await gql(web, "mutation { signOut { signedOut } }")
        await sign_in(web, EMAIL)
        old = await gql(web, SECOND_FACTOR, {"input": {"code": codes[2]}})
        assert codes_of(old["data"]["verifySecondFactor"]) == ["INVALID_CODE"]


async def test_a_remembered_device_skips_the_code_until_forgotten(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        secret, _ = await _enrolled_then_signed_in_again(web)
        remembered = await gql(
            web, SECOND_FACTOR, {"input": {"code": next_step_code(secret), "rememberDevice": True}}
        )
        assert remembered["data"]["verifySecondFactor"]["state"] == "SIGNED_IN"
        assert "relief_device" in web.cookies
        await gql(web, "mutation { signOut { signedOut } }")
        assert (await sign_in(web, EMAIL))["state"] == "SIGNED_IN"
        devices = (await gql(web, "{ me { rememberedDevices { id device expiresAt } } }"))["data"][
            "me"
        ]["rememberedDevices"]
        assert [d["device"] for d in devices] == ["Chrome 126 on Windows"]
        forgotten = await gql(
            web,
            "mutation($id: ID!) { forgetRememberedDevice(deviceId: $id) { __typename } }",
            {"id": devices[0]["id"]},
        )
        assert forgotten["data"]["forgetRememberedDevice"]["__typename"] == "Accepted"
        await gql(web, "mutation { signOut { signedOut } }")
        assert (await sign_in(web, EMAIL))["state"] == "SECOND_FACTOR_REQUIRED"


async def test_wrong_codes_are_rate_limited(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await _enrolled_then_signed_in_again(web)
        answers = [
            await gql(web, SECOND_FACTOR, {"input": {"code": "12345" + str(i)}}) for i in range(6)
        ]
    assert all(codes_of(a["data"]["verifySecondFactor"]) == ["INVALID_CODE"] for a in answers[:5])
    assert answers[5]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert answers[5]["errors"][0]["extensions"]["retryAfterSeconds"] > 0


async def test_password_reset_rules(portal: Starlette) -> None:
    await make_user(EMAIL)
    request = "mutation($e: String!) { requestPasswordReset(email: $e) { message } }"
    async with browser(portal) as web, browser(portal, ip="198.51.100.3") as other:
        await sign_in(other, EMAIL)
        known = await gql(web, request, {"e": EMAIL}, host="evil.example")
        unknown = await gql(web, request, {"e": "nobody@example.org"})
        assert known == unknown  # the same words whether or not the address has an account
        link = await _latest_link(EMAIL, "password_reset")
        assert link.startswith("http://testserver/reset-password?token=")  # never the Host header
        token = await AccountToken.get(purpose="RESET_PASSWORD")
        assert abs(token.expires_at - token.created_at - timedelta(minutes=30)) < timedelta(
            seconds=1
        )

        reset = "mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { __typename ... on AccountErrors { errors { code field } } } }"
        weak = await gql(
            web, reset, {"i": {"token": token_from(link), "newPassword": "password1234"}}
        )
        assert codes_of(weak["data"]["resetPassword"]) == ["WEAK_PASSWORD"]
        done = await gql(
            web, reset, {"i": {"token": token_from(link), "newPassword": NEW_PASSWORD}}
        )
        assert done["data"]["resetPassword"]["__typename"] == "Accepted"
        reused = await gql(
            web, reset, {"i": {"token": token_from(link), "newPassword": NEW_PASSWORD + "x"}}
        )
        assert codes_of(reused["data"]["resetPassword"]) == ["INVALID_TOKEN"]
        assert (await gql(other, ME))["data"]["me"] is None  # every session ended
        assert await Session.filter(revoked_at=None).count() == 0
        assert await OutboxMail.filter(template="password_changed").count() == 1
        for _ in range(6):
            await gql(web, request, {"e": EMAIL})
        await wait_for_background()
    # Five links an hour per account, whatever the number of requests.
    assert await AccountToken.filter(purpose="RESET_PASSWORD").count() == 5


async def test_reset_links_expire_after_30_minutes(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await gql(web, 'mutation { requestPasswordReset(email: "maria@example.org") { message } }')
        link = await _latest_link(EMAIL, "password_reset")
        await AccountToken.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        body = await gql(
            web,
            "mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { __typename ... on AccountErrors { errors { code } } } }",
            {"i": {"token": token_from(link), "newPassword": NEW_PASSWORD}},
        )
    assert codes_of(body["data"]["resetPassword"]) == ["INVALID_TOKEN"]


def test_lockouts_double() -> None:
    assert [lock_duration(n) for n in (1, 2, 3)] == [
        timedelta(minutes=15),
        timedelta(minutes=30),
        timedelta(minutes=60),
    ]
    assert lock_duration(20) == timedelta(days=1)


async def test_a_lock_is_audited_at_high_severity_and_mailed(portal: Starlette) -> None:
    await make_user(EMAIL)
    for attempt in range(10):
        async with browser(portal, ip=f"192.0.2.{attempt}") as web:
            await sign_in(web, EMAIL, "wrong wrong wrong")
    user = await User.get(email=EMAIL)
    assert user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - datetime.now(UTC) <= timedelta(minutes=15)
    assert await AuditEvent.filter(action="auth.account_locked", severity="HIGH").count() == 1
    assert await OutboxMail.filter(template="account_locked").count() == 1


async def test_sign_in_is_rate_limited_per_ip(settings: Settings, database: None) -> None:
    app = create_app(settings.model_copy(update={"sign_in_rate_limit": "3/minute"}))
    async with browser(app) as web:
        results = [await sign_in(web, "nobody@example.org") for _ in range(4)]
    assert results[3]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    async with browser(app, ip="198.51.100.77") as elsewhere:
        assert codes_of(await sign_in(elsewhere, "nobody@example.org")) == ["INVALID_CREDENTIALS"]


async def test_one_credential_check_per_document(portal: Starlette) -> None:
    double = """mutation {
      a: signIn(input: {email: "a@example.org", password: "x"}) { __typename }
      b: signIn(input: {email: "a@example.org", password: "y"}) { __typename } }"""
    async with browser(portal) as web:
        body = await gql(web, double)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await AuditEvent.all().count() == 0  # refused before any resolver ran


async def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    portal: Starlette,
) -> None:
    await make_user(EMAIL)
    change = "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { __typename ... on SessionsEnded { sessionsEnded } ... on AccountErrors { errors { code field } } } }"
    async with browser(portal) as web, browser(portal, ip="198.51.100.3") as other:
        await sign_in(web, EMAIL)
        await sign_in(other, EMAIL)
        wrong = await gql(web, change, {"c": "nope nope nope", "n": NEW_PASSWORD})
        assert wrong["data"]["changePassword"]["errors"] == [
            {"code": "REAUTHENTICATION_FAILED", "field": "currentPassword"}
        ]
        done = await gql(web, change, {"c": PASSWORD, "n": NEW_PASSWORD})
        assert done["data"]["changePassword"]["sessionsEnded"] == 1
        assert (await gql(web, ME))["data"]["me"]["email"] == EMAIL
        assert (await gql(other, ME))["data"]["me"] is None


async def test_with_two_factor_on_security_changes_need_a_code(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await sign_in(web, EMAIL)
        _, codes = await _enrol(web)
        body = await gql(
            web,
            'mutation { disableTotp(input: {currentPassword: "%s"}) { __typename ... on AccountErrors { errors { code field } } } }'
            % PASSWORD,
        )
        assert body["data"]["disableTotp"]["errors"] == [
            {"code": "REAUTHENTICATION_FAILED", "field": "code"}
        ]
        ok = await gql(
            web,
            'mutation($c: String) { disableTotp(input: {currentPassword: "%s", code: $c}) { __typename } }'
            % PASSWORD,
            {"c": codes[0]},
        )
        assert ok["data"]["disableTotp"]["__typename"] == "Accepted"
        assert await RecoveryCode.all().count() == 0


async def test_changing_the_address_verifies_the_new_one_and_tells_the_old(
    portal: Starlette,
) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await sign_in(web, EMAIL)
        body = await gql(
            web,
            'mutation { changeEmail(input: {currentPassword: "%s", newEmail: "maria.new@example.org"}) { __typename } }'
            % PASSWORD,
        )
        assert body["data"]["changeEmail"]["__typename"] == "Accepted"
        assert (await User.get()).email == EMAIL  # not until the new address confirms
        assert await OutboxMail.filter(to_address=EMAIL, template="email_changed_notice").exists()
        link = await _latest_link("maria.new@example.org", "confirm_new_email")
        verified = await gql(
            web,
            "mutation($t: String!) { verifyEmail(token: $t) { __typename ... on UserPayload { user { email } } } }",
            {"t": token_from(link)},
        )
        assert verified["data"]["verifyEmail"]["user"]["email"] == "maria.new@example.org"


async def test_deactivation_ends_sessions_and_an_admin_can_reactivate(portal: Starlette) -> None:
    maria = await make_user(EMAIL)
    await make_user("admin@clinic.example", roles=(Role.ADMIN,))
    async with browser(portal) as web:
        await sign_in(web, EMAIL)
        await gql(
            web,
            'mutation { deactivateAccount(input: {currentPassword: "%s"}) { __typename } }'
            % PASSWORD,
        )
        assert codes_of(await sign_in(web, EMAIL)) == ["ACCOUNT_DEACTIVATED"]
        assert (await User.get(id=maria.id)).deactivated_at is not None  # kept, not deleted
    async with browser(portal, ip="198.51.100.50") as admin:
        await sign_in(admin, "admin@clinic.example")
        body = await gql(
            admin,
            "mutation($id: ID!) { reactivateAccount(userId: $id) { __typename ... on UserPayload { user { isActive } } } }",
            {"id": str(GlobalID("User", str(maria.id)))},
        )
        assert body["data"]["reactivateAccount"]["user"]["isActive"] is True
    async with browser(portal) as web:
        assert (await sign_in(web, EMAIL))["state"] == "SIGNED_IN"


async def test_staff_accounts_come_from_admins_and_set_their_own_password(
    portal: Starlette,
) -> None:
    await make_user("admin@clinic.example", roles=(Role.ADMIN,))
    await make_user(EMAIL)
    create = 'mutation { createStaffUser(input: {email: "dr.okafor@clinic.example", name: "Amara Okafor", roles: [THERAPIST]}) { __typename ... on UserPayload { user { email roles emailVerified } } } }'
    async with browser(portal) as patient:
        await sign_in(patient, EMAIL)
        refused = await gql(patient, create)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with browser(portal, ip="198.51.100.50") as admin:
        await sign_in(admin, "admin@clinic.example")
        made = await gql(admin, create)
        assert made["data"]["createStaffUser"]["user"] == {
            "email": "dr.okafor@clinic.example",
            "roles": ["THERAPIST"],
            "emailVerified": False,
        }
    link = await _latest_link("dr.okafor@clinic.example", "password_reset")
    async with browser(portal, ip="198.51.100.60") as therapist:
        await gql(
            therapist,
            "mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { __typename } }",
            {"i": {"token": token_from(link), "newPassword": NEW_PASSWORD}},
        )
        assert (await sign_in(therapist, "dr.okafor@clinic.example", NEW_PASSWORD))[
            "state"
        ] == "SIGNED_IN"


async def test_audit_rows_never_hold_secrets(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await sign_in(web, EMAIL, "a wrong guess here")
        await sign_in(web, EMAIL)
    rows: list[Any] = await AuditEvent.all().values()
    text = str(rows)
    assert PASSWORD not in text
    assert "a wrong guess here" not in text
    assert {row["action"] for row in rows} >= {"auth.sign_in"}
