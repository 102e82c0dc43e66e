"""Single-use recovery codes for a lost authenticator: generated, normalised and keyed-hashed.

A code is 10 characters from an alphabet without the look-alikes 0/O, 1/I/L, shown as
"XXXXX-XXXXX". 31 symbols give 10 * log2(31) = 49.5 bits per code, far beyond what rate-limited
online guessing can reach (NIST SP 800-63B asks 20 bits of look-up secrets). That entropy is
also why a plain HMAC suffices to store them (no slow hash), while the HMAC key, derived from
PORTAL_SECRET_KEY, keeps a stolen table of hashes useless on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CODE_COUNT = 10
CODE_LENGTH = 10
GROUP = 5
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0, O, 1, I or L

_ALPHABET_SET = frozenset(ALPHABET)
# Spaces of any kind and the dashes phones and word processors substitute for "-".
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_HKDF_INFO = b"relief/recovery-codes/v1"


def generate_codes() -> list[str]:
    """CODE_COUNT distinct codes, grouped for reading: "XXXXX-XXXXX"."""
    codes: list[str] = []
    while len(codes) < CODE_COUNT:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        code = f"{raw[:GROUP]}-{raw[GROUP:]}"
        if code not in codes:  # a repeat is astronomically unlikely, but would waste a code
            codes.append(code)
    return codes


def normalise_code(code: str) -> str:
    """The 10 alphabet characters of a typed code, or "" when it cannot be one of ours.

    Case, spaces and dashes anywhere are forgiven; a character outside the alphabet or the
    wrong length is not, as no issued code could match it.
    """
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", code)).upper()
    if len(compact) != CODE_LENGTH or not _ALPHABET_SET.issuperset(compact):
        return ""
    return compact


def hash_code(code: str, *, key_material: str) -> str:
    """Hex HMAC-SHA256 of the normalised code; raises ValueError if it normalises to ""."""
    normalised = normalise_code(code)
    if not normalised:
        # Hashing "" would match nothing stored, but input that cannot be a code should be
        # counted as a failed attempt by the caller, not looked up.
        raise ValueError("not a recovery code")
    return hmac.new(_key(key_material), normalised.encode("ascii"), hashlib.sha256).hexdigest()


def _key(key_material: str) -> bytes:
    if not key_material:
        raise ValueError("key_material is empty")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        key_material.encode("utf-8")
    )
