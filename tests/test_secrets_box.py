from __future__ import annotations

import pytest

from api.services.secrets_box import SecretsBoxError, decrypt, encrypt

KEY = "test-secret-key-" + "x" * 32
PURPOSE = "totp-secret"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_round_trip() -> None:
    token = encrypt(SECRET, key_material=KEY, purpose=PURPOSE)
    assert token.startswith("v1:")
    assert SECRET not in token
    assert decrypt(token, key_material=KEY, purpose=PURPOSE) == SECRET


def test_unicode_round_trip() -> None:
    token = encrypt("Grüße 🐧", key_material=KEY, purpose=PURPOSE)
    assert decrypt(token, key_material=KEY, purpose=PURPOSE) == "Grüße 🐧"


def test_the_ciphertext_differs_each_time() -> None:
    first = encrypt(SECRET, key_material=KEY, purpose=PURPOSE)
    second = encrypt(SECRET, key_material=KEY, purpose=PURPOSE)
    assert first != second


def test_a_wrong_key_fails() -> None:
    token = encrypt(SECRET, key_material=KEY, purpose=PURPOSE)
    with pytest.raises(SecretsBoxError):
        decrypt(token, key_material=KEY + "y", purpose=PURPOSE)


def test_a_wrong_purpose_fails() -> None:
    token = encrypt(SECRET, key_material=KEY, purpose=PURPOSE)
    with pytest.raises(SecretsBoxError):
        decrypt(token, key_material=KEY, purpose="something-else")


def test_a_tampered_token_fails() -> None:
    token = encrypt(SECRET, key_material=KEY, purpose=PURPOSE)
    middle = len(token) // 2
    flipped = "A" if token[middle] != "A" else "B"
    with pytest.raises(SecretsBoxError):
        decrypt(token[:middle] + flipped + token[middle + 1 :], key_material=KEY, purpose=PURPOSE)


@pytest.mark.parametrize("token", ["", "v1:", "v1:not-a-token", "v2:whatever", "no-version"])
def test_malformed_tokens_fail(token: str) -> None:
    with pytest.raises(SecretsBoxError):
        decrypt(token, key_material=KEY, purpose=PURPOSE)


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="key_material"):
        encrypt(SECRET, key_material="", purpose=PURPOSE)
