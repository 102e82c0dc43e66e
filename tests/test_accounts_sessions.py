"""Sessions: cookie and bearer transports, CSRF defence, lifetimes, revocation, history."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.models.accounts import LoginAttempt, Session
from api.models.audit import AuditEvent
from api.models.outbox import OutboxMail
from api.settings import Settings
from tests.accounts_support import (
    FIREFOX,
    ME,
    PASSWORD,
    browser,
    codes_of,
    gql,
    make_user,
    sign_in,
)

EMAIL = "maria@example.org"


@pytest.fixture
def portal(settings: Settings, database: None) -> Starlette:
    return create_app(settings)


async def test_web_sign_in_sets_a_hardened_cookie_and_stores_only_a_hash(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        response = await web.post(
            "/graphql",
            json={
                "query": 'mutation { signIn(input: {email: "maria@example.org", password: "%s"}) { __typename ... on SignInPayload { sessionToken } } }'
                % PASSWORD
            },
        )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("relief_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # plain http in this test; see the https test below
    assert response.json()["data"]["signIn"]["sessionToken"] is None  # never in a WEB body
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    assert len(token) >= 43  # >= 128 bits (here 256)
    session = await Session.get()
    assert session.token_hash == hashlib.sha256(token.encode()).hexdigest()


async def test_over_https_the_cookie_is_host_prefixed_and_secure(
    settings: Settings, database: None
) -> None:
    await make_user(EMAIL)
    app = create_app(settings.model_copy(update={"public_url": "https://portal.example.org"}))
    async with browser(app) as web:
        response = await web.post(
            "/graphql",
            json={
                "query": 'mutation { signIn(input: {email: "maria@example.org", password: "%s"}) { __typename } }'
                % PASSWORD
            },
        )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-relief_session=")
    assert "Secure" in cookie
    assert "Domain" not in cookie


async def test_cookie_requests_need_the_csrf_header_and_our_origin(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await sign_in(web, EMAIL)
        ok = await web.post("/graphql", json={"query": ME})
        assert ok.json()["data"]["me"]["email"] == EMAIL
        del web.headers["x-relief-csrf"]
        missing = await web.post("/graphql", json={"query": ME})
        assert missing.status_code == 403
        assert missing.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        foreign = await web.post(
            "/graphql",
            json={"query": ME},
            headers={"x-relief-csrf": "1", "origin": "https://evil.example"},
        )
        assert foreign.status_code == 403
        same = await web.post(
            "/graphql",
            json={"query": ME},
            headers={"x-relief-csrf": "1", "origin": "http://testserver"},
        )
        assert same.status_code == 200


async def test_mobile_clients_get_a_bearer_token_and_no_cookie(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as app:
        signed = await sign_in(app, EMAIL, client="MOBILE")
        token = signed["sessionToken"]
        assert len(token or "") >= 43
        assert not app.cookies
        del app.headers["x-relief-csrf"]  # bearer requests need no CSRF header
        me = await app.post(
            "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"}
        )
        assert me.json()["data"]["me"]["email"] == EMAIL
        await app.post(
            "/graphql",
            json={"query": "mutation { signOut { signedOut } }"},
            headers={"authorization": f"Bearer {token}"},
        )
        after = await app.post(
            "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"}
        )
        assert after.json()["data"]["me"] is None  # sign-out ended it on the server


async def test_every_sign_in_gets_a_new_token(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as app:
        first = (await sign_in(app, EMAIL, client="MOBILE"))["sessionToken"]
        second = (await sign_in(app, EMAIL, client="MOBILE"))["sessionToken"]
    assert first != second
    assert await Session.filter(revoked_at=None).count() == 2


@pytest.mark.parametrize(
    ("field", "age"),
    [("last_seen_at", timedelta(minutes=31)), ("expires_at", timedelta(seconds=-1))],
)
async def test_idle_and_absolute_timeouts(portal: Starlette, field: str, age: timedelta) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await sign_in(web, EMAIL)
        moment = datetime.now(UTC) - age if field == "last_seen_at" else datetime.now(UTC) + age
        await Session.all().update(**{field: moment})
        assert (await gql(web, ME))["data"]["me"] is None
    session = await Session.get()
    assert session.revoked_reason == "EXPIRED"


async def test_session_lifetimes_come_from_settings(portal: Starlette, settings: Settings) -> None:
    await make_user(EMAIL)
    async with browser(portal) as web:
        await sign_in(web, EMAIL)
    session = await Session.get()
    assert abs(session.expires_at - session.created_at - timedelta(hours=12)) < timedelta(seconds=1)
    assert settings.session_idle_minutes == 30


async def test_sessions_listed_and_revoked(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with (
        browser(portal) as laptop,
        browser(portal, user_agent=FIREFOX, ip="198.51.100.9") as phone,
    ):
        await sign_in(laptop, EMAIL)
        await sign_in(phone, EMAIL)
        listed = await gql(laptop, "{ me { sessions { id device current ip } } }")
        sessions = listed["data"]["me"]["sessions"]
        assert len(sessions) == 2
        other = next(s for s in sessions if not s["current"])
        assert other["device"] == "Firefox 128 on Ubuntu"
        revoked = await gql(
            laptop,
            "mutation($id: ID!) { revokeSession(sessionId: $id) { __typename } }",
            {"id": other["id"]},
        )
        assert revoked["data"]["revokeSession"]["__typename"] == "Accepted"
        assert (await gql(phone, ME))["data"]["me"] is None
        assert (await gql(laptop, ME))["data"]["me"]["email"] == EMAIL
        again = await gql(
            laptop,
            "mutation($id: ID!) { revokeSession(sessionId: $id) { __typename ... on AccountErrors { errors { code } } } }",
            {"id": other["id"]},
        )
        assert codes_of(again["data"]["revokeSession"]) == ["NOT_FOUND"]
        await sign_in(phone, EMAIL)
        ended = await gql(laptop, "mutation { revokeAllSessions { sessionsEnded } }")
        assert ended["data"]["revokeAllSessions"]["sessionsEnded"] == 1
        assert (await gql(phone, ME))["data"]["me"] is None


async def test_login_history_shows_devices_failures_and_new_devices(portal: Starlette) -> None:
    await make_user(EMAIL)
    async with browser(portal) as laptop:
        await sign_in(laptop, EMAIL, "not my password at all")
        await sign_in(laptop, EMAIL)
    async with browser(portal, user_agent=FIREFOX, ip="198.51.100.9") as other:
        await sign_in(other, EMAIL)
        history = await gql(
            other,
            "{ me { loginHistory(first: 10) { edges { node { device ip succeeded failureReason newDevice } } } } }",
        )
    rows = [edge["node"] for edge in history["data"]["me"]["loginHistory"]["edges"]]
    assert rows == [
        {
            "device": "Firefox 128 on Ubuntu",
            "ip": "198.51.100.9",
            "succeeded": True,
            "failureReason": None,
            "newDevice": True,
        },
        {
            "device": "Chrome 126 on Windows",
            "ip": "203.0.113.7",
            "succeeded": True,
            "failureReason": None,
            "newDevice": False,
        },
        {
            "device": "Chrome 126 on Windows",
            "ip": "203.0.113.7",
            "succeeded": False,
            "failureReason": "BAD_PASSWORD",
            "newDevice": False,
        },
    ]
    mails = [mail.template for mail in await OutboxMail.filter(to_address=EMAIL)]
    assert mails == ["new_device_sign_in"]


async def test_login_history_is_the_owners_only(portal: Starlette) -> None:
    maria = await make_user(EMAIL)
    await make_user("admin@clinic.example", roles=("ADMIN",))  # type: ignore[arg-type]
    async with browser(portal) as admin:
        await sign_in(admin, "admin@clinic.example")
        from strawberry.relay import GlobalID

        body = await gql(
            admin,
            "query($id: ID!) { node(id: $id) { ... on User { email loginHistory { edges { cursor } } } } }",
            {"id": str(GlobalID("User", str(maria.id)))},
        )
    assert body["data"]["node"] is None or body["data"]["node"]["loginHistory"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_unknown_addresses_leave_no_trace_of_the_address(portal: Starlette) -> None:
    async with browser(portal) as web:
        result = await sign_in(web, "nobody@example.org")
    assert codes_of(result) == ["INVALID_CREDENTIALS"]
    attempt = await LoginAttempt.get(user=None)
    assert attempt.failure_reason == "UNKNOWN_ACCOUNT"
    for event in await AuditEvent.all():
        assert "nobody@example.org" not in str(event.details)
