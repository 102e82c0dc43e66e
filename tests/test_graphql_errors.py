"""Every error carries extensions.code; unexpected ones are masked with a correlation id that
the log has too, and the log keeps the exception's message (patient data) out."""

from __future__ import annotations

import json

import httpx
import pytest

from api.app import create_app
from api.models.accounts import Role
from api.services import accounts
from api.settings import Settings
from tests.conftest import GraphQLClient, scope_from_test_header


async def test_syntax_and_validation_errors_are_bad_user_input(gql: GraphQLClient) -> None:
    for query in ("{ serverInfo { name ", "{ noSuchField }", "{ node { id } }"):
        body = await gql.execute(query)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", query


async def test_wrongly_typed_variables_are_bad_user_input(gql: GraphQLClient) -> None:
    body = await gql.execute("query($n: Int) { users(first: $n) { edges { cursor } } }", {"n": "x"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_anonymous_gets_unauthenticated(gql: GraphQLClient) -> None:
    body = await gql.execute("{ users { edges { cursor } } }")
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert body["errors"][0]["path"] == ["users"]


async def test_wrong_role_gets_forbidden(gql: GraphQLClient) -> None:
    patient = await accounts.create_user(
        email="pat@example.org", password="a fine long password", roles=[Role.PATIENT]
    )
    body = await gql.execute("{ users { edges { cursor } } }", as_user=patient.id)
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


async def test_unexpected_errors_are_masked_and_logged_without_their_message(
    settings: Settings,
    database: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret_detail = "patient Jane Example, DOB 1961-04-02"

    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError(secret_detail)

    monkeypatch.setattr(accounts, "list_users", broken)
    app = create_app(settings, scope_for_request=scope_from_test_header)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.post("/graphql", json={"query": "{ users { edges { cursor } } }"})

    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL"
    correlation_id = error["extensions"]["correlationId"]
    assert correlation_id == response.headers["x-request-id"]
    assert correlation_id in error["message"]
    assert secret_detail not in response.text
    assert "RuntimeError" not in response.text

    logged = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    unexpected = [entry for entry in logged if entry["event"] == "graphql.unexpected_error"]
    assert len(unexpected) == 1
    assert unexpected[0]["correlation_id"] == correlation_id
    assert unexpected[0]["request_id"] == correlation_id
    assert unexpected[0]["error_type"] == "builtins.RuntimeError"
    assert "broken" in unexpected[0]["stack"]
    assert secret_detail not in json.dumps(logged)
