"""Multipart GraphQL requests (the graphql-multipart-request-spec), read as a stream.

The body is parsed here, part by part, with python-multipart's streaming parser, instead of
by Starlette's form parser, so that each file's limit applies while it arrives: the first
bytes of a file part say what it is (api/services/files/sniff.py), which sets its limit
(PORTAL_DOCUMENT_MAX_BYTES or PORTAL_VIDEO_MAX_BYTES); one byte over it and reading stops
with 413, the temporary file is deleted, nothing is stored. A declared Content-Length above
the largest limit plus room for the small fields is refused before anything is read.

The spec's order is required: `operations`, then `map`, then the files (at most
MAX_FILES). Bytes that are none of the allowed kinds are counted against the smallest limit
but never written anywhere; the mutation then answers UNSUPPORTED_FILE_TYPE.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from api.models.files import FileKind
from api.services.files.received import ReceivedFile
from api.services.files.sniff import HEAD_BYTES, sniff
from api.settings import Settings

FIELD_MAX_BYTES = 64 * 1024  # `operations` and `map` each
HEADERS_MAX_BYTES = 8 * 1024  # one part's headers
MAX_FILES = 4
# Boundaries, part headers, `operations` and `map` around the largest allowed file.
OVERHEAD_BYTES = 2 * FIELD_MAX_BYTES + (MAX_FILES + 2) * (HEADERS_MAX_BYTES + 256)
SPOOL_PREFIX = "relief-upload-"


class UploadRefused(Exception):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def _too_large(message: str) -> UploadRefused:
    return UploadRefused(413, message)


def _bad(message: str) -> UploadRefused:
    return UploadRefused(400, message)


@dataclass(slots=True)
class ParsedMultipart:
    operations: str = ""
    map: str = ""
    files: dict[str, ReceivedFile] = field(default_factory=dict)

    def close(self) -> None:
        for received in self.files.values():
            received.close()


def body_limit(settings: Settings) -> int:
    return max(settings.document_max_bytes, settings.video_max_bytes) + OVERHEAD_BYTES


def file_limit(settings: Settings, kind: FileKind | None) -> int:
    if kind == FileKind.VIDEO:
        return settings.video_max_bytes
    # Documents, and unknown bytes (counted, not kept, refused by the mutation).
    return settings.document_max_bytes


@dataclass(slots=True)
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    header_field: bytearray = field(default_factory=bytearray)
    header_value: bytearray = field(default_factory=bytearray)
    header_bytes: int = 0
    name: str = ""
    value: bytearray = field(default_factory=bytearray)
    file: ReceivedFile | None = None
    limit: int = 0
    decided: bool = False


class _Reader:
    """The parser's callbacks: everything a part carries, checked as it arrives."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.result = ParsedMultipart()
        self.part = _Part()
        self.finished = False

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }

    def on_part_begin(self) -> None:
        self.part = _Part()

    def _count_header(self, size: int) -> None:
        self.part.header_bytes += size
        if self.part.header_bytes > HEADERS_MAX_BYTES:
            raise _bad("A part's headers are too long.")

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self.part.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self.part.header_value += data[start:end]

    def on_header_end(self) -> None:
        name = self.part.header_field.decode("latin-1").strip().lower()
        self.part.headers[name] = self.part.header_value.decode("latin-1")
        self.part.header_field = bytearray()
        self.part.header_value = bytearray()

    def on_headers_finished(self) -> None:
        disposition, options = parse_options_header(
            self.part.headers.get("content-disposition", "")
        )
        if disposition != b"form-data" or b"name" not in options:
            raise _bad("Every part needs a Content-Disposition: form-data with a name.")
        self.part.name = options[b"name"].decode("utf-8", "replace")
        filename = options.get(b"filename")
        result = self.result
        if filename is None:
            expected = "operations" if not result.operations else "map"
            if self.part.name != expected or result.map:
                raise _bad("Send `operations`, then `map`, then the files.")
            return
        if not result.operations or not result.map:
            raise _bad("Send `operations`, then `map`, then the files.")
        if len(result.files) >= MAX_FILES:
            raise _too_large(f"At most {MAX_FILES} files per request.")
        if self.part.name in result.files:
            raise _bad("Two files share one name.")
        self.part.file = ReceivedFile(
            field_name=self.part.name,
            filename=filename.decode("utf-8", "replace"),
            claimed_media_type=self.part.headers.get("content-type", ""),
        )
        result.files[self.part.name] = self.part.file

    def _decide(self, received: ReceivedFile) -> None:
        """The head is complete (or the part ended): the kind, its limit, and a spool if kept."""
        self.part.decided = True
        received.sniffed = sniff(received.head)
        self.part.limit = file_limit(
            self.settings, received.sniffed.kind if received.sniffed else None
        )
        if received.size > self.part.limit:
            raise _too_large("The file is larger than allowed for its type.")
        if received.sniffed is not None:
            # Named, in the temporary directory, removed on close (or if the process dies,
            # by the usual temp cleaning): never a name derived from the upload.
            received.spool = tempfile.NamedTemporaryFile(prefix=SPOOL_PREFIX, delete=True)  # noqa: SIM115
            received.spool.write(received.head)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        received = self.part.file
        if received is None:
            self.part.value += data[start:end]
            if len(self.part.value) > FIELD_MAX_BYTES:
                raise _too_large(f"`{self.part.name}` is larger than {FIELD_MAX_BYTES} bytes.")
            return
        chunk = memoryview(data)[start:end]
        received.size += len(chunk)
        if not self.part.decided:
            missing = HEAD_BYTES - len(received.head)
            received.head += bytes(chunk[:missing])
            chunk = chunk[missing:]
            if len(received.head) < HEAD_BYTES:
                return
            self._decide(received)
        if received.size > self.part.limit:
            raise _too_large("The file is larger than allowed for its type.")
        if received.spool is not None and len(chunk):
            received.spool.write(chunk)

    def on_part_end(self) -> None:
        received = self.part.file
        if received is None:
            text = self.part.value.decode("utf-8", "replace")
            if self.part.name == "operations":
                self.result.operations = text
            else:
                self.result.map = text
            return
        if not self.part.decided:
            self._decide(received)
        if received.spool is not None:
            received.spool.flush()
            received.spool.seek(0)

    def on_end(self) -> None:
        self.finished = True


async def read_multipart(request: Request, settings: Settings) -> ParsedMultipart:
    """The request's fields and files, or UploadRefused (400/413) with every spool removed."""
    limit = body_limit(settings)
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise _bad("The Content-Length header is not a number.")
        if int(declared) > limit:
            raise _too_large("The request is larger than any allowed file.")
    _, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        raise _bad("The multipart body has no boundary.")
    reader = _Reader(settings)
    parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise _too_large("The request is larger than any allowed file.")
            parser.write(chunk)
        parser.finalize()
    except UploadRefused:
        reader.result.close()
        raise
    except Exception:  # the parser's errors, a client that went away mid-body
        reader.result.close()
        raise _bad("Unable to parse the multipart body.") from None
    except BaseException:  # cancelled: no spool may outlive the request
        reader.result.close()
        raise
    if not reader.finished or not reader.result.operations or not reader.result.map:
        reader.result.close()
        raise _bad("The multipart body is incomplete.")
    return reader.result


def close_quietly(parsed: ParsedMultipart | None) -> None:
    if parsed is not None:
        with suppress(OSError):
            parsed.close()
