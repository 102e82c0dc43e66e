"""Creating accounts (the staff path of `portal create-user`) and the demo seed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from api.errors import BadUserInput
from api.models.accounts import Role, User, UserRole
from api.services import accounts, demo, passwords
from api.settings import Settings

PASSWORD = "a fine long password"


async def test_create_user_normalises_email_and_hashes_with_argon2id(database: None) -> None:
    user = await accounts.create_user(
        email="  Dr.Okafor@Clinic.Example ", password=PASSWORD, roles=[Role.THERAPIST, Role.ADMIN]
    )
    assert user.email == "dr.okafor@clinic.example"
    assert user.password_hash.startswith("$argon2id$")
    assert passwords.verify_password(user.password_hash, PASSWORD)
    assert not passwords.verify_password(user.password_hash, PASSWORD + "!")
    roles = sorted(row.role for row in await UserRole.filter(user=user))
    assert roles == [Role.ADMIN, Role.THERAPIST]


async def test_the_database_refuses_a_second_account_for_one_email(database: None) -> None:
    await accounts.create_user(email="a@example.org", password=PASSWORD, roles=[Role.PATIENT])
    with pytest.raises(accounts.EmailTaken):
        await accounts.create_user(email="A@example.org", password=PASSWORD, roles=[Role.PATIENT])
    assert await User.filter(email="a@example.org").count() == 1


@pytest.mark.parametrize(
    ("email", "password", "roles", "field"),
    [
        ("not-an-email", PASSWORD, [Role.PATIENT], "email"),
        ("a@example.org", "short", [Role.PATIENT], "password"),
        ("a@example.org", "x" * 129, [Role.PATIENT], "password"),
        ("a@example.org", PASSWORD, [], "role"),
    ],
)
async def test_invalid_accounts_are_refused_with_the_field(
    database: None, email: str, password: str, roles: list[Role], field: str
) -> None:
    with pytest.raises(BadUserInput) as refused:
        await accounts.create_user(email=email, password=password, roles=roles)
    assert refused.value.field == field
    assert await User.all().count() == 0


def test_passwords_are_never_truncated_and_any_unicode_works() -> None:
    long_password = "ü" * 100 + "end"
    hashed = passwords.hash_password(long_password)
    assert passwords.verify_password(hashed, long_password)
    assert not passwords.verify_password(hashed, "ü" * 100 + "enD")
    composed, decomposed = "caf\u00e9 au lait ok", "cafe\u0301 au lait ok"
    assert passwords.verify_password(passwords.hash_password(composed), decomposed)


async def test_seed_demo_is_idempotent(database: None) -> None:
    first = await demo.seed()
    second = await demo.seed()
    assert len(first.created) == len(demo.DEMO_ACCOUNTS)
    assert second.created == []
    assert await User.all().count() == len(demo.DEMO_ACCOUNTS)
    roles = {row.role for row in await UserRole.all()}
    assert roles == set(Role)
    assert demo.DEMO_PASSWORD in second.summary()


def test_create_user_command(settings: Settings, database: None) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env.update({"PORTAL_DATABASE_URL": settings.database_url, "PORTAL_NEW_USER_PASSWORD": PASSWORD})
    command = [sys.executable, "-m", "api", "create-user", "--email", "ot@clinic.example"]
    made = subprocess.run(
        [*command, "--role", "THERAPIST", "--role", "CAREGIVER"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert "CAREGIVER, THERAPIST" in made.stdout
    again = subprocess.run(
        [*command, "--role", "THERAPIST"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert again.returncode == 2
    assert again.stderr.strip() == "portal: An account with this email already exists."
