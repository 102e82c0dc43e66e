"""Checks of what people type when they register or edit their account.

Each check returns a Problem naming its field, so a form can show every problem at once.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from zoneinfo import available_timezones

from api.errors import BadUserInput
from api.services import passwords
from api.services.accounts.errors import AccountErrorCode, Problem
from api.services.accounts.users import normalise_email

OLDEST_AGE_YEARS = 130
_PHONE_CHARACTERS = re.compile(r"[\s().\-/]")
_E164 = re.compile(r"^\+?[1-9]\d{6,14}$")


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def email_problem(email: str) -> tuple[str, Problem | None]:
    try:
        return normalise_email(email), None
    except BadUserInput as error:
        return email.strip().lower(), Problem(
            AccountErrorCode.INVALID_EMAIL, error.message, "email"
        )


def name_problem(name: str) -> Problem | None:
    cleaned = " ".join(name.split())
    if not cleaned:
        return Problem(AccountErrorCode.INVALID_NAME, "Enter your name.", "name")
    if len(cleaned) > 200:
        return Problem(AccountErrorCode.INVALID_NAME, "Use at most 200 characters.", "name")
    if any(ord(char) < 32 for char in name):
        return Problem(AccountErrorCode.INVALID_NAME, "Remove the control characters.", "name")
    return None


def date_of_birth_problem(born: date, today: date) -> Problem | None:
    if born > today:
        return Problem(
            AccountErrorCode.INVALID_DATE_OF_BIRTH,
            "The date of birth is in the future.",
            "dateOfBirth",
        )
    if today.year - born.year > OLDEST_AGE_YEARS:
        return Problem(
            AccountErrorCode.INVALID_DATE_OF_BIRTH, "Check the year of birth.", "dateOfBirth"
        )
    return None


def normalise_phone(phone: str) -> tuple[str, Problem | None]:
    """E.164 where we can tell: '+1 (555) 010-0199' -> '+15550100199'."""
    compact = _PHONE_CHARACTERS.sub("", phone.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _E164.match(compact):
        return compact, Problem(
            AccountErrorCode.INVALID_PHONE,
            "Enter a phone number with its country code, for example +1 555 010 0199.",
            "phone",
        )
    return (compact if compact.startswith("+") else "+" + compact), None


def time_zone_problem(zone: str) -> Problem | None:
    if zone not in _zones():
        return Problem(
            AccountErrorCode.INVALID_TIME_ZONE,
            "Choose a time zone from the list, for example America/New_York.",
            "timeZone",
        )
    return None


async def password_problem(password: str, *inputs: str) -> Problem | None:
    verdict = await passwords.check_password_off_loop(
        password, user_inputs=[value for value in inputs if value]
    )
    if verdict.acceptable:
        return None
    return Problem(
        AccountErrorCode.WEAK_PASSWORD, verdict.problem or "Choose a stronger password.", "password"
    )
