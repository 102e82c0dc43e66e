"""Readable device names for login history, and the devices a user chose to remember."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from ua_parser import parse

from api.models.accounts import RememberedDevice, User
from api.services.accounts.tokens import new_token, now, token_hash


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Where a request came from, as far as login history and audit need to know."""

    ip: str = ""
    user_agent: str = ""

    @property
    def device_label(self) -> str:
        return device_label(self.user_agent[:512])


@lru_cache(maxsize=1024)
def device_label(user_agent: str) -> str:
    """'Firefox 128 on Ubuntu', 'Relief app on iOS 17': what a person recognises as a device."""
    if not user_agent:
        return "Unknown device"
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else "Other"
    if result.user_agent and result.user_agent.major and browser != "Other":
        browser = f"{browser} {result.user_agent.major}"
    system = result.os.family if result.os else ""
    if browser.startswith("Other"):
        # Not a browser the parser knows (an app, a script): its product token names it.
        browser = user_agent.split("/", 1)[0].strip()[:40] or "Unknown browser"
    if system and system != "Other":
        return f"{browser} on {system}"[:120]
    return browser[:120]


async def remember(user: User, label: str, days: int) -> str:
    token = new_token()
    await RememberedDevice.create(
        user=user,
        token_hash=token_hash(token),
        device_label=label,
        expires_at=now() + timedelta(days=days),
    )
    return token


async def is_remembered(user: User, token: str | None) -> bool:
    if not token or len(token) > 200:
        return False
    moment = now()
    updated = await RememberedDevice.filter(
        user=user, token_hash=token_hash(token), revoked_at=None, expires_at__gt=moment
    ).update(last_used_at=moment)
    return updated == 1


async def forget(user: User, device_id: int) -> bool:
    updated = await RememberedDevice.filter(id=device_id, user=user, revoked_at=None).update(
        revoked_at=now()
    )
    return updated == 1


async def forget_all(user: User) -> None:
    await RememberedDevice.filter(user=user, revoked_at=None).update(revoked_at=now())
