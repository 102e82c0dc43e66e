"""Depth, alias and token limits, and introspection in production: all refused before any
resolver runs, so a refused document costs no SQL."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from strawberry.relay import GlobalID

from api.app import create_app
from api.models.accounts import Role
from api.services import accounts
from api.settings import Settings
from tests.conftest import GraphQLClient, make_settings, scope_from_test_header
from tests.sql_counter import count_sql


def _client(app: Starlette) -> GraphQLClient:
    return GraphQLClient(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    )


def _depth_of(query: str) -> int:
    """Field nesting as graphql-depth-limit counts it: top-level fields are depth 0."""
    depth, deepest = -1, 0
    for char in query:
        depth += char == "{"
        depth -= char == "}"
        deepest = max(deepest, depth)
    return deepest


async def _admin() -> int:
    user = await accounts.create_user(
        email="admin@clinic.test", password="long enough password", roles=[Role.ADMIN]
    )
    user_id: int = user.id
    return user_id


async def test_one_level_deeper_than_the_limit_is_refused_without_sql(
    settings: Settings, database: None
) -> None:
    admin = await _admin()
    limited = create_app(
        settings.model_copy(update={"max_query_depth": 2}), scope_for_request=scope_from_test_header
    )
    gql = _client(limited)
    at_limit = "{ users { edges { cursor } } }"
    too_deep = "{ users { edges { node { email } } } }"
    assert (_depth_of(at_limit), _depth_of(too_deep)) == (2, 3)

    allowed = await gql.execute(at_limit, as_user=admin)
    assert "errors" not in allowed
    with count_sql() as sql:
        refused = await gql.execute(too_deep, as_user=admin)
    assert sql.count == 0
    assert refused.get("data") is None
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "exceeds maximum operation depth of 2" in refused["errors"][0]["message"]


def test_default_depth_limit_is_ten(settings: Settings) -> None:
    assert settings.max_query_depth == 10


def _aliases(count: int, field: str) -> str:
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


async def test_more_aliases_than_the_limit_are_refused_without_sql(
    gql: GraphQLClient, settings: Settings
) -> None:
    admin = await _admin()
    node = f'node(id: "{GlobalID("User", str(admin))}") {{ id }}'  # resolving it reads SQL
    assert settings.max_aliases == 15
    with count_sql() as sql:
        allowed = await gql.execute(_aliases(15, node), as_user=admin)
    assert "errors" not in allowed
    assert sql.count > 0
    with count_sql() as sql:
        refused = await gql.execute(_aliases(16, node), as_user=admin)
    assert sql.count == 0
    assert refused["errors"][0]["message"] == "16 aliases found. Allowed: 15"
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_fragments_do_not_slip_past_the_alias_limit(gql: GraphQLClient) -> None:
    fragment = "fragment F on Query { " + " ".join(f"b{i}: __typename" for i in range(8)) + " }"
    query = (
        "{ ...F x: __typename ...G } "
        + fragment
        + fragment.replace("F on", "G on").replace("b", "c")
    )
    body = await gql.execute(query)
    assert body["errors"][0]["message"] == "17 aliases found. Allowed: 15"


async def test_token_limit(settings: Settings, database: None) -> None:
    gql = _client(create_app(settings.model_copy(update={"max_tokens": 20})))
    ok = await gql.execute("{ serverInfo { name version } }")
    assert "errors" not in ok
    body = await gql.execute("{ " + " ".join(f"f{i}: __typename" for i in range(10)) + " }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "more than 20 tokens" in body["errors"][0]["message"]


INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_introspection_is_on_in_development(gql: GraphQLClient) -> None:
    body = await gql.execute(INTROSPECTION)
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize("query", [INTROSPECTION, '{ __type(name: "User") { name } }'])
async def test_introspection_is_off_in_production(database: None, query: str) -> None:
    production = make_settings(env="production", database_url="postgres://x@localhost/none")
    body = await _client(create_app(production)).execute(query)
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "introspection" in body["errors"][0]["message"].lower()
