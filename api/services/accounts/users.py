"""Accounts: creating users with their roles, and reading them through the access scope."""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.exceptions import IntegrityError

from api.access.scope import AccessScope
from api.errors import BadUserInput
from api.models.accounts import Role, User, UserRole
from api.realtime.events import transaction
from api.services import passwords
from api.services.pagination import Page, paginate


class EmailTaken(BadUserInput):
    default_message = "An account with this email already exists."


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if not at or not local or "." not in domain or len(cleaned) > 254 or " " in cleaned:
        raise BadUserInput("Enter a valid email address.", field="email")
    return cleaned


async def create_user(
    *, email: str, password: str, roles: Iterable[Role], display_name: str = ""
) -> User:
    address = normalise_email(email)
    verdict = await passwords.check_password_off_loop(password, user_inputs=[address, display_name])
    if not verdict.acceptable:
        raise BadUserInput(verdict.problem, field="password")
    wanted = sorted(set(roles))
    if not wanted:
        raise BadUserInput("Give the account at least one role.", field="role")
    try:
        async with transaction():
            user = await User.create(
                email=address,
                password_hash=await passwords.hash_password_off_loop(password),
                display_name=display_name.strip(),
            )
            await UserRole.bulk_create([UserRole(user=user, role=role) for role in wanted])
    except IntegrityError:
        raise EmailTaken(field="email") from None
    return user


async def list_users(
    scope: AccessScope, *, first: int | None, after: str | None, max_page_size: int
) -> Page[User]:
    """All accounts, for admins only (support staff)."""
    scope.require_role(Role.ADMIN)
    return await paginate(User.all(), first=first, after=after, max_page_size=max_page_size)
