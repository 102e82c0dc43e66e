"""Who may hold a WebSocket open, and for how long.

A socket is accepted only at `connection_init` with a fully signed-in session (the upgrade
request's cookie or Authorization header, or `authorization: "Bearer <token>"` in the
payload); otherwise it closes with 4403 and is never acknowledged.

It stays open only while that session does: each connection keeps one watcher task that
listens for the session's `session_ended` event (published after every revocation: sign-out,
sign-out everywhere, password change or reset, deactivation) and re-checks the session every
`websocket_session_check_seconds` (idle and absolute expiry), without counting the check as
activity. Either way the socket closes with 4403. The watcher ends with the connection.

The connection's context re-reads its access scope after `websocket_scope_max_age_seconds`
(see api/context.py), from the session id and again without touching the session.

A socket that acts for a patient (a caregiver's `actingFor` in connection_init) also listens
for the caregiver's `caregiver_access` events: when the grant for that patient ends (revoked)
the socket closes with 4403 like an ended session; when it merely changed (scopes, expiry) the
context forgets its scope, so the next event is judged by the grant as it is now.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial

from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from api.access.relations import live_grant
from api.access.scope import ANONYMOUS_SCOPE, AccessScope
from api.context import Context
from api.observability import get_logger
from api.realtime import topics
from api.realtime.broker import get_broker
from api.services.accounts import sessions
from api.settings import Settings

log = get_logger(__name__)

FORBIDDEN = 4403  # graphql-transport-ws: the server refuses this client


async def authenticate(context: Context) -> None:
    """The `on_ws_connect` hook: refuses a connection_init without a signed-in session."""
    scope = await context.scope()
    if not scope.viewer.is_authenticated:
        raise ConnectionRejectionError()
    context.scope_max_age = context.settings.websocket_scope_max_age_seconds
    session_id = scope.viewer.session_id
    if session_id is not None:
        # From now on by id: the token is not read again, and reading is not activity.
        context.resolve_scope = partial(
            _scope_by_session_id, context.settings, session_id, scope.viewer.acting_for
        )


async def _scope_by_session_id(
    settings: Settings, session_id: int, acting_for: int | None
) -> AccessScope:
    # An ended session sees nothing; its watcher is closing the socket meanwhile.
    return await sessions.resolve_by_id(settings, session_id, acting_for) or ANONYMOUS_SCOPE


@dataclass(frozen=True, slots=True)
class CaregivingWatch:
    """A socket acting for `patient_id` through `user_id`'s grant."""

    user_id: int
    patient_id: int
    held_at_start: bool  # the scope read at connection_init had the grant
    changed: Callable[[], None]  # the grant changed: re-read the scope before the next event


async def watch_session(
    settings: Settings, session_id: int, caregiving: CaregivingWatch | None = None
) -> None:
    """Returns once the session has ended: revoked (event) or expired (periodic check), or
    once the grant a caregiver's socket acts through has ended (event)."""
    listened = [topics.session_ended(session_id)]
    if caregiving is not None:
        listened.append(topics.caregiver_access(caregiving.user_id))
    async with get_broker().subscribe(*listened) as events:
        # Listening first, then checking: a revocation between the sign-in check at
        # connection_init and this subscription is seen here.
        if not await sessions.is_live(settings, session_id):
            return
        if caregiving is not None and not await _still_held(settings, caregiving):
            return
        while True:
            try:
                event = await asyncio.wait_for(
                    events.queue.get(), timeout=settings.websocket_session_check_seconds
                )
            except TimeoutError:
                if not await sessions.is_live(settings, session_id):
                    return
                continue
            if event.topic == listened[0] or caregiving is None:
                return
            if event.message.get("patient_id") != caregiving.patient_id:
                continue  # another patient this caregiver helps
            if event.message.get("ended") is True:
                return
            caregiving.changed()


async def _still_held(settings: Settings, caregiving: CaregivingWatch) -> bool:
    """A grant held at connection_init and ended before the watcher listened is seen here."""
    if not caregiving.held_at_start:
        return True
    return await live_grant(caregiving.user_id, caregiving.patient_id, settings) is not None


class SessionBoundHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, closed with 4403 when the connection's session ends."""

    _watcher: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        if not self.connection_acknowledged or self._watcher is not None:
            return
        scope = await self.context.scope()
        session_id = scope.viewer.session_id
        if session_id is not None:
            self._watcher = asyncio.create_task(
                self._close_when_ended(session_id, self._caregiving(scope)),
                name=f"ws-session-{session_id}",
            )

    def _caregiving(self, scope: AccessScope) -> CaregivingWatch | None:
        acting_for = scope.viewer.acting_for
        user_id = scope.viewer.user_id
        if acting_for is None or user_id is None or acting_for == scope.patient_id:
            return None
        return CaregivingWatch(
            user_id=user_id,
            patient_id=acting_for,
            held_at_start=scope.grant_for(acting_for) is not None,
            changed=self.context.forget_scope,
        )

    async def _close_when_ended(self, session_id: int, caregiving: CaregivingWatch | None) -> None:
        try:
            await watch_session(self.context.settings, session_id, caregiving)
        except Exception as error:  # the check failed (database away): fail closed
            log.warning("websocket.session_check_failed", error=type(error).__name__)
        log.info("websocket.session_ended", session_id=session_id)
        running = [operation.task for operation in self.operations.values() if operation.task]
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        for task in running:  # nothing may be sent after the close
            with suppress(Exception, asyncio.CancelledError):
                await task
        with suppress(Exception):  # the client may have gone already
            await self.websocket.close(code=FORBIDDEN, reason="Forbidden")

    async def shutdown(self) -> None:
        watcher = self._watcher
        if watcher is not None and watcher is not asyncio.current_task():
            watcher.cancel()
            with suppress(asyncio.CancelledError):
                await watcher
        await super().shutdown()
