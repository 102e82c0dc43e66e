"""Two `portal serve` processes joined by Redis: a mutation on one reaches a subscriber on the
other. Needs PORTAL_TEST_REDIS_URL (and uses PostgreSQL with --database=postgresql)."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from api.services.demo import DEMO_PASSWORD
from tests.cli import portal_env, run_portal
from tests.test_server_process import _serving

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(
    REDIS_URL is None, reason="set PORTAL_TEST_REDIS_URL to run two workers joined by Redis"
)

MARIA = "maria.gonzalez@demo.relief.test"
ADMIN = "admin@demo.relief.test"
SIGN_IN = """mutation($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password, client: MOBILE}) {
    ... on SignInPayload { state sessionToken } } }"""
UPDATE = """mutation($id: ID!) { updateTreatmentPlan(input: {planId: $id, title: "Stairs again"}) {
  __typename } }"""


async def _post(base: str, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base) as web:
        answer = await web.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


async def _token(base: str, email: str) -> str:
    data = await _post(base, SIGN_IN, {"email": email, "password": DEMO_PASSWORD})
    assert data["signIn"]["state"] == "SIGNED_IN", data
    token: str = data["signIn"]["sessionToken"]
    return token


async def _receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
    return message


async def test_a_mutation_on_one_worker_reaches_a_subscriber_on_the_other(
    make_empty_database: Callable[[], Awaitable[str]],
) -> None:
    assert REDIS_URL is not None
    env = portal_env(
        database_url=await make_empty_database(),
        redis_url=REDIS_URL,
        # Its own channel: another suite may run the same test on this Redis at the same time.
        redis_channel=f"relief:test:{uuid.uuid4().hex}",
    )
    assert run_portal(["migrate"], env).returncode == 0
    seeded = run_portal(["seed-demo"], env)
    assert seeded.returncode == 0, seeded.stderr
    with _serving(env, workers=1) as a, _serving(env, workers=1) as b:
        maria = await _token(a, MARIA)
        admin = await _token(a, ADMIN)
        mine = await _post(a, "{ myPatient { activePlan { id } } }", {}, maria)
        plan_id = mine["myPatient"]["activePlan"]["id"]
        url = b.replace("http://", "ws://") + "/graphql"
        async with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
            init = {"authorization": f"Bearer {maria}"}
            await ws.send(json.dumps({"type": "connection_init", "payload": init}))
            assert await _receive(ws) == {"type": "connection_ack"}
            operations = {
                "n": "subscription { notificationAdded { title } }",
                "p": "subscription { planUpdated { id title } }",
            }
            for operation_id, query in operations.items():
                subscribe = {"type": "subscribe", "id": operation_id, "payload": {"query": query}}
                await ws.send(json.dumps(subscribe))
            # The worker starts each operation before it reads the next message, and an
            # operation reaches the broker without I/O: once the ping is answered, both listen.
            await ws.send(json.dumps({"type": "ping"}))
            assert await _receive(ws) == {"type": "pong"}
            updated = await _post(a, UPDATE, {"id": plan_id}, admin)
            assert updated["updateTreatmentPlan"]["__typename"] == "TreatmentPlanPayload"
            received: dict[str, Any] = {}
            for _ in range(2):
                message = await _receive(ws)
                assert message["type"] == "next", message
                received[message["id"]] = message["payload"]["data"]
        assert received["p"] == {"planUpdated": {"id": plan_id, "title": "Stairs again"}}
        assert received["n"]["notificationAdded"]["title"] == "Your treatment plan was updated"
