"""One AccessScope per request: every read of a record asks it first.

Deny by default: a scope answers "no" unless a rule below says "yes". Records a scope cannot
read do not exist for its viewer (services and loaders answer not-found, never forbidden), so
ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from api.errors import Forbidden, Unauthenticated
from api.models.accounts import Role


class SignInState(StrEnum):
    ANONYMOUS = "ANONYMOUS"
    # Password accepted; the session may do nothing but verify the second factor (or sign out).
    SECOND_FACTOR_REQUIRED = "SECOND_FACTOR_REQUIRED"
    # Signed in, but the address is unverified: nothing but verify, resend, or sign out.
    EMAIL_UNVERIFIED = "EMAIL_UNVERIFIED"
    SIGNED_IN = "SIGNED_IN"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person behind a request; ``user_id`` is None when nobody is signed in."""

    user_id: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    session_id: int | None = None
    state: SignInState = SignInState.SIGNED_IN

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None and self.state is SignInState.SIGNED_IN

    @property
    def sign_in_state(self) -> SignInState:
        return SignInState.ANONYMOUS if self.user_id is None else self.state

    def has_role(self, role: Role) -> bool:
        return role in self.roles


ANONYMOUS = Viewer()


@dataclass(frozen=True, slots=True)
class AccessScope:
    viewer: Viewer

    @property
    def is_admin(self) -> bool:
        return self.viewer.is_authenticated and self.viewer.has_role(Role.ADMIN)

    def require_authenticated(self) -> int:
        """The viewer's user id, once fully signed in (second factor passed, email verified)."""
        user_id = self.viewer.user_id
        if user_id is None:
            raise Unauthenticated()
        if self.viewer.state is SignInState.SECOND_FACTOR_REQUIRED:
            raise Unauthenticated(
                "Enter the code from your authenticator app to finish signing in."
            )
        if self.viewer.state is SignInState.EMAIL_UNVERIFIED:
            raise Forbidden("Please verify your email address first: use the link we sent you.")
        return user_id

    def require_session(self, *allowed: SignInState) -> tuple[int, int]:
        """(user id, session id) of a session in one of the given states (or fully signed in)."""
        if self.viewer.user_id is None or self.viewer.session_id is None:
            raise Unauthenticated()
        if self.viewer.state is not SignInState.SIGNED_IN and self.viewer.state not in allowed:
            self.require_authenticated()
        return self.viewer.user_id, self.viewer.session_id

    def require_role(self, role: Role) -> None:
        self.require_authenticated()
        if not self.viewer.has_role(role):
            raise Forbidden()

    def can_read_user(self, user_id: int) -> bool:
        """An account is readable by its owner and by admins (support staff)."""
        if not self.viewer.is_authenticated:
            return False
        return self.viewer.user_id == user_id or self.is_admin


ANONYMOUS_SCOPE = AccessScope(ANONYMOUS)
