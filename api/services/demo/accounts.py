"""Demo accounts: one per role, all verified, all with the same easy-to-type password."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from api.models.accounts import Role, User
from api.services import accounts

# Shared by every demo account so the sign-ins are easy to type; strong enough for the policy.
DEMO_PASSWORD = "lupine harbour ferry 42"  # noqa: S105 (printed by seed-demo; never in production)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[Role, ...]


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@demo.relief.test", "Morgan Reyes (clinic admin)", (Role.ADMIN,)),
    DemoAccount("dr.okafor@demo.relief.test", "Dr. Amara Okafor, DPT", (Role.THERAPIST,)),
    DemoAccount("j.lindqvist@demo.relief.test", "Johan Lindqvist, OTR/L", (Role.THERAPIST,)),
    DemoAccount("s.patel@demo.relief.test", "Sunita Patel, MS, CCC-SLP", (Role.THERAPIST,)),
    DemoAccount("maria.gonzalez@demo.relief.test", "Maria Gonzalez", (Role.PATIENT,)),
    DemoAccount("liam.chen@demo.relief.test", "Liam Chen", (Role.PATIENT,)),
    DemoAccount("grace.chen@demo.relief.test", "Grace Chen", (Role.CAREGIVER,)),
    DemoAccount("analyst@demo.relief.test", "Priya Nair (analyst)", (Role.ANALYST,)),
)


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    clinic: list[str] = field(default_factory=list)  # what the clinical part added

    def summary(self) -> str:
        lines = [
            f"demo data: {len(self.created)} account(s) created, "
            f"{len(self.existing)} already there",
            f"demo sign-ins (password for all: {DEMO_PASSWORD}):",
        ]
        lines += [
            f"  {account.email:<36} {', '.join(role.value for role in account.roles)}"
            for account in DEMO_ACCOUNTS
        ]
        lines += self.clinic
        return "\n".join(lines)


async def seed_accounts() -> SeedResult:
    result = SeedResult()
    for account in DEMO_ACCOUNTS:
        if await User.filter(email=account.email).exists():
            result.existing.append(account.email)
            continue
        user = await accounts.create_user(
            email=account.email,
            password=DEMO_PASSWORD,
            roles=account.roles,
            display_name=account.name,
        )
        # Demo addresses cannot receive mail: they are verified from the start.
        user.email_verified_at = datetime.now(UTC)
        await user.save(update_fields=["email_verified_at"])
        result.created.append(account.email)
    return result
