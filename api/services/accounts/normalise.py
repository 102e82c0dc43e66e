"""Address normalisation for look-ups, which must never fail loudly on odd input."""

from __future__ import annotations


def normalise_email_for_lookup(email: str) -> str | None:
    cleaned = email.strip().lower()
    if "@" not in cleaned or len(cleaned) > 254:
        return None
    return cleaned
