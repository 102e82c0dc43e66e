"""POST /graphql is JSON only; nothing is queried by GET; mistakes answer with a code."""

from __future__ import annotations

import httpx
import orjson
from starlette.applications import Starlette

from api.app import create_app
from tests.conftest import GraphQLClient, make_settings


async def test_typename_over_post(gql: GraphQLClient) -> None:
    response = await gql.post("{ __typename serverInfo { name version } }")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "data": {"__typename": "Query", "serverInfo": {"name": "Relief", "version": "0.1.0"}}
    }


async def test_queries_are_not_accepted_by_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_only_json_bodies_are_accepted(client: httpx.AsyncClient) -> None:
    form = await client.post("/graphql", data={"query": "{ __typename }"})
    assert form.status_code == 415
    assert form.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    text = await client.post(
        "/graphql", content=b"{ __typename }", headers={"content-type": "text/plain"}
    )
    assert text.status_code == 415


async def test_unreadable_json_is_a_coded_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_graphiql_in_development_only(app: Starlette) -> None:
    html = {"accept": "text/html"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as dev:
        page = await dev.get("/graphql", headers=html)
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()

    production = create_app(
        make_settings(env="production", database_url="postgres://x@localhost/none")
    )
    transport = httpx.ASGITransport(app=production)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as prod:
        refused = await prod.get("/graphql", headers=html)
        assert refused.status_code == 405
        assert "graphiql" not in refused.text.lower()


async def test_responses_are_orjson_encoded(gql: GraphQLClient) -> None:
    response = await gql.post("{ serverInfo { name } }")
    assert response.content == orjson.dumps({"data": {"serverInfo": {"name": "Relief"}}})


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    first = await client.get("/healthz")
    second = await client.get("/healthz")
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
