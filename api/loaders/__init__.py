"""DataLoaders, one fresh set per request, named <Target>By<Key>Loader."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.loaders.accounts import RolesByUserIdLoader, UserByIdLoader


@dataclass(slots=True)
class Loaders:
    user_by_id: UserByIdLoader = field(default_factory=UserByIdLoader)
    roles_by_user_id: RolesByUserIdLoader = field(default_factory=RolesByUserIdLoader)
