"""One AccessScope per request: every read of a record asks it first.

Deny by default: a scope answers "no" unless a rule below says "yes". Records a scope cannot
read do not exist for its viewer (services and loaders answer not-found, never forbidden), so
ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.errors import Forbidden, Unauthenticated
from api.models.accounts import Role


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person behind a request; ``user_id`` is None when nobody is signed in."""

    user_id: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, role: Role) -> bool:
        return role in self.roles


ANONYMOUS = Viewer()


@dataclass(frozen=True, slots=True)
class AccessScope:
    viewer: Viewer

    @property
    def is_admin(self) -> bool:
        return self.viewer.has_role(Role.ADMIN)

    def require_authenticated(self) -> int:
        if self.viewer.user_id is None:
            raise Unauthenticated()
        return self.viewer.user_id

    def require_role(self, role: Role) -> None:
        self.require_authenticated()
        if not self.viewer.has_role(role):
            raise Forbidden()

    def can_read_user(self, user_id: int) -> bool:
        """An account is readable by its owner and by admins (support staff)."""
        return self.viewer.user_id == user_id or self.is_admin


ANONYMOUS_SCOPE = AccessScope(ANONYMOUS)
