from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.app import StartupRefused, create_app
from api.settings import PROJECT_ROOT, Environment, Settings
from tests.conftest import TEST_SECRET, make_settings

PG_URL = "postgres://relief@db.internal:5432/relief"


def test_defaults_are_embedded_and_development() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url.startswith("sqlite://")
    assert "/var/" in settings.database_url
    assert settings.redis_url is None
    assert settings.smtp_url is None
    assert settings.public_url == "http://127.0.0.1:8000"
    assert (settings.max_query_depth, settings.max_aliases, settings.max_page_size) == (10, 15, 100)


def test_settings_come_from_portal_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "https://portal.example.org/")
    monkeypatch.setenv("PORTAL_REDIS_URL", "  ")
    monkeypatch.setenv("PORTAL_MAX_QUERY_DEPTH", "7")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.public_url == "https://portal.example.org"
    assert settings.redis_url is None
    assert settings.max_query_depth == 7


def test_development_needs_no_secret() -> None:
    assert make_settings(secret_key=None).startup_problem() is None


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"secret_key": None, "database_url": PG_URL}, "PORTAL_SECRET_KEY"),
        ({"secret_key": "too-short", "database_url": PG_URL}, "PORTAL_SECRET_KEY"),
        ({"database_url": "sqlite:///srv/relief.db"}, "PORTAL_ALLOW_SQLITE_IN_PRODUCTION"),
    ],
)
def test_production_refuses_unsafe_configuration(overrides: dict[str, str], expected: str) -> None:
    settings = make_settings(env="production", **overrides)
    problem = settings.startup_problem()
    assert problem is not None
    assert expected in problem
    assert "\n" not in problem
    with pytest.raises(StartupRefused, match=expected):
        create_app(settings)


def test_production_accepts_postgres_with_secret_or_explicit_sqlite() -> None:
    assert make_settings(env="production", database_url=PG_URL).startup_problem() is None
    explicit = make_settings(
        env="production", database_url="sqlite:///srv/r.db", allow_sqlite_in_production=True
    )
    assert explicit.startup_problem() is None


def test_portal_serve_says_why_in_one_line(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env.update({"PORTAL_ENV": "production", "PORTAL_DATABASE_URL": f"sqlite://{tmp_path}/x.db"})
    result = subprocess.run(
        [sys.executable, "-m", "api", "serve", "--port", "0"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "PORTAL_SECRET_KEY" in lines[0]


def test_development_secret_is_kept_across_restarts() -> None:
    settings = make_settings(secret_key=None)
    first = settings.secret()
    assert len(first) >= 32
    assert Settings(_env_file=None).secret() == first  # type: ignore[call-arg]
    assert (PROJECT_ROOT / "var" / "development-secret-key").stat().st_mode & 0o077 == 0
    assert make_settings().secret() == TEST_SECRET


def test_workers_starting_together_share_one_development_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from api import settings as settings_module

    monkeypatch.setattr(settings_module, "VAR_DIR", tmp_path / "var")
    make_key = settings_module._development_secret.__wrapped__  # without the per-process cache
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: make_key(), range(8)))
    assert len(keys) == 1
    assert (tmp_path / "var" / "development-secret-key").read_text() == keys.pop()
    assert oct((tmp_path / "var" / "development-secret-key").stat().st_mode & 0o777) == "0o600"


def test_confidential_fields_come_from_the_environment_and_must_exist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTAL_GUARDIAN_CONFIDENTIAL_FIELDS", '["healthHistory","insurance"]')
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.guardian_confidential_fields == ("healthHistory", "insurance")
    create_app(settings)  # both are guarded fields of Patient
    misspelt = make_settings(guardian_confidential_fields=("healthHistroy",))
    with pytest.raises(StartupRefused, match="healthHistroy"):
        create_app(misspelt)


def test_adolescence_comes_before_adulthood() -> None:
    with pytest.raises(ValueError, match="PORTAL_ADOLESCENT_AGE"):
        make_settings(adolescent_age=18, adult_age=18)
