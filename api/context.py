"""The per-request Context: settings, the viewer's access scope, fresh loaders, request id.

The access scope is built lazily, once, on first use: a request that validation rejects (too
deep, too many aliases) then runs no SQL at all, not even the session lookup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.access.scope import ANONYMOUS_SCOPE, AccessScope
from api.loaders import Loaders
from api.settings import Settings

ScopeResolver = Callable[[], Awaitable[AccessScope]]


async def _anonymous() -> AccessScope:
    return ANONYMOUS_SCOPE


@dataclass(slots=True)
class Context:
    settings: Settings
    request_id: str
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    resolve_scope: ScopeResolver = _anonymous
    loaders: Loaders = field(default_factory=Loaders)
    _scope: AccessScope | None = None
    _scope_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def scope(self) -> AccessScope:
        if self._scope is None:
            async with self._scope_lock:
                if self._scope is None:
                    self._scope = await self.resolve_scope()
        return self._scope


Info = StrawberryInfo[Context, Any]
