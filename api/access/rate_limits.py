"""Request budgets per client IP (and per account where a rule says so).

Counters live in process memory by default and in Redis when PORTAL_REDIS_URL is set, so
several workers share one budget. Moving windows: a burst cannot straddle two windows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from api.errors import RateLimited
from api.settings import Settings


class Budget(StrEnum):
    SIGN_IN = "sign-in"
    SECOND_FACTOR = "second-factor"
    REGISTRATION = "registration"
    MAIL_REQUEST = "mail-request"
    PASSWORD_METER = "password-meter"  # noqa: S105 (a budget name)
    RESET_PER_ACCOUNT = "reset-per-account"
    EMERGENCY_LOOKUP = "emergency-lookup"


@dataclass(frozen=True)
class RateLimits:
    limiter: MovingWindowRateLimiter
    items: dict[Budget, RateLimitItem]

    async def try_spend(self, budget: Budget, key: str) -> bool:
        """Counts one request; False once the budget is spent (for limits the caller keeps
        silent about, like the per-account cap on reset links)."""
        return await self.limiter.hit(self.items[budget], budget.value, key)

    async def spend(self, budget: Budget, key: str) -> None:
        """Counts one request against the budget; raises RateLimited once it is spent."""
        item = self.items[budget]
        if not await self.limiter.hit(item, budget.value, key):
            stats = await self.limiter.get_window_stats(item, budget.value, key)
            retry_after = max(1, int(stats.reset_time - _now()))
            raise RateLimited(retry_after_seconds=retry_after)


def _now() -> float:
    return time.time()


def build_rate_limits(settings: Settings) -> RateLimits:
    storage: Storage
    if settings.redis_url:
        uri = "async+" + settings.redis_url.removeprefix("async+")
        storage = RedisStorage(uri, implementation="redispy", key_prefix="relief-limits")
    else:
        storage = MemoryStorage()
    items = {
        Budget.SIGN_IN: parse(settings.sign_in_rate_limit),
        # Per pending session: six-digit codes must not be guessable by volume. Each wrong
        # code also counts towards the account's lockout.
        Budget.SECOND_FACTOR: parse("5/10 minutes"),
        Budget.REGISTRATION: parse(settings.registration_rate_limit),
        Budget.MAIL_REQUEST: parse(settings.mail_request_rate_limit),
        # The strength meter asks as the person types: generous, but not a free CPU.
        Budget.PASSWORD_METER: parse("300/10 minutes"),
        # Five reset links an hour per account (an atomic counter, shared through Redis).
        Budget.RESET_PER_ACCOUNT: parse("5/hour"),
        # Per clinician: finding a patient for emergency access by family name and date of
        # birth. Enough for an emergency with a typo or two, too few to try names in bulk.
        Budget.EMERGENCY_LOOKUP: parse("20/hour"),
    }
    return RateLimits(limiter=MovingWindowRateLimiter(storage), items=items)
