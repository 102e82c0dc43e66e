"""Batch loads of accounts: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from aiodataloader import DataLoader

from api.models.accounts import Role, User, UserRole


class UserByIdLoader(DataLoader[int, User | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[User | None]:
        rows = {user.id: user for user in await User.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class RolesByUserIdLoader(DataLoader[int, list[Role]]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Role]]:
        by_user: dict[int, list[Role]] = defaultdict(list)
        rows = (
            await UserRole.filter(user_id__in=list(keys))
            .order_by("role")
            .values_list("user_id", "role")
        )
        for user_id, role in rows:
            by_user[user_id].append(Role(role))
        return [by_user.get(key, []) for key in keys]
