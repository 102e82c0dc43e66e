"""graphql-transport-ws clients for tests, over the ASGI app (httpx-ws) or a real server
(websockets), and a broker that says when a topic has a listener."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport
from starlette.applications import Starlette

from api.app import create_app
from api.realtime.broker import Event, MemoryBroker, Subscription, get_broker, set_broker
from api.settings import Settings
from tests.accounts_support import PASSWORD, sign_in

PROTOCOL = "graphql-transport-ws"
TIMEOUT = 5.0


class ObservedBroker(MemoryBroker):
    """The in-process broker, plus a way to wait until someone listens to a topic, so that a
    test publishes only once the subscriber is there (no sleeps)."""

    def __init__(self) -> None:
        super().__init__()
        self.listeners: Counter[str] = Counter()
        self.held: list[Event] | None = None  # a list: publishing waits for release()
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        async with super().subscribe(*topics) as subscription:
            async with self._changed:
                self.listeners.update(topics)
                self._changed.notify_all()
            try:
                yield subscription
            finally:
                async with self._changed:
                    self.listeners.subtract(topics)
                    self._changed.notify_all()

    async def publish(self, events: list[Event]) -> None:
        if self.held is not None:
            self.held.extend(events)
            return
        await super().publish(events)

    async def release(self) -> None:
        """Delivers what was published while held, and stops holding."""
        held, self.held = self.held or [], None
        await super().publish(held)

    async def until_unheard(self, topic: str) -> None:
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.listeners[topic] == 0), TIMEOUT
            )

    async def listened(self, topic: str, count: int = 1) -> None:
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.listeners[topic] >= count), TIMEOUT
            )


@asynccontextmanager
async def observed_broker() -> AsyncIterator[ObservedBroker]:
    previous = get_broker()
    broker = ObservedBroker()
    set_broker(broker)
    try:
        yield broker
    finally:
        set_broker(previous)


@pytest.fixture
def session_app(settings: Settings, database: None) -> Starlette:
    """The app as deployed: viewers come from real sessions (not the tests' header)."""
    return create_app(settings)


@pytest.fixture
async def broker() -> AsyncIterator[ObservedBroker]:
    async with observed_broker() as observed:
        yield observed


class Socket:
    """One graphql-transport-ws connection."""

    def __init__(self, ws: AsyncWebSocketSession) -> None:
        self.ws = ws

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        await self.ws.send_json({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.ws.send_json({"type": "subscribe", "id": operation_id, "payload": payload})

    async def receive(self) -> dict[str, Any]:
        message: dict[str, Any] = await self.ws.receive_json(timeout=TIMEOUT)
        return message

    async def next_data(self, operation_id: str) -> dict[str, Any]:
        message = await self.receive()
        assert message["type"] == "next", message
        assert message["id"] == operation_id, message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def closed_with(self) -> int:
        """The close code the server sends next (any other message fails the test)."""
        try:
            message = await self.receive()
        except WebSocketDisconnect as closed:
            return closed.code
        raise AssertionError(f"expected the socket to close, got {message}")


@asynccontextmanager
async def open_socket(
    app: Starlette, headers: dict[str, str] | None = None
) -> AsyncIterator[Socket]:
    ws: AsyncWebSocketSession
    async with (
        httpx.AsyncClient(
            transport=ASGIWebSocketTransport(app), base_url="http://testserver"
        ) as http,
        aconnect_ws("/graphql", http, subprotocols=[PROTOCOL], headers=headers or {}) as ws,
    ):
        assert ws.subprotocol == PROTOCOL
        yield Socket(ws)


async def mobile_token(app: Starlette, email: str, password: str = PASSWORD) -> str:
    """Signs in as the mobile app does (a bearer token in the answer)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        result = await sign_in(http, email, password, client="MOBILE")
    assert result["state"] == "SIGNED_IN", result
    token: str = result["sessionToken"]
    return token


@asynccontextmanager
async def signed_in_socket(app: Starlette, token: str) -> AsyncIterator[Socket]:
    async with open_socket(app) as socket:
        ack = await socket.init({"authorization": f"Bearer {token}"})
        assert ack == {"type": "connection_ack"}, ack
        yield socket
