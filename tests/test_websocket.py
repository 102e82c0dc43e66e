"""WebSocket /graphql speaks graphql-transport-ws, only to our own origin, and only to a
signed-in session (the rest of the socket's life: tests/test_realtime_sessions.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport
from starlette.applications import Starlette

from tests.accounts_support import make_user
from tests.realtime_support import mobile_token, open_socket, session_app

__all__ = ["session_app"]  # a fixture

PROTOCOL = "graphql-transport-ws"


@pytest.fixture
async def token(session_app: Starlette) -> str:
    await make_user()
    return await mobile_token(session_app, "maria@example.org")


async def _exchange(
    app: Starlette,
    messages: list[dict[str, Any]],
    replies: int,
    headers: dict[str, str] | None = None,
) -> list[Any]:
    async with open_socket(app, headers) as socket:
        for message in messages:
            await socket.ws.send_json(message)
        return [await socket.receive() for _ in range(replies)]


async def test_connection_init_then_a_query_over_the_socket(
    session_app: Starlette, token: str
) -> None:
    replies = await _exchange(
        session_app,
        [
            {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}},
            {"type": "subscribe", "id": "1", "payload": {"query": "{ serverInfo { name } }"}},
        ],
        replies=3,
    )
    assert replies[0] == {"type": "connection_ack"}
    assert replies[1] == {
        "type": "next",
        "id": "1",
        "payload": {"data": {"serverInfo": {"name": "Relief"}}},
    }
    assert replies[2] == {"type": "complete", "id": "1"}


async def test_errors_over_the_socket_are_coded_too(session_app: Starlette, token: str) -> None:
    replies = await _exchange(
        session_app,
        [
            {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}},
            {
                "type": "subscribe",
                "id": "1",
                "payload": {"query": "{ users { edges { cursor } } }"},
            },
        ],
        replies=2,
    )
    assert replies[1]["type"] == "next"
    assert replies[1]["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    "payload", [{}, {"authorization": "Bearer not-a-session"}, {"authorization": "nonsense"}]
)
async def test_a_connection_without_a_session_is_refused_and_never_acknowledged(
    session_app: Starlette, payload: dict[str, Any]
) -> None:
    ws: AsyncWebSocketSession
    async with (
        httpx.AsyncClient(
            transport=ASGIWebSocketTransport(session_app), base_url="http://testserver"
        ) as http,
        aconnect_ws("/graphql", http, subprotocols=[PROTOCOL]) as ws,
    ):
        await ws.send_json({"type": "connection_init", "payload": payload})
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive_json(timeout=5)
    assert closed.value.code == 4403


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


@pytest.mark.parametrize(("origin", "accepted"), [("https://evil.test", False), (None, True)])
async def test_only_our_origin_can_open_the_socket(
    session_app: Starlette, token: str, origin: str | None, accepted: bool
) -> None:
    headers = {"origin": origin} if origin else {}
    refusal: BaseException | None = None
    ws: AsyncWebSocketSession
    try:
        async with (
            httpx.AsyncClient(
                transport=ASGIWebSocketTransport(session_app), base_url="http://testserver"
            ) as http,
            aconnect_ws("/graphql", http, subprotocols=[PROTOCOL], headers=headers) as ws,
        ):
            auth = {"authorization": f"Bearer {token}"}
            await ws.send_json({"type": "connection_init", "payload": auth})
            assert await ws.receive_json(timeout=5) == {"type": "connection_ack"}
    except BaseException as error:  # the refusal arrives wrapped in task-group groups
        refusal = error
    if accepted:
        assert refusal is None
    else:
        assert refusal is not None
        codes = [leaf.code for leaf in _leaves(refusal) if isinstance(leaf, WebSocketDisconnect)]
        assert codes == [1008]
