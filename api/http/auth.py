"""Who is asking: the session behind a request's cookie (SPA) or bearer token (mobile).

A request that carries the session cookie must also carry the X-Relief-CSRF header and,
when the browser names an Origin, come from PORTAL_PUBLIC_URL: that is the CSRF defence
(SameSite=Lax and JSON-only bodies already stop plain cross-site forms).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection, Request
from starlette.websockets import WebSocket
from strawberry import relay

from api.access.scope import ANONYMOUS_SCOPE, AccessScope
from api.http.cookies import CSRF_HEADER, SESSION_COOKIE, bearer_token, read_cookie
from api.http.graphql import ScopeForRequest
from api.services.accounts import sessions
from api.services.ids import parse_id
from api.settings import Settings


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def csrf_problem(settings: Settings, request: Request) -> str | None:
    """Why a cookie-authenticated request must be refused, or None."""
    if bearer_token(request) is not None or read_cookie(settings, request, SESSION_COOKIE) is None:
        return None
    if request.headers.get(CSRF_HEADER) != "1":
        return "Requests signed in with a cookie must send the X-Relief-CSRF: 1 header."
    origin = request.headers.get("origin")
    if origin is not None and _origin(origin) != _origin(settings.public_url):
        return "This request comes from another site."
    return None


def session_token(
    settings: Settings, connection: HTTPConnection, params: dict[str, object]
) -> str | None:
    token = bearer_token(connection)
    if token is None:
        raw = params.get("authorization") or params.get("Authorization")
        if isinstance(raw, str) and raw.lower().startswith("bearer "):
            token = raw[7:].strip() or None
    return token or read_cookie(settings, connection, SESSION_COOKIE)


ACTING_FOR_HEADER = "x-relief-acting-for"


def acting_for(connection: HTTPConnection, params: dict[str, object]) -> int | None:
    """The patient a caregiver acts for: the Patient id in the X-Relief-Acting-For header (or
    `actingFor` in a socket's connection_init). Anything else acts for nobody."""
    raw = connection.headers.get(ACTING_FOR_HEADER)
    if raw is None:
        value = params.get("actingFor")
        raw = value if isinstance(value, str) else None
    if raw is None or len(raw) > 100:
        return None
    try:
        decoded = relay.GlobalID.from_id(raw.strip())
    except Exception:  # strawberry raises several kinds for text that is not a global id
        return None
    return parse_id(decoded.node_id) if decoded.type_name == "Patient" else None


def session_scope(settings: Settings) -> ScopeForRequest:
    async def resolve(connection: Request | WebSocket, params: dict[str, object]) -> AccessScope:
        token = session_token(settings, connection, params)
        scope = await sessions.resolve(settings, token, acting_for(connection, params))
        return scope or ANONYMOUS_SCOPE

    return resolve
