"""POST /graphql (JSON only) and WebSocket /graphql (graphql-transport-ws, for signed-in
sessions only, and only while they last: api/http/websocket.py).

No queries travel by GET: a URL ends up in logs, histories and Referer headers. GET serves
GraphiQL in development and nothing in production. Transport-level mistakes (wrong content
type, unreadable JSON) answer in the same error shape as GraphQL errors, with a code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.file_uploads.utils import replace_placeholders_with_files
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from api.access.rate_limits import RateLimits, build_rate_limits
from api.access.scope import ANONYMOUS_SCOPE, AccessScope
from api.context import Context
from api.errors import ErrorCode
from api.http.cookies import CSRF_HEADER
from api.http.uploads import ParsedMultipart, UploadRefused, close_quietly, read_multipart
from api.http.websocket import SessionBoundHandler, authenticate
from api.observability import current_request_id
from api.settings import Settings

# How a request's viewer is found from the connection (and, on a WebSocket, the
# connection_init payload): sessions in the app, a stand-in in some tests.
ScopeForRequest = Callable[[Request | WebSocket, dict[str, object]], Awaitable[AccessScope]]
CsrfCheck = Callable[[Request], str | None]
# The multipart body read by `__call__` (streamed, limits applied) for `parse_multipart`.
_multipart_body: ContextVar[ParsedMultipart | None] = ContextVar("multipart_body", default=None)
MULTIPART = "multipart/form-data"


async def anonymous_scope(_: Request | WebSocket, __: dict[str, object]) -> AccessScope:
    return ANONYMOUS_SCOPE


def no_csrf_check(_: Request) -> str | None:
    return None


def error_response(status_code: int, message: str, code: ErrorCode) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code.value}}]}
    return Response(orjson.dumps(body), status_code=status_code, media_type="application/json")


class TextFrameWebSocketAdapter(ASGIWebSocketAdapter):
    """graphql-transport-ws is a text protocol: browsers' graphql-ws cannot parse binary frames,
    and our JSON encoder returns bytes."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(self.view.encode_json_string(message))
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class PortalGraphQL(GraphQL[Context, None]):
    websocket_adapter_class = TextFrameWebSocketAdapter
    # Closes the socket when its session ends (api/http/websocket.py).
    graphql_transport_ws_handler_class = SessionBoundHandler

    def __init__(
        self,
        schema: BaseSchema,
        settings: Settings,
        scope_for_request: ScopeForRequest = anonymous_scope,
        csrf_check: CsrfCheck = no_csrf_check,
        rate_limits: RateLimits | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            multipart_uploads_enabled=True,
            allowed_origins=(settings.public_url,),
        )
        self.settings = settings
        self.scope_for_request = scope_for_request
        self.csrf_check = csrf_check
        self.rate_limits = rate_limits or build_rate_limits(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        parsed: ParsedMultipart | None = None
        token = _multipart_body.set(None)
        try:
            if _content_type(request) == MULTIPART:
                # Files are checked while they arrive: a refusal answers before the rest is read.
                parsed = await read_multipart(request, self.settings)
                _multipart_body.set(parsed)
            response = await self.run(request)
        except UploadRefused as refused:
            response = error_response(
                refused.status_code, refused.message, ErrorCode.BAD_USER_INPUT
            )
        except HTTPException as error:
            response = error_response(error.status_code, error.reason, ErrorCode.BAD_USER_INPUT)
        finally:
            close_quietly(parsed)
            _multipart_body.reset(token)
        await response(scope, receive, send)

    def _refusal(self, request: Request) -> Response | None:
        if request.method == "GET":
            wants_ide = self.graphql_ide and "text/html" in request.headers.get("accept", "")
            if wants_ide and not request.query_params:
                return None
            return error_response(
                405, "Send GraphQL requests as POST with a JSON body.", ErrorCode.BAD_USER_INPUT
            )
        if request.method != "POST":
            return error_response(405, "Use POST for GraphQL.", ErrorCode.BAD_USER_INPUT)
        content_type = _content_type(request)
        if content_type not in ("application/json", MULTIPART):
            return error_response(
                415,
                "Send the request body as application/json (multipart/form-data for uploads).",
                ErrorCode.BAD_USER_INPUT,
            )
        if content_type == MULTIPART and request.headers.get(CSRF_HEADER) != "1":
            # A form can post multipart across sites with no preflight, bearer token or not.
            return error_response(
                403, "Uploads must send the X-Relief-CSRF: 1 header.", ErrorCode.FORBIDDEN
            )
        csrf = self.csrf_check(request)
        if csrf is not None:
            return error_response(403, csrf, ErrorCode.FORBIDDEN)
        return None

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        context = Context(
            settings=self.settings,
            request_id=current_request_id(),
            rate_limits=self.rate_limits,
            request=request,
            response=response,
        )

        async def resolve_scope() -> AccessScope:
            # Read at call time: on a WebSocket, strawberry sets connection_params from the
            # connection_init payload after this context was made.
            return await self.scope_for_request(request, context.connection_params or {})

        context.resolve_scope = resolve_scope
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """Only a signed-in session is acknowledged; anything else closes with 4403."""
        await authenticate(context)
        return UnsetType()  # a singleton: the plain connection_ack

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        """The spec's operations with each file in place, from the body `__call__` read."""
        parsed = _multipart_body.get()
        if parsed is None:
            raise HTTPException(400, "Unable to parse the multipart body")
        operations = self.parse_json(parsed.operations)
        files_map = self.parse_json(parsed.map)
        if not isinstance(operations, dict) or not isinstance(files_map, dict):
            raise HTTPException(400, "`operations` and `map` must be JSON objects.")
        try:
            return replace_placeholders_with_files(operations, files_map, parsed.files)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
            raise HTTPException(400, "File(s) missing in form data") from error

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        # orjson's decode error subclasses json.JSONDecodeError, which strawberry turns into a 400.
        return orjson.loads(data)


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


__all__ = ["PortalGraphQL"]
