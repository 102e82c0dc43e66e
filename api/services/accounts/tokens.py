"""Random bearer secrets (sessions, mailed links, remembered devices), stored only as hashes.

256 bits from `secrets`; SHA-256 is enough to store them: they are not guessable, so a
slow hash would buy nothing and cost every request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from api.models.accounts import AccountToken, TokenPurpose, User


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


async def issue(
    user: User, purpose: TokenPurpose, lifetime: timedelta, *, new_email: str | None = None
) -> str:
    """A fresh single-use token; earlier unused tokens of the same purpose stop working."""
    await AccountToken.filter(user=user, purpose=purpose, used_at=None).update(used_at=now())
    token = new_token()
    await AccountToken.create(
        user=user,
        purpose=purpose,
        token_hash=token_hash(token),
        new_email=new_email,
        expires_at=now() + lifetime,
    )
    return token


async def consume(token: str, purposes: tuple[TokenPurpose, ...]) -> AccountToken | None:
    """Marks the token used and returns it, or None when unknown, used or expired.

    The conditional UPDATE is the single-use guarantee: of two concurrent uses, one
    updates a row and the other updates none.
    """
    if not token or len(token) > 200:
        return None
    digest = token_hash(token)
    moment = now()
    used = await AccountToken.filter(
        Q(token_hash=digest, used_at=None, purpose__in=list(purposes), expires_at__gt=moment)
    ).update(used_at=moment)
    if used != 1:
        return None
    return await AccountToken.get(token_hash=digest).prefetch_related("user")
