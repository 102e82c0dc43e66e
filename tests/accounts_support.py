"""Helpers for driving the accounts API as the SPA and a mobile app do."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp
from starlette.applications import Starlette

from api.delivery.mail import wait_for_scheduled_deliveries
from api.models.accounts import Role, User, UserRole
from api.services import passwords

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new meadow of lupins"


def browser(app: Starlette, ip: str = "203.0.113.7", user_agent: str = CHROME) -> httpx.AsyncClient:
    """A client that keeps cookies and sends the SPA's CSRF header."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 50000)),
        base_url="http://testserver",
        headers={"x-relief-csrf": "1", "user-agent": user_agent},
    )


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    **headers: str,
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def token_from(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def delivered() -> None:
    await wait_for_scheduled_deliveries()


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment)


def next_step_code(secret: str) -> str:
    """A code for the next 30-second step: valid now (window 1), not yet used."""
    return code_at(secret, datetime.now(UTC) + timedelta(seconds=30))


@lru_cache(maxsize=1)
def password_hash() -> str:
    """PASSWORD hashed once per test process: argon2 is slow on purpose (~0.1 s a hash), and
    hundreds of tests make users who may sign in with it. Sign-in still verifies it for real."""
    return passwords.hash_password(PASSWORD)


async def make_user(
    email: str = "maria@example.org",
    *,
    roles: tuple[Role, ...] = (Role.PATIENT,),
    verified: bool = True,
    name: str = "Maria Gonzalez",
) -> User:
    user = await User.create(
        email=email,
        password_hash=password_hash(),
        display_name=name,
        date_of_birth=date(1980, 5, 17),
        phone="+15550100199",
        time_zone="America/New_York",
        email_verified_at=datetime.now(UTC) if verified else None,
    )
    for role in roles:
        await UserRole.create(user=user, role=role)
    return user


SIGN_IN = """mutation($input: SignInInput!) { signIn(input: $input) {
  __typename
  ... on SignInPayload { state sessionToken rememberedDeviceToken user { email } }
  ... on AccountErrors { errors { code message field } }
} }"""
SECOND_FACTOR = """mutation($input: SecondFactorInput!) { verifySecondFactor(input: $input) {
  __typename
  ... on SignInPayload { state sessionToken rememberedDeviceToken user { email } }
  ... on AccountErrors { errors { code message field } }
} }"""
ME = "{ me { email emailVerified twoFactorEnabled } signInState }"


async def sign_in(
    http: httpx.AsyncClient, email: str, password: str = PASSWORD, **extra: Any
) -> dict[str, Any]:
    body = await gql(http, SIGN_IN, {"input": {"email": email, "password": password, **extra}})
    result: dict[str, Any] = body["data"]["signIn"] if body.get("data") else body
    return result


def codes_of(result: dict[str, Any]) -> list[str]:
    return [error["code"] for error in result.get("errors", [])]
