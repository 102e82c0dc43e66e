"""What an account's owner can review: login history, live sessions, remembered devices."""

from __future__ import annotations

from collections.abc import Sequence

from api.models.accounts import LoginAttempt, RememberedDevice, Session
from api.services.accounts import sessions
from api.services.accounts.tokens import now
from api.services.pagination import Page, paginate
from api.settings import Settings


async def login_history(
    user_id: int, *, first: int | None, after: str | None, max_page_size: int
) -> Page[LoginAttempt]:
    return await paginate(
        LoginAttempt.filter(user_id=user_id),
        first=first,
        after=after,
        max_page_size=max_page_size,
        descending=True,
    )


async def attempts_by_ids(user_id: int, ids: Sequence[int]) -> dict[int, LoginAttempt]:
    rows = await LoginAttempt.filter(user_id=user_id, id__in=list(ids))
    return {row.id: row for row in rows}


async def live_sessions(settings: Settings, user_id: int) -> list[Session]:
    return await sessions.active(settings, user_id)


async def remembered_devices(user_id: int) -> list[RememberedDevice]:
    devices: list[RememberedDevice] = await RememberedDevice.filter(
        user_id=user_id, revoked_at=None, expires_at__gt=now()
    ).order_by("-created_at")
    return devices
