"""Security headers on every HTTP response (HSTS only when the request came over https)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# GraphiQL (development only) loads its scripts from a CDN and runs inline code.
GRAPHIQL_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com "
    "https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' https://unpkg.com "
    "https://cdn.jsdelivr.net; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'"
)
HSTS = "max-age=63072000; includeSubDomains"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, graphiql_path: str | None = None) -> None:
        self.app = app
        self.graphiql_path = graphiql_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_graphiql = scope["path"] == self.graphiql_path and scope["method"] == "GET"
        policy = GRAPHIQL_CONTENT_SECURITY_POLICY if is_graphiql else CONTENT_SECURITY_POLICY
        over_https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = [
                    value
                    for name, value in message.get("headers", [])
                    if name.lower() == b"content-security-policy"
                ]
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in (b"content-security-policy", b"x-content-type-options")
                ]
                # A route may set a stricter policy of its own (GET /files: sandboxed).
                headers += [
                    (b"content-security-policy", own[0] if own else policy.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                if over_https:
                    headers.append((b"strict-transport-security", HSTS.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
