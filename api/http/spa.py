"""Serves the built dashboard: real files as they are, client routes as index.html.

A path whose last segment looks like a file (has a dot) and does not exist is a 404, so a
missing script never comes back as HTML. Hashed assets are cached for a year; index.html is
revalidated every time so a new deploy is picked up at once.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

NOT_BUILT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Relief: dashboard not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>The dashboard has not been built yet</h1>
<p>The API is running (POST <code>/graphql</code>), but the single-page dashboard bundle is
missing from <code>frontend/dist</code>.</p>
<p>Build it with <code>make run</code>, or with
<code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>, then reload this page.</p>
</main></body></html>
"""
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class SinglePageApp:
    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = self._respond(request)
        await response(scope, receive, send)

    def _respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return PlainTextResponse("Method Not Allowed", status_code=405)
        index = self.directory / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT_PAGE, status_code=503)
        relative = request.url.path.lstrip("/")
        candidate = (self.directory / relative).resolve()
        inside = candidate == self.directory or self.directory in candidate.parents
        if relative and inside and candidate.is_file():
            cache = IMMUTABLE if relative.startswith("assets/") else REVALIDATE
            return FileResponse(candidate, headers={"cache-control": cache})
        if "." in relative.rsplit("/", 1)[-1]:
            return PlainTextResponse("Not Found", status_code=404)
        return FileResponse(index, headers={"cache-control": REVALIDATE})
