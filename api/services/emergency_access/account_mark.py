"""`User.emergency_access_until`: the latest expiry of the user's open accesses.

A request reads a user's accesses only while the mark lies ahead (api/access/relations.py), so
the mark may be late (a wasted statement) but never early (an open access that does not
open). Opening and closing both lock the user's row before they read or write any access of
theirs, so two changes to one user's accesses run one after the other; closing sets the mark
to the latest expiry still open (none: no mark).
"""

from __future__ import annotations

from datetime import datetime

from api.errors import NotFound
from api.models.accounts import User
from api.models.emergency_access import EmergencyAccess


async def lock_account(user_id: int) -> User:
    """The user's row, locked until the transaction ends."""
    # A model query: `.values()` would drop the FOR UPDATE.
    user = await User.filter(id=user_id).select_for_update().first()
    if user is None:
        raise NotFound("No such account.")
    return user


async def extend_mark(user: User, expires_at: datetime) -> None:
    """After opening an access that runs until `expires_at` (`user` as locked)."""
    mark = user.emergency_access_until
    if mark is None or mark < expires_at:
        await User.filter(id=user.id).update(emergency_access_until=expires_at)


async def reset_mark(user_id: int, at: datetime) -> None:
    """After closing one (the row is locked): the latest expiry of those still open."""
    latest = (
        await EmergencyAccess.filter(user_id=user_id, closed_at=None, expires_at__gt=at)
        .order_by("-expires_at")
        .first()
        .values("expires_at")
    )
    await User.filter(id=user_id).update(
        emergency_access_until=latest["expires_at"] if latest is not None else None
    )
