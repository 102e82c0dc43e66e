"""Registration and email verification rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.models.accounts import AccountToken, User
from api.models.outbox import OutboxMail
from api.settings import Settings
from tests.accounts_support import PASSWORD, browser, codes_of, delivered, gql, make_user, sign_in

REGISTER = """mutation($input: RegisterInput!) { register(input: $input) {
  __typename ... on Accepted { message } ... on AccountErrors { errors { code field message } }
} }"""
VERIFY = """mutation($t: String!) { verifyEmail(token: $t) {
  __typename ... on AccountErrors { errors { code } } } }"""
FORM = {
    "email": "liam.chen@example.org",
    "password": PASSWORD,
    "name": "Liam Chen",
    "dateOfBirth": "1992-11-02",
    "phone": "+44 20 7946 0958",
    "timeZone": "Europe/London",
}


@pytest.fixture
def portal(settings: Settings, database: None) -> Starlette:
    return create_app(settings)


async def _verification_token(email: str) -> str:
    """The token from the newest verification mail in the development outbox."""
    mail = (
        await OutboxMail.filter(to_address=email, template="verify_email").order_by("-id").first()
    )
    assert mail is not None
    return mail.text_body.split("token=", 1)[1].split()[0]


async def test_registration_stores_a_patient_and_mails_a_link(portal: Starlette) -> None:
    async with browser(portal) as web:
        body = await gql(web, REGISTER, {"input": FORM})
    assert body["data"]["register"]["__typename"] == "Accepted"
    user = await User.get(email="liam.chen@example.org")
    assert (user.phone, user.time_zone, str(user.date_of_birth)) == (
        "+442079460958",
        "Europe/London",
        "1992-11-02",
    )
    assert user.email_verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    token = await _verification_token(user.email)
    assert len(token) >= 43  # 256 bits, url-safe
    stored = await AccountToken.get(user=user)
    assert stored.token_hash != token
    assert abs(stored.expires_at - stored.created_at - timedelta(hours=24)) < timedelta(seconds=1)


async def test_every_invalid_field_is_reported_at_once(portal: Starlette) -> None:
    bad = {
        "email": "not-an-email",
        "password": "short",
        "name": " ",
        "dateOfBirth": "2999-01-01",
        "phone": "12",
        "timeZone": "Mars/Olympus",
    }
    async with browser(portal) as web:
        body = await gql(web, REGISTER, {"input": bad})
    errors = body["data"]["register"]["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("email", "INVALID_EMAIL"),
        ("password", "WEAK_PASSWORD"),
        ("name", "INVALID_NAME"),
        ("dateOfBirth", "INVALID_DATE_OF_BIRTH"),
        ("phone", "INVALID_PHONE"),
        ("timeZone", "INVALID_TIME_ZONE"),
    }
    assert await User.all().count() == 0


async def test_a_password_made_of_the_users_own_details_is_weak(portal: Starlette) -> None:
    async with browser(portal) as web:
        body = await gql(web, REGISTER, {"input": {**FORM, "password": "liamchen19921102"}})
    assert codes_of(body["data"]["register"]) == ["WEAK_PASSWORD"]


async def test_no_composition_rules(portal: Starlette) -> None:
    async with browser(portal) as web:
        body = await gql(
            web, REGISTER, {"input": {**FORM, "password": "violet harbour lantern sky"}}
        )
    assert body["data"]["register"]["__typename"] == "Accepted"


async def test_an_existing_address_answers_the_same_and_mails_its_owner(portal: Starlette) -> None:
    await make_user("liam.chen@example.org")
    async with browser(portal) as web:
        body = await gql(web, REGISTER, {"input": {**FORM, "email": "Liam.Chen@example.org"}})
    assert body["data"]["register"]["__typename"] == "Accepted"
    assert await User.filter(email="liam.chen@example.org").count() == 1
    mails = [m.template for m in await OutboxMail.filter(to_address="liam.chen@example.org")]
    assert mails == ["account_exists"]


async def test_until_verified_a_user_can_only_verify_resend_or_sign_out(portal: Starlette) -> None:
    async with browser(portal) as web:
        await gql(web, REGISTER, {"input": FORM})
        first_token = await _verification_token(FORM["email"])
        assert (await sign_in(web, FORM["email"]))["state"] == "EMAIL_UNVERIFIED"
        me = await gql(web, "{ me { email emailVerified } signInState }")
        assert me["data"] == {
            "me": {"email": FORM["email"], "emailVerified": False},
            "signInState": "EMAIL_UNVERIFIED",
        }
        refused = await gql(
            web,
            'mutation { changeEmail(input: {currentPassword: "x", newEmail: "a@b.org"}) { __typename } }',
        )
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        resent = await gql(web, "mutation { resendVerificationEmail { __typename } }")
        assert resent["data"]["resendVerificationEmail"]["__typename"] == "Accepted"
        second_token = await _verification_token(FORM["email"])
        assert second_token != first_token
        # A new link replaces the old one.
        assert codes_of((await gql(web, VERIFY, {"t": first_token}))["data"]["verifyEmail"]) == [
            "INVALID_TOKEN"
        ]
        assert (await gql(web, VERIFY, {"t": second_token}))["data"]["verifyEmail"][
            "__typename"
        ] == "UserPayload"
        assert (await gql(web, "{ signInState }"))["data"]["signInState"] == "SIGNED_IN"


async def test_verification_links_expire_after_24_hours(portal: Starlette) -> None:
    async with browser(portal) as web:
        await gql(web, REGISTER, {"input": FORM})
        token = await _verification_token(FORM["email"])
        await AccountToken.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        body = await gql(web, VERIFY, {"t": token})
    assert codes_of(body["data"]["verifyEmail"]) == ["INVALID_TOKEN"]
    await delivered()
