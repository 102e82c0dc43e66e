"""Tortoise configuration for SQLite and PostgreSQL from one URL, and the migrations around it.

Schema changes go only through Tortoise's own migrations (``api/migrations``), applied by
``portal migrate``. ``generate_schemas`` is never used: it silently drops partial unique
constraints declared on new models (tortoise issue #2272), so tests migrate for real too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import generate_config
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.migrations.executor import MigrationExecutor

from api.models import MODEL_MODULES
from api.settings import Settings

APP_LABEL = "relief"
MIGRATIONS_MODULE = "api.migrations"
# SQLite serialises writers; waiting a few seconds for the lock beats failing a request.
SQLITE_BUSY_TIMEOUT_MS = 5000


class DatabaseNotMigrated(RuntimeError):
    """The database lacks migrations that the code needs."""


def normalise_url(url: str) -> str:
    """Accept the URL spellings people paste (postgresql+asyncpg://) and return Tortoise's."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "asyncpg://" + url[len(prefix) :]
    return url


def tortoise_config(settings: Settings) -> dict[str, Any]:
    url = normalise_url(settings.database_url)
    if url.startswith("sqlite://"):
        _ensure_sqlite_folder(url)
    config: dict[str, Any] = generate_config(
        url,
        app_modules={APP_LABEL: list(MODEL_MODULES)},
        connection_label="default",
    )
    credentials = config["connections"]["default"]["credentials"]
    if url.startswith("sqlite://"):
        credentials.setdefault("busy_timeout", SQLITE_BUSY_TIMEOUT_MS)
    config["apps"][APP_LABEL]["migrations"] = MIGRATIONS_MODULE
    config["use_tz"] = True
    config["timezone"] = "UTC"
    return config


def _ensure_sqlite_folder(url: str) -> None:
    path = url.removeprefix("sqlite://").split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


async def open_database(settings: Settings) -> None:
    # Global fallback: uvicorn runs the lifespan (which opens the database) in another task
    # than the requests, and Tortoise's context lives in a contextvar.
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[None]:
    await open_database(settings)
    try:
        yield
    finally:
        await close_database()


def _executor(settings: Settings) -> MigrationExecutor:
    config = tortoise_config(settings)
    return MigrationExecutor(connections.get("default"), config["apps"])


async def pending_migrations(settings: Settings) -> list[str]:
    """Names of migrations the database has not applied yet (needs an open database)."""
    plan = await _executor(settings).plan()
    return [step.migration.name for step in plan if not step.backward]


async def migrate(settings: Settings) -> list[str]:
    """Apply every pending migration; returns their names (needs an open database)."""
    pending = await pending_migrations(settings)
    await _executor(settings).migrate()
    return pending


async def require_migrated(settings: Settings) -> None:
    pending = await pending_migrations(settings)
    if pending:
        raise DatabaseNotMigrated(
            f"the database lacks {len(pending)} migration(s) ({pending[0]} first): "
            "run `portal migrate`"
        )


async def model_changes_without_migration(settings: Settings) -> list[str]:
    """Names of the migrations `portal makemigrations` would write now (empty when in step)."""
    config = tortoise_config(settings)
    autodetector = MigrationAutodetector(Tortoise.apps, config["apps"])
    return [writer.name for writer in await autodetector.changes()]


async def make_migrations(settings: Settings, name: str | None = None) -> list[Path]:
    config = tortoise_config(settings)
    autodetector = MigrationAutodetector(Tortoise.apps, config["apps"])
    written: list[Path] = []
    for writer in await autodetector.changes():
        if name:
            number = writer.name.split("_", 1)[0]
            writer.name = f"{number}_{name}"
        written.append(Path(writer.write()))
    return written


async def ping() -> None:
    """One trivial statement: raises when the database does not answer."""
    await connections.get("default").execute_query("SELECT 1")
