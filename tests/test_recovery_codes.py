from __future__ import annotations

import math
import re

import pytest

from api.services.recovery_codes import (
    ALPHABET,
    CODE_COUNT,
    generate_codes,
    hash_code,
    normalise_code,
)

KEY = "test-secret-key-" + "x" * 32
FORMAT = re.compile(rf"[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}")


def test_ten_distinct_codes_in_the_display_format() -> None:
    codes = generate_codes()
    assert len(codes) == CODE_COUNT == 10
    assert len(set(codes)) == CODE_COUNT
    assert all(FORMAT.fullmatch(code) for code in codes), codes


def test_the_alphabet_has_no_look_alikes_and_codes_carry_enough_entropy() -> None:
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31
    assert 10 * math.log2(len(ALPHABET)) > 49.5


def test_codes_differ_between_calls() -> None:
    assert not set(generate_codes()) & set(generate_codes())


@pytest.mark.parametrize(
    "typed",
    [
        "ABCDE-FGHJK",
        "abcde-fghjk",
        "abcdefghjk",
        " abc de fgh jk ",
        "ab-cde--fghjk",
        "ABCDE\u2013FGHJK",
    ],
)
def test_normalise_forgives_case_spaces_and_dashes(typed: str) -> None:
    assert normalise_code(typed) == "ABCDEFGHJK"


@pytest.mark.parametrize("typed", ["ABCDE-FGHJ0", "ABCDE-FGHJI", "abcde-fghjl", "ABCDE-FGHJ!", ""])
def test_a_character_outside_the_alphabet_normalises_to_empty(typed: str) -> None:
    assert normalise_code(typed) == ""


@pytest.mark.parametrize("typed", ["ABCDE-FGHJ", "ABCDE-FGHJKM"])
def test_the_wrong_length_normalises_to_empty(typed: str) -> None:
    assert normalise_code(typed) == ""


def test_every_generated_code_survives_normalisation() -> None:
    for code in generate_codes():
        assert normalise_code(code) == code.replace("-", "")


def test_hash_is_stable_for_equivalent_inputs() -> None:
    digest = hash_code("ABCDE-FGHJK", key_material=KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert hash_code("abcde fghjk", key_material=KEY) == digest
    assert hash_code("ABCDEFGHJK", key_material=KEY) == digest


def test_hash_depends_on_the_key_and_the_code() -> None:
    digest = hash_code("ABCDE-FGHJK", key_material=KEY)
    assert hash_code("ABCDE-FGHJK", key_material=KEY + "2") != digest
    assert hash_code("ABCDE-FGHJM", key_material=KEY) != digest


def test_hashing_something_that_is_not_a_code_is_refused() -> None:
    with pytest.raises(ValueError, match="not a recovery code"):
        hash_code("ABCDE-FGHJ0", key_material=KEY)


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="key_material"):
        hash_code("ABCDE-FGHJK", key_material="")
