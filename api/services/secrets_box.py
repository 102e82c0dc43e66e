"""Encrypt small secrets (TOTP keys...) for storage, with a key per purpose.

The caller passes the key material (PORTAL_SECRET_KEY); HKDF-SHA256 derives a Fernet key from
it with the purpose as HKDF "info", so a TOTP key and any other kind of secret never share an
encryption key, and reading one as the other fails. Tokens are "v1:" + a Fernet token
(AES-128-CBC + HMAC-SHA256): the tag lets a later scheme or key be introduced while old tokens
are still read.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
# A fixed, application-specific salt: the key material is already high-entropy, the salt only
# keeps these keys apart from anything else derived from the same secret with HKDF.
_SALT = b"relief/secrets-box/v1"


class SecretsBoxError(Exception):
    """The token was tampered with, is not ours, or was sealed with another key or purpose."""


def encrypt(plaintext: str, *, key_material: str, purpose: str) -> str:
    token = _fernet(key_material, purpose).encrypt(plaintext.encode("utf-8"))
    return f"{VERSION}:{token.decode('ascii')}"


def decrypt(token: str, *, key_material: str, purpose: str) -> str:
    version, separator, body = token.partition(":")
    if not separator or version != VERSION:
        raise SecretsBoxError("unknown secrets box version")
    try:
        return _fernet(key_material, purpose).decrypt(body.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as error:
        raise SecretsBoxError("the secret cannot be decrypted") from error


def _fernet(key_material: str, purpose: str) -> Fernet:
    # Refuse rather than derive a key from nothing: an unset secret must not encrypt quietly.
    if not key_material:
        raise ValueError("key_material is empty")
    if not purpose:
        raise ValueError("purpose is empty")
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose.encode("utf-8")
    ).derive(key_material.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))
