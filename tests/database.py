"""Fresh databases for a test run: a SQLite file, or a new PostgreSQL database on the server
named by PORTAL_TEST_DATABASE_URL (created for the run and dropped after it)."""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from api.db import normalise_url


def _with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _asyncpg_dsn(url: str) -> str:
    return "postgresql://" + normalise_url(url).removeprefix("asyncpg://")


async def create_postgres_database(server_url: str) -> str:
    name = f"relief_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(_asyncpg_dsn(server_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return _with_database_name(server_url, name)


async def drop_postgres_database(server_url: str, database_url: str) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    connection = await asyncpg.connect(_asyncpg_dsn(server_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def sqlite_url(folder: Path, name: str = "relief-test.sqlite3") -> str:
    return f"sqlite://{folder / name}"
