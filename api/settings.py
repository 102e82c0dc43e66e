"""Every PORTAL_* setting, typed, with its default, in one place.

Settings are read from the environment (prefix ``PORTAL_``) and, when present, from a ``.env``
file in the working directory. ``Settings.startup_problem()`` holds the production refusals, so
that both ``portal serve`` and the app factory say the same one line and stop.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PORTAL_", env_file=".env", extra="ignore", frozen=True
    )

    env: Environment = Environment.DEVELOPMENT
    database_url: str = f"sqlite://{VAR_DIR / 'relief.sqlite3'}"
    # Production refuses SQLite unless this is set: one file on one disk is not a clinic's database.
    allow_sqlite_in_production: bool = False
    redis_url: str | None = None
    smtp_url: str | None = None
    mail_from: str = "Relief <no-reply@relief.localhost>"
    public_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr | None = None

    # GraphQL request limits, checked before any resolver runs.
    max_query_depth: int = Field(default=10, ge=1, le=50)
    max_aliases: int = Field(default=15, ge=0, le=1000)
    max_tokens: int = Field(default=2000, ge=10, le=100_000)
    max_page_size: int = Field(default=100, ge=1, le=1000)

    # Sessions (OWASP ASVS 5.0 V7): idle and absolute lifetimes.
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_absolute_hours: int = Field(default=12, ge=1, le=24 * 30)
    remember_device_days: int = Field(default=30, ge=1, le=90)
    # Per-IP request budgets, "N/period" in the `limits` notation.
    sign_in_rate_limit: str = "30/10 minutes"
    registration_rate_limit: str = "10/hour"
    mail_request_rate_limit: str = "20/hour"

    # Patients confirm their profile is still right every N calendar months.
    profile_review_months: int = Field(default=3, ge=1, le=24)

    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    log_level: str = "INFO"

    @field_validator("database_url", "redis_url", "smtp_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def public_url_is_https(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    def startup_problem(self) -> str | None:
        """The one-line reason this configuration must not serve, or None."""
        if not self.is_production:
            return None
        if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
            return (
                "refusing to start: PORTAL_SECRET_KEY must be set to at least 32 random "
                "characters in production"
            )
        if self.uses_sqlite and not self.allow_sqlite_in_production:
            return (
                "refusing to start: PORTAL_DATABASE_URL is SQLite in production; use PostgreSQL "
                "or set PORTAL_ALLOW_SQLITE_IN_PRODUCTION=true"
            )
        return None

    def secret(self) -> str:
        """The key that signs and encrypts; in development a per-checkout key kept under var/."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        if self.is_production:  # startup_problem() stops us long before this
            raise RuntimeError("PORTAL_SECRET_KEY is required in production")
        return _development_secret()


@lru_cache(maxsize=1)
def _development_secret() -> str:
    path = VAR_DIR / "development-secret-key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key, encoding="utf-8")
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
