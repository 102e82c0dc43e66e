"""The per-request Context: settings, the viewer's access scope, fresh loaders, request id.

The access scope is built lazily, once, on first use: a request that validation rejects (too
deep, too many aliases) then runs no SQL at all, not even the session lookup.

A WebSocket's context lives as long as the connection (hours), and every subscription event
is resolved with it. Read once, its scope would keep a therapist removed from a care team
reading that patient's events, so on a socket the scope is re-read once older than
`scope_max_age` seconds (api/http/websocket.py sets it); the loaders are dropped with it, and
a subscription's `load` starts from `fresh_loaders()` so it never judges a cached row.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.access.rate_limits import RateLimits
from api.access.record_access import RecordAccessLog
from api.access.scope import ANONYMOUS_SCOPE, AccessScope
from api.http import cookies
from api.loaders import Loaders
from api.services.accounts.devices import ClientInfo
from api.settings import Settings

ScopeResolver = Callable[[], Awaitable[AccessScope]]


async def _anonymous() -> AccessScope:
    return ANONYMOUS_SCOPE


@dataclass(slots=True)
class Context:
    settings: Settings
    request_id: str
    rate_limits: RateLimits
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    resolve_scope: ScopeResolver = _anonymous
    loaders: Loaders = field(default_factory=Loaders)
    # Patient records resolved by this request, written to the audit once it has run.
    record_access: RecordAccessLog = field(default_factory=RecordAccessLog)
    # Set by strawberry from a WebSocket's connection_init payload.
    connection_params: dict[str, object] | None = None
    # None: the scope is read once for the request. A long-lived (WebSocket) context re-reads it.
    scope_max_age: float | None = None
    _scope: AccessScope | None = None
    _scope_read_at: float = 0.0
    _scope_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _scope_generation: int = 0  # bumped by forget_scope: a read that started before is dropped

    def _scope_outdated(self) -> bool:
        if self._scope is None:
            return True
        age = time.monotonic() - self._scope_read_at
        return self.scope_max_age is not None and age >= self.scope_max_age

    async def scope(self) -> AccessScope:
        if self._scope_outdated():
            async with self._scope_lock:
                if self._scope_outdated():
                    renewing = self._scope is not None
                    while True:
                        generation = self._scope_generation
                        scope = await self.resolve_scope()
                        if generation == self._scope_generation:
                            break  # else forgotten while read (a grant changed): read again
                    self._scope = scope
                    self._scope_read_at = time.monotonic()
                    if renewing:  # rows cached under the old scope were read hours ago
                        self.loaders = Loaders()
        assert self._scope is not None
        return self._scope

    def current_scope(self) -> AccessScope | None:
        """The scope already read for this request (None before the first `scope()`): for
        checks that run after a record was produced and must not wait (field guards)."""
        return self._scope

    def fresh_loaders(self) -> Loaders:
        """New, empty loaders: what a subscription event is resolved with (no stale rows)."""
        self.loaders = Loaders()
        return self.loaders

    def forget_scope(self) -> None:
        """After sign-in or sign-out within this request, the next read resolves afresh."""
        self._scope = None
        self._scope_generation += 1

    @property
    def client(self) -> ClientInfo:
        if self.request is None:
            return ClientInfo()
        host = self.request.client.host if self.request.client else ""
        return ClientInfo(ip=host, user_agent=self.request.headers.get("user-agent", ""))

    def read_cookie(self, name: str) -> str | None:
        if self.request is None:
            return None
        return cookies.read_cookie(self.settings, self.request, name)

    def set_cookie(self, name: str, value: str, max_age_seconds: int | None) -> None:
        if isinstance(self.response, Response):
            cookies.set_cookie(self.settings, self.response, name, value, max_age_seconds)

    def clear_cookie(self, name: str) -> None:
        if isinstance(self.response, Response):
            cookies.clear_cookie(self.settings, self.response, name)


Info = StrawberryInfo[Context, Any]
