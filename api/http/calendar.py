"""GET /calendar/{token}.ics: a user's secret calendar feed, for calendar apps.

No cookie: a calendar client cannot sign in, so the token in the address is the credential.
An unknown, replaced or revoked token answers 404 like any missing page. Each read is
recorded in the record-access audit, one row per appointment it carried, as /files does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from api.errors import ErrorCode
from api.http.graphql import error_response
from api.observability import current_request_id
from api.services.scheduling import calendar
from api.settings import Settings

FEED_HEADERS = {
    "cache-control": "private, max-age=300",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def calendar_feed_endpoint(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def feed(request: Request) -> Response:
        document = await calendar.feed_document(settings, str(request.path_params["token"]))
        if document is None:
            return error_response(404, "No such calendar.", ErrorCode.NOT_FOUND)
        client = request.client.host if request.client else None
        await calendar.record_feed_read(
            document, ip=client or None, request_id=current_request_id()
        )
        return Response(
            document.body, media_type="text/calendar; charset=utf-8", headers=FEED_HEADERS
        )

    return feed
