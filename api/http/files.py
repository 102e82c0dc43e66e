"""GET /files/{public_id}: a stored file's bytes, for whoever may read the patient's record.

Signed in by the session cookie (the SPA's <a download>) or a bearer token (mobile); a GET
changes nothing, so it needs no CSRF header. Anonymous: 401; a file out of reach, unknown, or
a malformed id: 404, all alike; a file of a record a caregiver reaches without the scope for
it: 403. The bytes go out chunk by chunk, each checked against its
SHA-256 first: a chunk that fails stops the response there (a clean 500 if it is the first,
an aborted transfer shorter than Content-Length otherwise), so nothing corrupt is ever sent.
Browsers are told never to render it: attachment, nosniff, and a sandboxing CSP.
"""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from api.errors import ErrorCode, Forbidden
from api.http.graphql import ScopeForRequest, error_response
from api.models.files import StoredFile
from api.observability import current_request_id, get_logger
from api.services.files import downloads
from api.services.files.storage import ChunkCorrupted
from api.settings import Settings

log = get_logger(__name__)
FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"


class TransferAborted(Exception):
    """Raised mid-stream so the server drops the connection instead of finishing the body."""


def content_disposition(name: str) -> str:
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = (
        "".join(ch if ch.isprintable() and ch not in '"\\' else "_" for ch in fallback).strip()
        or "file"
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_headers(row: StoredFile) -> dict[str, str]:
    return {
        "content-length": str(row.size),
        "content-disposition": content_disposition(row.name),
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
        "content-security-policy": FILE_CONTENT_SECURITY_POLICY,
    }


async def _verified(first: bytes, rest: AsyncIterator[bytes], file_id: int) -> AsyncIterator[bytes]:
    yield first
    try:
        async for chunk in rest:
            yield chunk
    except ChunkCorrupted:
        log.error("files.chunk_corrupted", file_id=file_id)
        raise TransferAborted(f"file {file_id}") from None
    except OSError:
        log.error("files.unreadable", file_id=file_id)
        raise TransferAborted(f"file {file_id}") from None


def download_endpoint(
    settings: Settings, scope_for_request: ScopeForRequest
) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        scope = await scope_for_request(request, {})
        if not scope.viewer.is_authenticated:
            return error_response(401, "Sign in to download files.", ErrorCode.UNAUTHENTICATED)
        try:
            row = await downloads.readable_file(scope, str(request.path_params["public_id"]))
        except Forbidden as denied:  # a caregiver's grant that leaves documents out
            return error_response(403, denied.message, ErrorCode.FORBIDDEN)
        if row is None:
            return error_response(404, "No such file.", ErrorCode.NOT_FOUND)
        chunks = downloads.content(settings, row)
        try:
            first = await anext(chunks)
        except (ChunkCorrupted, OSError, StopAsyncIteration):
            log.error("files.unreadable", file_id=row.id)
            return error_response(500, "This file cannot be read.", ErrorCode.INTERNAL)
        client = request.client.host if request.client else None
        await downloads.record_download(
            scope, row, ip=client or None, request_id=current_request_id()
        )
        return StreamingResponse(
            _verified(first, chunks, row.id), media_type=row.media_type, headers=file_headers(row)
        )

    return download
