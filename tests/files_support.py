"""Builders for the files tests: real file bytes made here, multipart bodies made here."""

from __future__ import annotations

import io
import json
import os
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from tests.clinical_support import gid
from tests.conftest import VIEWER_HEADER

MIB = 1024 * 1024
CSRF = {"x-relief-csrf": "1"}

UPLOAD = """mutation Upload($file: Upload!, $patientId: ID) {
  uploadFile(file: $file, patientId: $patientId) {
    __typename
    ... on UploadFilePayload { file { id name kind mediaType size sha256 createdAt downloadUrl } }
    ... on FileErrors { errors { code message field } }
  }
}"""


def pdf_bytes(size: int = 2048) -> bytes:
    """A minimal PDF of exactly `size` bytes (the middle is a comment)."""
    head = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    tail = b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    filler = size - len(head) - len(tail)
    assert filler >= 2
    return head + b"%" + b"x" * (filler - 1) + tail


def mp4_bytes(size: int = 4096, brand: bytes = b"isom") -> bytes:
    """An `ftyp` box and one `mdat` box filling the rest: exactly `size` bytes."""
    ftyp = (24).to_bytes(4, "big") + b"ftyp" + brand + (512).to_bytes(4, "big") + b"isommp41"
    mdat_size = size - len(ftyp)
    return ftyp + mdat_size.to_bytes(4, "big") + b"mdat" + b"\x00" * (mdat_size - 8)


def webm_bytes(size: int = 1024) -> bytes:
    doc_type = b"\x42\x82\x84webm"
    version = b"\x42\x86\x81\x01"
    header = version + doc_type
    ebml = b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(header)]) + header
    return ebml + b"\x00" * (size - len(ebml))


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (40, 20), exif: Image.Exif | None = None
) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.putpixel((0, 0), (0, 0, 255))  # a marker to find the corner after rotation
    out = io.BytesIO()
    if exif is not None:
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "RelieCam"  # Make
    exif[0x8825] = {  # GPSInfo
        1: "N",
        2: (40.0, 26.0, 46.0),
        3: "W",
        4: (79.0, 58.0, 56.0),
    }
    return exif


def headers_for(as_user: int | None, *, csrf: bool = True) -> dict[str, str]:
    headers = dict(CSRF) if csrf else {}
    if as_user is not None:
        headers[VIEWER_HEADER] = str(as_user)
    return headers


async def upload(
    client: httpx.AsyncClient,
    content: bytes,
    filename: str,
    *,
    as_user: int | None,
    patient_id: int | None = None,
    csrf: bool = True,
    media_type: str = "application/octet-stream",
    extra_headers: dict[str, str] | None = None,
) -> httpx.Response:
    variables: dict[str, Any] = {"file": None}
    if patient_id is not None:
        variables["patientId"] = gid("Patient", patient_id)
    data = {
        "operations": json.dumps({"query": UPLOAD, "variables": variables}),
        "map": json.dumps({"0": ["variables.file"]}),
    }
    headers = headers_for(as_user, csrf=csrf) | (extra_headers or {})
    return await client.post(
        "/graphql",
        data=data,
        files={"0": (filename, content, media_type)},
        headers=headers,
    )


def uploaded(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["uploadFile"]
    return result


def error_codes(result: dict[str, Any]) -> list[str]:
    return [error["code"] for error in result.get("errors", [])]


BOUNDARY = "relief-test-boundary-7d1f"


def multipart_parts(filename: str) -> tuple[bytes, bytes]:
    """The bytes before a streamed file's content (operations, map, the part's headers) and
    after it (the closing boundary)."""
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}})
    files_map = json.dumps({"0": ["variables.file"]})
    before = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        f"{operations}\r\n"
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{files_map}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="0"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    after = f"\r\n--{BOUNDARY}--\r\n".encode()
    return before, after


class CountingBody:
    """A request body sent chunk by chunk that counts what the app pulled, and can look
    around (`on_chunk`) while the upload is under way."""

    def __init__(
        self,
        parts: Iterable[bytes],
        on_chunk: Callable[[int], None] | None = None,
    ) -> None:
        self.parts = parts
        self.pulled = 0
        self.on_chunk = on_chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            self.pulled += len(part)
            if self.on_chunk is not None:
                self.on_chunk(self.pulled)
            yield part


def file_chunks(
    before: bytes, head: bytes, total: int, after: bytes, step: int = 64 * 1024
) -> Iterable[bytes]:
    yield before
    yield head
    sent = len(head)
    while sent < total:
        size = min(step, total - sent)
        yield b"\x00" * size
        sent += size
    yield after


def streamed_headers(as_user: int, length: int | None = None) -> dict[str, str]:
    headers = headers_for(as_user) | {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    if length is not None:
        headers["content-length"] = str(length)
    return headers


def leftovers(directory: Path) -> list[str]:
    """What is left in a directory (a plain function: tests call it between awaits)."""
    return sorted(os.listdir(directory))
