from __future__ import annotations

import subprocess
from collections.abc import Awaitable, Callable

import pytest
from tortoise.exceptions import IntegrityError

from api import db
from api.db import normalise_url
from api.models.accounts import User
from api.settings import Settings
from tests.cli import portal_env, run_portal


def test_database_urls_people_paste_are_understood() -> None:
    assert normalise_url("postgresql+asyncpg://u@h/d") == "asyncpg://u@h/d"
    assert normalise_url("postgresql://u@h/d") == "asyncpg://u@h/d"
    assert normalise_url("postgres://u@h/d") == "asyncpg://u@h/d"
    assert normalise_url("sqlite:///tmp/x.db") == "sqlite:///tmp/x.db"


async def test_models_and_migrations_agree(database: None, settings: Settings) -> None:
    """A model change without `portal makemigrations` fails here."""
    assert await db.model_changes_without_migration(settings) == []


async def test_migrated_database_has_nothing_pending(database: None, settings: Settings) -> None:
    assert await db.pending_migrations(settings) == []
    await db.require_migrated(settings)


async def test_unique_constraints_are_real(database: None) -> None:
    """Constraints come from the migrations, so the database itself refuses duplicates."""
    await User.create(email="a@b.org", password_hash="x")
    with pytest.raises(IntegrityError):
        await User.create(email="a@b.org", password_hash="y")


def _cli(args: list[str], database_url: str) -> subprocess.CompletedProcess[str]:
    return run_portal(args, portal_env(database_url=database_url))


async def test_serve_refuses_an_unmigrated_database_then_migrate_fixes_it(
    make_empty_database: Callable[[], Awaitable[str]],
) -> None:
    url = await make_empty_database()
    refused = _cli(["serve", "--port", "0"], url)
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert "portal migrate" in lines[0]

    migrated = _cli(["migrate"], url)
    assert migrated.returncode == 0, migrated.stderr
    assert "0001_accounts" in migrated.stdout
    again = _cli(["migrate"], url)
    assert again.stdout.startswith("applied 0 migration(s)")
