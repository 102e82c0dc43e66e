"""A WebSocket lives only as long as its session: revoked or expired, it closes with 4403."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.models.accounts import Session, User
from api.realtime import topics
from api.realtime.events import transaction
from api.services.accounts import sessions
from api.settings import Settings
from tests.accounts_support import PASSWORD, make_user, sign_in
from tests.realtime_support import (
    ObservedBroker,
    broker,
    mobile_token,
    open_socket,
    session_app,
    signed_in_socket,
)

__all__ = ["broker", "session_app"]  # fixtures

FORBIDDEN = 4403
NOTIFICATIONS = "subscription { notificationAdded { id title } }"


async def _session_of(token_owner: User) -> Session:
    session = await Session.filter(user_id=token_owner.id, revoked_at=None).first()
    assert session is not None
    return session


async def test_a_cookie_on_the_upgrade_request_signs_the_socket_in(
    session_app: Starlette,
) -> None:
    await make_user()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=session_app),
        base_url="http://testserver",
        headers={"x-relief-csrf": "1"},
    ) as web:
        assert (await sign_in(web, "maria@example.org"))["state"] == "SIGNED_IN"
        cookie = "; ".join(f"{name}={value}" for name, value in web.cookies.items())
    async with open_socket(session_app, {"cookie": cookie}) as socket:
        assert await socket.init() == {"type": "connection_ack"}


async def test_a_bearer_token_on_the_upgrade_request_signs_the_socket_in(
    session_app: Starlette,
) -> None:
    await make_user()
    token = await mobile_token(session_app, "maria@example.org")
    async with open_socket(session_app, {"authorization": f"Bearer {token}"}) as socket:
        assert await socket.init() == {"type": "connection_ack"}


async def test_a_session_waiting_for_its_second_factor_is_refused(
    session_app: Starlette,
) -> None:
    user = await make_user()
    token = await mobile_token(session_app, "maria@example.org")
    await Session.filter(user_id=user.id).update(needs_second_factor=True, second_factor_at=None)
    async with open_socket(session_app) as socket:
        await socket.ws.send_json(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        )
        assert await socket.closed_with() == FORBIDDEN


async def _sign_out_over_http(app: Starlette, token: str, _: User) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        answer = await http.post(
            "/graphql",
            json={"query": "mutation { signOut { signedOut } }"},
            headers={"authorization": f"Bearer {token}"},
        )
    assert answer.json() == {"data": {"signOut": {"signedOut": True}}}


async def _end_everywhere(_: Starlette, __: str, user: User) -> None:
    async with transaction():  # the event leaves at the commit
        assert await sessions.end_all(user.id, "REVOKED_ALL") == 1


async def _end_by_id(_: Starlette, __: str, user: User) -> None:
    session = await _session_of(user)
    async with transaction():
        assert await sessions.end_by_id(user.id, session.id, "REVOKED")


Revocation = Callable[[Starlette, str, User], Awaitable[None]]


@pytest.mark.parametrize("revoke", [_sign_out_over_http, _end_everywhere, _end_by_id])
async def test_a_revoked_session_closes_its_socket_at_once(
    session_app: Starlette, broker: ObservedBroker, revoke: Revocation
) -> None:
    user = await make_user()
    token = await mobile_token(session_app, "maria@example.org")
    session = await _session_of(user)
    async with signed_in_socket(session_app, token) as socket:
        await socket.subscribe("1", NOTIFICATIONS)
        await broker.listened(topics.session_ended(session.id))
        await broker.listened(topics.user_notifications(user.id))
        await revoke(session_app, token, user)
        assert await socket.closed_with() == FORBIDDEN
    # The watcher and the subscription ended with the connection.
    await broker.until_unheard(topics.session_ended(session.id))
    await broker.until_unheard(topics.user_notifications(user.id))
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("ws-session-")]


async def test_the_watcher_ends_when_the_client_leaves(
    session_app: Starlette, broker: ObservedBroker
) -> None:
    user = await make_user()
    token = await mobile_token(session_app, "maria@example.org")
    session = await _session_of(user)
    async with signed_in_socket(session_app, token):
        await broker.listened(topics.session_ended(session.id))
        assert [t for t in asyncio.all_tasks() if t.get_name() == f"ws-session-{session.id}"]
    await broker.until_unheard(topics.session_ended(session.id))
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("ws-session-")]


def _checking_often(settings: Settings) -> Starlette:
    return create_app(settings.model_copy(update={"websocket_session_check_seconds": 0.05}))


async def test_an_idle_session_expires_under_an_open_socket(
    settings: Settings, database: None, broker: ObservedBroker
) -> None:
    app = _checking_often(settings)
    user = await make_user()
    token = await mobile_token(app, "maria@example.org")
    session = await _session_of(user)
    async with signed_in_socket(app, token) as socket:
        await broker.listened(topics.session_ended(session.id))
        idle = timedelta(minutes=settings.session_idle_minutes, seconds=1)
        await Session.filter(id=session.id).update(last_seen_at=datetime.now(UTC) - idle)
        assert await socket.closed_with() == FORBIDDEN
    ended = await Session.get(id=session.id)
    assert ended.revoked_reason == "EXPIRED"


async def test_a_deactivated_user_loses_the_socket(
    settings: Settings, database: None, broker: ObservedBroker
) -> None:
    app = _checking_often(settings)
    user = await make_user()
    token = await mobile_token(app, "maria@example.org")
    session = await _session_of(user)
    async with signed_in_socket(app, token) as socket:
        await broker.listened(topics.session_ended(session.id))
        await User.filter(id=user.id).update(is_active=False)  # e.g. by an administrator
        assert await socket.closed_with() == FORBIDDEN


async def test_checking_a_socket_session_does_not_keep_it_alive(
    session_app: Starlette, settings: Settings
) -> None:
    user = await make_user()
    await mobile_token(session_app, "maria@example.org")
    session = await _session_of(user)
    earlier = datetime.now(UTC) - timedelta(minutes=settings.session_idle_minutes - 1)
    await Session.filter(id=session.id).update(last_seen_at=earlier)
    assert await sessions.is_live(settings, session.id)
    scope = await sessions.resolve_by_id(settings, session.id)
    assert scope is not None
    assert scope.viewer.user_id == user.id
    assert (await Session.get(id=session.id)).last_seen_at == earlier


async def test_a_password_change_ends_other_sockets(
    session_app: Starlette, broker: ObservedBroker
) -> None:
    user = await make_user()
    phone = await mobile_token(session_app, "maria@example.org")
    laptop = await mobile_token(session_app, "maria@example.org")
    phone_session = await Session.filter(user_id=user.id, revoked_at=None).order_by("id").first()
    assert phone_session is not None
    change = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
      __typename } }"""
    async with signed_in_socket(session_app, phone) as socket:
        await broker.listened(topics.session_ended(phone_session.id))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=session_app), base_url="http://testserver"
        ) as http:
            answer = await http.post(
                "/graphql",
                json={
                    "query": change,
                    "variables": {
                        "input": {
                            "currentPassword": PASSWORD,
                            "newPassword": "a brand new meadow of lupins",
                        }
                    },
                },
                headers={"authorization": f"Bearer {laptop}"},
            )
        assert "errors" not in answer.json(), answer.json()
        assert await socket.closed_with() == FORBIDDEN
