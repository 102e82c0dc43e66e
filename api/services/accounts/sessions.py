"""Server-side sessions: opaque tokens, idle and absolute expiry, revocation.

The token is shown to the client once (cookie or bearer) and stored as SHA-256. A session
resolves only while: not revoked, younger than the absolute limit, used within the idle
limit, and its user is active. `last_seen_at` is written at most once a minute per session,
so an active SPA does not turn every read into a write.

Every revocation publishes `session_ended` after its commit: a WebSocket signed in with that
session closes at once (api/http/websocket.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from api.access import relations
from api.access.scope import AccessScope, SignInState, Viewer
from api.models.accounts import ClientKind, Session, User, UserRole
from api.realtime import topics
from api.realtime.events import publish_after_commit
from api.services.accounts.devices import ClientInfo
from api.services.accounts.tokens import new_token, now, token_hash
from api.settings import Settings

TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class IssuedSession:
    session: Session
    token: str


async def start(
    settings: Settings,
    user: User,
    client: ClientKind,
    info: ClientInfo,
    *,
    needs_second_factor: bool,
) -> IssuedSession:
    moment = now()
    token = new_token()
    session = await Session.create(
        user=user,
        token_hash=token_hash(token),
        client=client,
        last_seen_at=moment,
        expires_at=moment + timedelta(hours=settings.session_absolute_hours),
        needs_second_factor=needs_second_factor,
        second_factor_at=None if needs_second_factor else moment,
        ip=info.ip[:45],
        user_agent=info.user_agent[:512],
        device_label=info.device_label,
    )
    return IssuedSession(session=session, token=token)


async def rotate(session: Session) -> str:
    """A new token for the same session (after the second factor: no fixation)."""
    token = new_token()
    session.token_hash = token_hash(token)
    await session.save(update_fields=["token_hash"])
    return token


def state_of(session: Session, user: User) -> SignInState:
    if session.needs_second_factor and session.second_factor_at is None:
        return SignInState.SECOND_FACTOR_REQUIRED
    if user.email_verified_at is None:
        return SignInState.EMAIL_UNVERIFIED
    return SignInState.SIGNED_IN


async def resolve(
    settings: Settings, token: str | None, acting_for: int | None = None
) -> AccessScope | None:
    """The scope of a live session for this token, or None (unknown, ended, or expired).

    `acting_for` is the patient a caregiver asks to act for in this request."""
    if not token or len(token) > 200:
        return None
    session = (
        await Session.filter(token_hash=token_hash(token), revoked_at=None)
        .select_related("user")
        .first()
    )
    if session is None or not await _still_valid(settings, session):
        return None
    moment = now()
    if moment - session.last_seen_at >= TOUCH_EVERY:
        await Session.filter(id=session.id).update(last_seen_at=moment)
    return await _scope_of(settings, session, acting_for)


async def resolve_by_id(
    settings: Settings, session_id: int, acting_for: int | None = None
) -> AccessScope | None:
    """Like `resolve`, for a session already identified (an open WebSocket), and without
    counting as activity: an idle tab holding a socket open must still expire."""
    session = await Session.filter(id=session_id, revoked_at=None).select_related("user").first()
    if session is None or not await _still_valid(settings, session):
        return None
    return await _scope_of(settings, session, acting_for)


async def is_live(settings: Settings, session_id: int) -> bool:
    """Whether the session still resolves (one statement), without counting as activity."""
    session = await Session.filter(id=session_id, revoked_at=None).select_related("user").first()
    return session is not None and await _still_valid(settings, session)


async def _still_valid(settings: Settings, session: Session) -> bool:
    """False (and the session ended) past its idle or absolute limit, or its user deactivated."""
    moment = now()
    idle_limit = timedelta(minutes=settings.session_idle_minutes)
    user: User = session.user
    if session.expires_at <= moment or session.last_seen_at + idle_limit <= moment:
        await end(session, "EXPIRED")
        return False
    if not user.is_active:
        await end(session, "DEACTIVATED")
        return False
    return True


async def _scope_of(settings: Settings, session: Session, acting_for: int | None) -> AccessScope:
    user: User = session.user
    roles = frozenset(row.role for row in await UserRole.filter(user_id=user.id))
    viewer = Viewer(
        user_id=user.id,
        roles=roles,
        session_id=session.id,
        state=state_of(session, user),
        acting_for=acting_for,
        emergency_access_until=user.emergency_access_until,
    )
    return await relations.scope_for(viewer, settings)


async def _announce_ended(session_ids: list[int]) -> None:
    for session_id in session_ids:
        await publish_after_commit(topics.session_ended(session_id), {})


async def end(session: Session, reason: str) -> None:
    ended = await Session.filter(id=session.id, revoked_at=None).update(
        revoked_at=now(), revoked_reason=reason
    )
    if ended:
        await _announce_ended([session.id])


async def end_by_id(user_id: int, session_id: int, reason: str) -> bool:
    ended = await Session.filter(id=session_id, user_id=user_id, revoked_at=None).update(
        revoked_at=now(), revoked_reason=reason
    )
    if ended:
        await _announce_ended([session_id])
    return ended == 1


async def end_all(user_id: int, reason: str, *, except_session_id: int | None = None) -> int:
    query = Session.filter(user_id=user_id, revoked_at=None)
    if except_session_id is not None:
        query = query.exclude(id=except_session_id)
    moment = now()
    ended: int = await query.update(revoked_at=moment, revoked_reason=reason)
    if ended:
        # One UPDATE revokes them all (no session slips in between a read and the write);
        # its exact timestamp then names the sessions it revoked.
        rows = await Session.filter(user_id=user_id, revoked_at=moment).values("id")
        await _announce_ended([int(row["id"]) for row in rows])
    return ended


async def active(settings: Settings, user_id: int) -> list[Session]:
    moment = now()
    idle_cutoff = moment - timedelta(minutes=settings.session_idle_minutes)
    sessions: list[Session] = await Session.filter(
        user_id=user_id, revoked_at=None, expires_at__gt=moment, last_seen_at__gt=idle_cutoff
    ).order_by("-last_seen_at")
    return sessions
