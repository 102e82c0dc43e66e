"""The cookies the SPA carries and the header that proves a request came from the SPA.

Over https the session cookie takes the `__Host-` prefix (Secure, Path=/, no Domain): no
subdomain and no plain-http page can set or overwrite it.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response

from api.settings import Settings

CSRF_HEADER = "x-relief-csrf"
SESSION_COOKIE = "relief_session"
DEVICE_COOKIE = "relief_device"
HOST_PREFIX = "__Host-"


def cookie_name(settings: Settings, base: str) -> str:
    return HOST_PREFIX + base if settings.public_url_is_https else base


def read_cookie(settings: Settings, connection: HTTPConnection, base: str) -> str | None:
    return connection.cookies.get(cookie_name(settings, base))


def set_cookie(
    settings: Settings, response: Response, base: str, value: str, max_age_seconds: int | None
) -> None:
    response.set_cookie(
        cookie_name(settings, base),
        value,
        max_age=max_age_seconds,
        path="/",
        secure=settings.public_url_is_https,
        httponly=True,
        samesite="lax",
    )


def clear_cookie(settings: Settings, response: Response, base: str) -> None:
    response.delete_cookie(
        cookie_name(settings, base),
        path="/",
        secure=settings.public_url_is_https,
        httponly=True,
        samesite="lax",
    )


def bearer_token(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
