"""Shared fixtures: one fresh, really migrated database per run (SQLite by default,
PostgreSQL with `--database=postgresql`), emptied after every test; role-named clients."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.websockets import WebSocket
from tortoise import Tortoise, connections

from api import db
from api.access import relations
from api.access.scope import ANONYMOUS_SCOPE, AccessScope, Viewer
from api.app import create_app
from api.delivery.mail import wait_for_scheduled_deliveries
from api.http.auth import ACTING_FOR_HEADER, acting_for
from api.models.accounts import Role, UserRole
from api.settings import Settings
from tests.database import create_postgres_database, drop_postgres_database, sqlite_url

TEST_SECRET = "test-secret-key-" + "x" * 32
VIEWER_HEADER = "x-test-viewer"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="run the suite on SQLite (default) or on PORTAL_TEST_DATABASE_URL's PostgreSQL",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"relief database: {config.getoption('--database')}"


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    value: str = request.config.getoption("--database")
    return value


@pytest.fixture(scope="session")
def postgres_server_url(backend: str) -> str | None:
    if backend != "postgresql":
        return None
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not url:
        raise pytest.UsageError("--database=postgresql needs PORTAL_TEST_DATABASE_URL")
    return url


@pytest.fixture(scope="session")
def make_empty_database(
    postgres_server_url: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], Awaitable[str]]:
    """Makes a brand-new, un-migrated database on this run's backend; returns its URL."""
    created: list[str] = []

    async def make() -> str:
        if postgres_server_url is None:
            return sqlite_url(tmp_path_factory.mktemp("db"))
        url = await create_postgres_database(postgres_server_url)
        created.append(url)
        return url

    make.created = created  # type: ignore[attr-defined]
    return make


@pytest.fixture(scope="session")
async def database_url(
    make_empty_database: Callable[[], Awaitable[str]], postgres_server_url: str | None
) -> AsyncIterator[str]:
    url = await make_empty_database()
    yield url
    if postgres_server_url is not None:
        for created in make_empty_database.created:  # type: ignore[attr-defined]
            await drop_postgres_database(postgres_server_url, created)


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "development",
        "secret_key": TEST_SECRET,
        "public_url": "http://testserver",
        "redis_url": None,
        "smtp_url": None,
        "frontend_dist": Path("/nonexistent/relief-dist"),
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url=database_url)


@pytest.fixture(scope="session")
async def migrated_database(settings: Settings) -> AsyncIterator[None]:
    await db.open_database(settings)
    await db.migrate(settings)
    yield
    await db.close_database()


async def _empty_tables() -> None:
    tables = [model._meta.db_table for model in Tortoise.apps["relief"].values()]
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        quoted = ", ".join(f'"{table}"' for table in tables)
        await connection.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        return
    await connection.execute_script(
        "PRAGMA foreign_keys=OFF;"
        + "".join(f'DELETE FROM "{table}";' for table in tables)
        + "PRAGMA foreign_keys=ON;"
    )


@pytest.fixture
async def database(migrated_database: None) -> AsyncIterator[None]:
    yield
    await wait_for_scheduled_deliveries()  # background work still writing, then empty
    await _empty_tables()


async def scope_from_test_header(
    request: Request | WebSocket, params: dict[str, object]
) -> AccessScope:
    """Test stand-in for session sign-in: the viewer's user id travels in a header."""
    raw = request.headers.get(VIEWER_HEADER)
    if raw is None:
        return ANONYMOUS_SCOPE
    user_id = int(raw)
    # One statement, as before caregivers: the roles, and the account's emergency-access mark.
    rows = await UserRole.filter(user_id=user_id).values_list(
        "role", "user__emergency_access_until"
    )
    viewer = Viewer(
        user_id=user_id,
        roles=frozenset(Role(role) for role, _ in rows),
        acting_for=acting_for(request, params),
        emergency_access_until=rows[0][1] if rows else None,
    )
    return await relations.scope_for(viewer)


@pytest.fixture
def app(settings: Settings, database: None) -> Starlette:
    return create_app(settings, scope_for_request=scope_from_test_header)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


class GraphQLClient:
    """POSTs GraphQL as the SPA does, optionally as a given viewer."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        as_user: int | None = None,
        acting_for: str | None = None,
    ) -> httpx.Response:
        """`acting_for`: a Patient global id a caregiver acts for (X-Relief-Acting-For)."""
        headers = {VIEWER_HEADER: str(as_user)} if as_user is not None else {}
        if acting_for is not None:
            headers[ACTING_FOR_HEADER] = acting_for
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        as_user: int | None = None,
        acting_for: str | None = None,
    ) -> dict[str, Any]:
        response = await self.post(query, variables, as_user=as_user, acting_for=acting_for)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)
