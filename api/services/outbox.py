"""Reading the mail outbox: admins in the API, anyone in development at /dev/outbox."""

from __future__ import annotations

from collections.abc import Sequence

from api.access.scope import AccessScope
from api.models.accounts import Role
from api.models.outbox import OutboxMail
from api.services.pagination import Page, paginate


async def list_mail(
    scope: AccessScope,
    *,
    unsent_only: bool,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[OutboxMail]:
    scope.require_role(Role.ADMIN)
    query = OutboxMail.filter(sent_at=None) if unsent_only else OutboxMail.all()
    return await paginate(
        query, first=first, after=after, max_page_size=max_page_size, descending=True
    )


async def by_ids(ids: Sequence[int]) -> dict[int, OutboxMail]:
    return {row.id: row for row in await OutboxMail.filter(id__in=list(ids))}


async def newest(limit: int) -> list[OutboxMail]:
    rows: list[OutboxMail] = await OutboxMail.all().order_by("-id").limit(limit)
    return rows
