"""Password policy (NIST SP 800-63B, OWASP ASVS 5.0) and argon2id hashing.

Hashing never truncates and accepts any Unicode; parameters are upgraded on use. The policy is
length (12..128 after NFKC), not on the shipped common-password list, and a zxcvbn score of at
least 3 given what we know about the person. No composition rules: they make passwords harder
to remember without making them harder to guess.
"""

from __future__ import annotations

import asyncio
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import matching, zxcvbn  # type: ignore[import-untyped]

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn 0..4; 3 is "safely unguessable: moderate protection from offline attack"

# zxcvbn's matching grows with the square of the length (about 0.25 s of CPU for 100 random
# characters), so only this prefix is scored. Length is checked on the whole password
# separately, and a prefix that resists guessing only gets stronger with more after it.
ZXCVBN_PREFIX = 100

# zxcvbn re-runs its whole dictionary search once per way of reading the l33t characters present
# ("1" as i or l, "(" "[" "{" "<" as c...). 17 distinct ones give 736 readings: a crafted 100
# character password took 8.5 s of CPU. Up to 11 distinct ones give at most 16 readings, so
# ordinary passwords are scored exactly; beyond that only the first 16 readings are tried, the
# same guard zxcvbn-ts has as `l33tMaxSubstitutions`.
MAX_L33T_READINGS = 16

# Always passed to zxcvbn: a password built around the portal's own name is an obvious guess.
SERVICE_WORDS = ("relief",)

COMMON_PROBLEM = "This password is on a list of commonly used passwords, so please choose another."
PERSONAL_PROBLEM = "This password is too close to your name, email address or date of birth."
WEAK_PROBLEM = "This password would be easy to guess, so try a few unrelated words together."
VARIETY_HINT = "An unusual word, a misspelling or a symbol in the middle makes it harder to guess."

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 low-memory profile

# zxcvbn keeps the user inputs of the current call in a module-level dictionary: two threads
# scoring at once could check one person's password against another person's details.
_zxcvbn_lock = threading.Lock()

_enumerate_l33t_readings = matching.enumerate_l33t_subs


def _capped_l33t_readings(table: dict[str, list[str]]) -> list[dict[str, str]]:
    readings: list[dict[str, str]] = _enumerate_l33t_readings(table)
    return readings[:MAX_L33T_READINGS]


# zxcvbn's l33t matcher looks this function up in its module on every call. Patched for the
# whole process: nothing else in the portal calls zxcvbn, and any caller needs the guard.
matching.enumerate_l33t_subs = _capped_l33t_readings


@dataclass(frozen=True)
class PasswordVerdict:
    acceptable: bool
    score: int  # zxcvbn 0..4, of the first ZXCVBN_PREFIX characters
    problem: str | None  # one sentence a patient understands; None when acceptable
    suggestions: tuple[str, ...]


def normalise(password: str) -> str:
    """NFKC so that the same password typed on two keyboards is the same password."""
    return unicodedata.normalize("NFKC", password)


def length_problem(password: str) -> str | None:
    length = len(normalise(password))
    if length < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if length > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    return None


def check_password(password: str, *, user_inputs: Sequence[str] = ()) -> PasswordVerdict:
    """Judge a new password. ``user_inputs``: the person's email, name parts, date of birth...

    The score and suggestions are computed even when the length is wrong, so a form can show
    strength while the patient types; the first problem found is the one reported.
    """
    normalised = normalise(password)
    personal = _personal_words(user_inputs)
    with _zxcvbn_lock:
        # max_length: zxcvbn raises ValueError beyond its default of 72 characters.
        result: dict[str, Any] = zxcvbn(
            normalised[:ZXCVBN_PREFIX],
            user_inputs=[*SERVICE_WORDS, *personal],
            max_length=ZXCVBN_PREFIX,
        )
    score = int(result["score"])
    suggestions = [str(s) for s in result["feedback"]["suggestions"]]
    if score < 4 and VARIETY_HINT not in suggestions:
        suggestions.append(VARIETY_HINT)

    problem = length_problem(password)
    if problem is None and _is_common(normalised):
        problem = COMMON_PROBLEM
    if problem is None and score < MIN_SCORE:
        problem = PERSONAL_PROBLEM if _uses_personal_words(result, personal) else WEAK_PROBLEM
    return PasswordVerdict(
        acceptable=problem is None, score=score, problem=problem, suggestions=tuple(suggestions)
    )


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list (api/data/common-passwords.txt), read on first use, once per process."""
    text = files("api.data").joinpath("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        entry
        for line in text.splitlines()
        if (entry := line.strip().casefold()) and not entry.startswith("#")
    )


def _is_common(normalised: str) -> bool:
    # Surrounding spaces add nothing an attacker would not try: " password1234" is still common.
    return normalised.strip().casefold() in common_passwords()


def _personal_words(user_inputs: Sequence[str]) -> list[str]:
    """The inputs, and the pieces of them people build passwords from.

    "maria.gonzalez@example.org" gives the address, "maria.gonzalez", "mariagonzalez", "maria",
    "gonzalez", "example.org", "example" and "org"; "1987-03-14" gives "19870314" and its parts.
    """
    words: dict[str, None] = {}  # ordered and deduplicated: zxcvbn ranks inputs by position
    for value in user_inputs:
        value = normalise(value).strip().casefold()
        pieces = [value]
        if "@" in value:
            local, _, domain = value.rpartition("@")
            pieces += [local, domain]
        for piece in pieces:
            parts = re.findall(r"[^\W_]+", piece)  # letters and digits, any script
            for word in (piece, "".join(parts), *parts):
                if word:
                    words[word] = None
    return list(words)


def _uses_personal_words(result: dict[str, Any], personal: Sequence[str]) -> bool:
    """Whether zxcvbn's cheapest explanation of the password leans on the person's details."""
    mine = set(personal) - set(SERVICE_WORDS)
    return any(
        match.get("dictionary_name") == "user_inputs" and match.get("matched_word") in mine
        for match in result["sequence"]
    )


# argon2id spends ~50 ms of CPU by design and zxcvbn up to ~0.3 s on hostile input: run
# them on a worker thread, so one sign-in never stalls every other request on the loop.
async def hash_password_off_loop(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def verify_password_off_loop(password_hash: str, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)


async def check_password_off_loop(
    password: str, *, user_inputs: Sequence[str] = ()
) -> PasswordVerdict:
    return await asyncio.to_thread(lambda: check_password(password, user_inputs=user_inputs))
