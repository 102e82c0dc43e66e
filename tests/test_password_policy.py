from __future__ import annotations

from importlib.resources import files

import pytest
from zxcvbn import matching  # type: ignore[import-untyped]

from api.services import passwords
from api.services.passwords import (
    COMMON_PROBLEM,
    MAX_L33T_READINGS,
    MAX_LENGTH,
    MIN_LENGTH,
    MIN_SCORE,
    PERSONAL_PROBLEM,
    VARIETY_HINT,
    check_password,
)

MARIA = ("maria.gonzalez@example.org", "Maria", "Gonzalez", "1987-03-14")


def test_too_short_is_refused_with_the_length_message() -> None:
    verdict = check_password("Kettle-Zebr")  # 11
    assert not verdict.acceptable
    assert verdict.problem == f"Use at least {MIN_LENGTH} characters."


def test_exactly_twelve_characters_is_enough() -> None:
    verdict = check_password("Kettle-Zebra")
    assert len("Kettle-Zebra") == MIN_LENGTH
    assert verdict.acceptable, verdict
    assert verdict.problem is None


def test_length_is_counted_after_nfkc() -> None:
    # The "ﬁ" ligature is one character typed and two once normalised, as hashed.
    assert len("ﬁnch-harbor") == MIN_LENGTH - 1
    assert check_password("ﬁnch-harbor").acceptable


def test_exactly_max_length_is_accepted_and_one_more_is_refused() -> None:
    words = "granite sparrow velvet ocean lantern meadow quartz "
    longest = (words * 3)[:MAX_LENGTH]
    assert len(longest) == MAX_LENGTH
    assert check_password(longest).acceptable
    verdict = check_password(longest + "x")
    assert not verdict.acceptable
    assert verdict.problem == f"Use at most {MAX_LENGTH} characters."


def test_long_inputs_are_scored_on_a_prefix_without_failing() -> None:
    # zxcvbn itself raises ValueError beyond 72 characters unless told otherwise.
    verdict = check_password("a" * MAX_LENGTH)
    assert not verdict.acceptable
    assert verdict.score < MIN_SCORE


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "qwertyuiop12",
        "PassWord1234",
        " password1234 ",
        "".join(chr(ord(c) + 0xFEE0) for c in "password1234"),  # full-width, NFKC undoes it
    ],
)
def test_common_passwords_are_refused_whatever_the_case_or_width(password: str) -> None:
    assert passwords.normalise(password).strip().casefold() in passwords.common_passwords()
    verdict = check_password(password)
    assert not verdict.acceptable
    assert verdict.problem == COMMON_PROBLEM


def test_a_password_made_of_the_users_own_details_is_refused() -> None:
    # Strong enough for a stranger: zxcvbn does not know the person is called Maria Gonzalez.
    anonymous = check_password("mariagonzalez2024")
    assert anonymous.acceptable
    assert anonymous.score >= MIN_SCORE

    personal = check_password("mariagonzalez2024", user_inputs=MARIA)
    assert not personal.acceptable
    assert personal.score < MIN_SCORE
    assert personal.problem == PERSONAL_PROBLEM


def test_the_email_address_is_split_into_the_pieces_people_use() -> None:
    verdict = check_password("maria.gonzalez1987!", user_inputs=["maria.gonzalez@example.org"])
    assert not verdict.acceptable
    assert verdict.problem == PERSONAL_PROBLEM


def test_a_strong_passphrase_is_accepted() -> None:
    verdict = check_password("Tortoise carries 3 violet umbrellas", user_inputs=MARIA)
    assert verdict.acceptable
    assert verdict.score >= MIN_SCORE
    assert verdict.problem is None


def test_a_long_unicode_passphrase_is_accepted() -> None:
    verdict = check_password("Mañana el pingüino 🐧 come paella con Ζεύς", user_inputs=MARIA)
    assert verdict.acceptable, verdict
    assert verdict.score >= MIN_SCORE


def test_no_composition_rules_four_lowercase_words_are_enough() -> None:
    verdict = check_password("tortoise orbit lantern meadow")
    assert verdict.acceptable
    assert verdict.score == 4
    assert verdict.suggestions == ()


def test_an_acceptable_but_not_excellent_password_gets_a_variety_hint() -> None:
    verdict = check_password("Kettle-Zebra")
    assert verdict.acceptable
    assert verdict.score == MIN_SCORE
    assert VARIETY_HINT in verdict.suggestions


def test_a_weak_password_gets_zxcvbns_suggestions() -> None:
    verdict = check_password("abcdefghijkl")
    assert not verdict.acceptable
    assert verdict.problem is not None
    assert len(verdict.suggestions) >= 2


def test_the_shipped_list_is_large_unique_and_credited() -> None:
    text = files("api.data").joinpath("common-passwords.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("#")
    assert "zxcvbn" in lines[0]
    assert "MIT" in lines[0]
    entries = [line for line in lines if not line.startswith("#")]
    assert len(entries) >= 10_000
    assert len(set(entries)) == len(entries)
    assert all(entry == entry.lower() and entry.strip() == entry and entry for entry in entries)
    assert passwords.common_passwords() == frozenset(entries)


def test_the_list_is_loaded_once() -> None:
    assert passwords.common_passwords() is passwords.common_passwords()


def test_l33t_readings_are_capped() -> None:
    # 17 distinct l33t characters: 736 readings uncapped, each a full dictionary search.
    crafted = "4@8({[<369!1|7$5+%20"
    table = matching.relevant_l33t_subtable(crafted, matching.L33T_TABLE)
    assert len(matching.enumerate_l33t_subs(table)) == MAX_L33T_READINGS
    # A normal password's readings are not cut: "P@55w0rd1|7" has 8.
    table = matching.relevant_l33t_subtable("P@55w0rd1|7", matching.L33T_TABLE)
    assert len(matching.enumerate_l33t_subs(table)) == 8
