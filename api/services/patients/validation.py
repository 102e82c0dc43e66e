"""Field checks for profile edits. A `Checks` collects every problem of one edit, each naming
its path (`medications[2].dose`), and hands back the cleaned value so the caller goes on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from api.errors import BadUserInput
from api.services.accounts import validation as account_checks
from api.services.accounts.users import normalise_email
from api.services.patients.errors import PatientProfileErrorCode as Code
from api.services.patients.errors import Problem

T = TypeVar("T")
EARLIEST_DATE = date(1900, 1, 1)
# A date is "in the future" only when it is so everywhere: UTC+14 is the earliest zone.
EARLIEST_ZONE_OFFSET = timedelta(hours=14)
# Language tags (BCP 47) as people use them: en, es-MX, zh-Hant-TW. The column holds 16.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")
_LANGUAGE_MAX = 16
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")  # ISO 3166-1 alpha-2
_LINE_BREAKS = {"\n", "\r", "\t"}


def latest_today(now: datetime | None = None) -> date:
    """Today's date where it is latest on Earth: no real date after it can be in the past."""
    return ((now or datetime.now(UTC)) + EARLIEST_ZONE_OFFSET).date()


def normalise_language(tag: str) -> str:
    """en-us -> en-US, zh-hant-tw -> zh-Hant-TW (the case BCP 47 recommends)."""
    parts = tag.split("-")
    shaped = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            shaped.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            shaped.append(part.title())
        else:
            shaped.append(part.lower())
    return "-".join(shaped)


class Checks:
    """Collects the problems of one edit; every method returns the cleaned value."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.problems: list[Problem] = []

    def fail(self, code: Code, message: str, field: str) -> None:
        self.problems.append(Problem(code, message, field))

    def text(
        self,
        value: str,
        field: str,
        *,
        max_length: int,
        required: bool = False,
        lines: bool = False,
    ) -> str:
        """Trimmed text; one line unless `lines` (then line breaks and tabs may stay)."""
        cleaned = value.strip() if lines else " ".join(value.split())
        allowed = _LINE_BREAKS if lines else set()
        if any(ord(char) < 32 and char not in allowed for char in value):
            self.fail(Code.INVALID_TEXT, "Remove the control characters.", field)
        elif required and not cleaned:
            self.fail(Code.REQUIRED, "This is required.", field)
        elif len(cleaned) > max_length:
            self.fail(Code.TOO_LONG, f"Use at most {max_length} characters.", field)
        return cleaned

    def past_date(self, value: date | None, field: str) -> date | None:
        """A date that has happened (a birth, a surgery, an injury), or nothing."""
        if value is None:
            return None
        if value > self.today:
            self.fail(Code.DATE_IN_FUTURE, "This date is in the future.", field)
        elif value < EARLIEST_DATE:
            self.fail(Code.DATE_TOO_EARLY, "Check the year.", field)
        return value

    def plausible_date(self, value: date | None, field: str) -> date | None:
        """Any date from 1900 on (a target date may be past or future)."""
        if value is not None and value < EARLIEST_DATE:
            self.fail(Code.DATE_TOO_EARLY, "Check the year.", field)
        return value

    def in_range(self, value: int | None, field: str, low: int, high: int) -> int | None:
        if value is not None and not low <= value <= high:
            self.fail(Code.OUT_OF_RANGE, f"Choose a number from {low} to {high}.", field)
        return value

    def phone(self, value: str, field: str, *, required: bool = False) -> str:
        """E.164 ('+15550100199'); empty is allowed unless required."""
        if not value.strip():
            if required:
                self.fail(Code.REQUIRED, "Enter a phone number.", field)
            return ""
        normalised, problem = account_checks.normalise_phone(value)
        if problem is not None:
            self.fail(Code.INVALID_PHONE, problem.message, field)
        return normalised

    def email(self, value: str, field: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalise_email(value)
        except BadUserInput as error:
            self.fail(Code.INVALID_EMAIL, error.message, field)
            return value.strip()

    def time_zone(self, value: str, field: str) -> str:
        zone = value.strip()
        if account_checks.time_zone_problem(zone) is not None:
            self.fail(
                Code.INVALID_TIME_ZONE,
                "Choose a time zone from the list, for example America/New_York.",
                field,
            )
        return zone

    def language(self, value: str, field: str, *, required: bool = True) -> str:
        tag = value.strip()
        if not tag:
            if required:
                self.fail(Code.REQUIRED, "Choose a language.", field)
            return ""
        if len(tag) > _LANGUAGE_MAX or not _LANGUAGE.match(tag):
            self.fail(Code.INVALID_LANGUAGE, "Use a language code such as en or es-MX.", field)
            return tag
        return normalise_language(tag)

    def country(self, value: str, field: str) -> str:
        code = value.strip()
        if not code:
            self.fail(Code.REQUIRED, "Choose a country.", field)
        elif not _COUNTRY.match(code):
            self.fail(Code.INVALID_COUNTRY, "Use a two-letter country code such as US.", field)
        return code.upper()

    def at_most(self, items: Sequence[T], field: str, limit: int) -> Sequence[T]:
        """The list, checked against its cap (its items are still checked one by one)."""
        if len(items) > limit:
            self.fail(Code.TOO_MANY, f"Keep at most {limit} entries.", field)
        return items
