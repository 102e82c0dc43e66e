"""Reading emergency accesses: by id (their clinician, or any for an admin), the viewer's own
open ones, and every one for the admins who review them, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from api.access.scope import AccessScope
from api.models.accounts import Role
from api.models.emergency_access import EmergencyAccess
from api.services.emergency_access.views import COLUMNS, AccessView, now
from api.services.pagination import Page, decode_cursor, encode_cursor, page_size


async def readable(scope: AccessScope, access_ids: Sequence[int]) -> dict[int, AccessView]:
    """The accesses among `access_ids` this viewer may see: their own, or any for an admin."""
    if not scope.viewer.is_authenticated or not access_ids:
        return {}
    rows = EmergencyAccess.filter(id__in=list(access_ids))
    if not scope.is_admin:
        rows = rows.filter(user_id=scope.viewer.user_id)
    return {int(row["id"]): AccessView.from_row(row) for row in await rows.values(*COLUMNS)}


async def open_for_viewer(scope: AccessScope) -> list[AccessView]:
    """The viewer's own open accesses, newest first (none for anyone who cannot open one)."""
    user_id = scope.require_authenticated()
    if scope.viewer.emergency_access_until is None:
        return []  # never opened one: no statement
    rows = (
        await EmergencyAccess.filter(user_id=user_id, closed_at=None, expires_at__gt=now())
        .order_by("-id")
        .values(*COLUMNS)
    )
    return [AccessView.from_row(row) for row in rows]


async def review_page(
    scope: AccessScope,
    *,
    first: int | None,
    after: str | None,
    open_only: bool,
    max_page_size: int,
) -> Page[AccessView]:
    """Every emergency access, newest first, for the admins who review them."""
    scope.require_role(Role.ADMIN)
    size = page_size(first, max_page_size)
    rows = EmergencyAccess.all()
    if open_only:
        rows = rows.filter(closed_at=None, expires_at__gt=now())
    if after is not None:
        rows = rows.filter(id__lt=decode_cursor(after))
    found = [
        AccessView.from_row(row)
        for row in await rows.order_by("-id").limit(size + 1).values(*COLUMNS)
    ]
    has_next = len(found) > size
    found = found[:size]
    return Page(
        rows=found,
        cursors=[encode_cursor(view.id) for view in found],
        has_next_page=has_next,
        has_previous_page=after is not None,
    )
