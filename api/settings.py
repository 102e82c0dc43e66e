"""Every PORTAL_* setting, typed, with its default, in one place.

Settings are read from the environment (prefix ``PORTAL_``) and, when present, from a ``.env``
file in the working directory. ``Settings.startup_problem()`` holds the production refusals, so
that both ``portal serve`` and the app factory say the same one line and stop.
"""

from __future__ import annotations

import os
import secrets
from datetime import date, time
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from time import sleep
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
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
    # The pub/sub channel live events travel on: deployments sharing one Redis each need their own.
    redis_channel: str = Field(default="relief:events", min_length=1, max_length=200)
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
    # A WebSocket lives for hours: its access scope is re-read after this age (care-team
    # changes reach open subscriptions), and its session re-checked this often (idle and
    # absolute expiry close the socket; the check does not count as activity).
    websocket_scope_max_age_seconds: float = Field(default=30.0, gt=0, le=3600)
    websocket_session_check_seconds: float = Field(default=60.0, gt=0, le=3600)
    # Per-IP request budgets, "N/period" in the `limits` notation.
    sign_in_rate_limit: str = "30/10 minutes"
    registration_rate_limit: str = "10/hour"
    mail_request_rate_limit: str = "20/hour"

    # Patients confirm their profile is still right every N calendar months.
    profile_review_months: int = Field(default=3, ge=1, le=24)

    # Background jobs (deliveries, retries, escalations): how often each worker looks for due
    # work, and how long a claimed job stays claimed before another worker may take it over.
    job_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    job_lease_seconds: int = Field(default=120, ge=5, le=3600)
    # Finished jobs are deleted this long after they finished (failed ones are kept).
    job_retention_days: int = Field(default=30, ge=1, le=3650)

    # SMS through an HTTP gateway (POST JSON {to, body}); unset: kept in the SMS outbox.
    sms_gateway_url: str | None = None
    sms_gateway_token: SecretStr | None = None
    # Web Push (VAPID): without keys push deliveries are recorded as not configured.
    vapid_public_key: str | None = None
    vapid_private_key: SecretStr | None = None
    vapid_subject: str = "mailto:support@relief.localhost"

    # Secure messaging: the clinic's business hours and the promises made against them.
    clinic_time_zone: str = "America/New_York"
    business_hours_start: time = time(8, 0)
    business_hours_end: time = time(18, 0)
    business_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday is 0, as in date.weekday()
    clinic_holidays: tuple[date, ...] = ()
    response_promise_business_hours: int = Field(default=24, ge=1, le=240)
    urgent_escalation_minutes: int = Field(default=60, ge=1, le=24 * 60)
    clinic_phone: str = "the clinic's front desk"
    emergency_number: str = "911"

    # Scheduling policy: how soon and how far ahead patients book, on what grid, and until when
    # they may change a booking themselves.
    booking_lead_minutes: int = Field(default=120, ge=0, le=14 * 24 * 60)
    booking_horizon_days: int = Field(default=90, ge=1, le=730)
    slot_step_minutes: int = Field(default=15, ge=5, le=120)
    cancellation_window_hours: int = Field(default=24, ge=0, le=14 * 24)
    # Inside the window: refused (CANCELLATION_WINDOW_CLOSED), or recorded as LATE_CANCELLED.
    late_cancellation_allowed: bool = False
    booking_undo_minutes: int = Field(default=10, ge=0, le=120)  # a fresh booking can be undone
    reminder_offsets_minutes: tuple[int, ...] = (24 * 60, 120)
    questionnaire_due_hours: int = Field(default=2, ge=0, le=14 * 24)  # due before the session

    # Uploads: limits by the kind the file's bytes show, not its name.
    document_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    video_max_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    image_max_pixels: int = Field(default=40_000_000, ge=10_000)
    # Where file bytes live: "database" (default; every worker sees them) or a directory
    # that every worker mounts (a shared volume), e.g. PORTAL_FILE_STORAGE=/srv/relief-files.
    file_storage: str = "database"

    # Caregivers: how long an invitation stays open and how many wrong answers to the
    # date-of-birth question void it.
    caregiver_invitation_days: int = Field(default=14, ge=1, le=90)
    caregiver_invitation_attempts: int = Field(default=3, ge=1, le=10)
    # Minors: from `adolescent_age` the fields below are hidden from guardians; at
    # `adult_age` guardian access ends unless the patient grants it again.
    adolescent_age: int = Field(default=13, ge=1, le=21)
    adult_age: int = Field(default=18, ge=1, le=25)
    # Fields of `Patient` the clinic treats as confidential between an adolescent and the
    # care team (GraphQL field names, e.g. healthHistory,currentCondition).
    guardian_confidential_fields: tuple[str, ...] = ("healthHistory", "currentCondition")
    # Emergency ("break-glass") access to a record outside a clinician's reach.
    emergency_access_minutes: int = Field(default=60, ge=5, le=24 * 60)

    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    log_level: str = "INFO"

    @field_validator("database_url", "redis_url", "smtp_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("clinic_time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("sms_gateway_url", "vapid_public_key", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _ages_in_order(self) -> Settings:
        if self.adolescent_age >= self.adult_age:
            raise ValueError("PORTAL_ADOLESCENT_AGE must be below PORTAL_ADULT_AGE")
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def public_url_is_https(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def clinic_zone(self) -> ZoneInfo:
        return ZoneInfo(self.clinic_time_zone)

    @property
    def push_configured(self) -> bool:
        return self.vapid_public_key is not None and self.vapid_private_key is not None

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
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    try:
        # Exclusive creation: two workers starting together on a fresh checkout must end up
        # with one key (sessions made by one are read by the other).
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(secrets.token_urlsafe(48))
    return _read_key(path)


def _read_key(path: Path) -> str:
    """The key, once its writer has finished (it writes one short line right after creating)."""
    for _ in range(50):
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        sleep(0.01)
    raise RuntimeError(f"{path} is empty: delete it and start again")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
