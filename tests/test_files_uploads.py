"""Uploading documents and videos through POST /graphql as multipart requests."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from pathlib import Path

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette

from api.app import create_app
from api.http.uploads import FIELD_MAX_BYTES, body_limit
from api.models.accounts import Role
from api.models.files import FileChunk, StoredFile
from api.settings import Settings
from tests.accounts_support import make_user
from tests.clinical_support import assign, make_patient, make_therapist
from tests.conftest import make_settings, scope_from_test_header
from tests.files_support import (
    BOUNDARY,
    UPLOAD,
    CountingBody,
    error_codes,
    file_chunks,
    gps_exif,
    image_bytes,
    leftovers,
    mp4_bytes,
    multipart_parts,
    pdf_bytes,
    streamed_headers,
    upload,
    uploaded,
    webm_bytes,
)


@pytest.fixture
def spool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every temporary file of the request goes here, so a test can see what is left."""
    directory = tmp_path / "spool"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


async def _download(client: httpx.AsyncClient, url: str, as_user: int) -> bytes:
    response = await client.get(url, headers={"x-test-viewer": str(as_user)})
    assert response.status_code == 200, response.text
    return response.content


async def test_a_pdf_of_exactly_the_limit_is_stored_and_one_byte_more_is_refused_at_once(
    client: httpx.AsyncClient, settings: Settings, spool_dir: Path
) -> None:
    user, patient = await make_patient()
    limit = settings.document_max_bytes
    content = pdf_bytes(limit)

    result = uploaded(await upload(client, content, "scan.pdf", as_user=user.id))
    assert result["__typename"] == "UploadFilePayload", result
    stored = result["file"]
    assert stored["size"] == limit
    assert stored["kind"] == "DOCUMENT"
    assert stored["mediaType"] == "application/pdf"
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
    assert await FileChunk.filter(file_id=(await StoredFile.get()).id).count() == 10
    assert leftovers(spool_dir) == []

    over = await upload(client, pdf_bytes(limit + 1), "bigger.pdf", as_user=user.id)
    assert over.status_code == 413
    assert over.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await StoredFile.filter(patient_id=patient.id).count() == 1
    assert leftovers(spool_dir) == []


async def test_reading_stops_at_the_limit_and_the_spool_is_removed(
    client: httpx.AsyncClient, settings: Settings, spool_dir: Path
) -> None:
    user, _ = await make_patient()
    before, after = multipart_parts("huge.pdf")
    seen_spools: list[str] = []

    def look(pulled: int) -> None:
        if pulled > settings.document_max_bytes // 2 and not seen_spools:
            seen_spools.extend(os.listdir(spool_dir))

    total = settings.document_max_bytes * 3
    body = CountingBody(file_chunks(before, b"%PDF-1.7\n", total, after), on_chunk=look)
    response = await client.post("/graphql", content=body, headers=streamed_headers(user.id))

    assert response.status_code == 413
    # The spool was on disk, in the temporary directory, while the body arrived...
    assert len(seen_spools) == 1
    assert seen_spools[0].startswith("relief-upload-")
    # ...reading stopped one chunk past the limit, and nothing is left.
    assert body.pulled < settings.document_max_bytes + len(before) + 2 * 64 * 1024
    assert leftovers(spool_dir) == []
    assert await StoredFile.all().count() == 0


async def test_a_declared_length_above_every_limit_is_refused_before_reading(
    client: httpx.AsyncClient, settings: Settings, spool_dir: Path
) -> None:
    user, _ = await make_patient()
    before, after = multipart_parts("huge.mp4")
    body = CountingBody([before, b"\x00" * 1024, after])
    headers = streamed_headers(user.id, length=body_limit(settings) + 1)
    response = await client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 413
    assert body.pulled == 0
    assert leftovers(spool_dir) == []


async def test_uploads_need_the_csrf_header_whatever_the_authentication(
    client: httpx.AsyncClient, spool_dir: Path
) -> None:
    user, _ = await make_patient()
    for extra in ({}, {"authorization": "Bearer some-token"}):
        response = await upload(
            client, pdf_bytes(), "scan.pdf", as_user=user.id, csrf=False, extra_headers=extra
        )
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await StoredFile.all().count() == 0
    assert leftovers(spool_dir) == []


async def test_the_bytes_decide_the_type_and_the_name_must_agree(
    client: httpx.AsyncClient,
) -> None:
    user, _ = await make_patient()
    png = image_bytes("PNG")
    refused = uploaded(await upload(client, png, "report.pdf", as_user=user.id))
    assert error_codes(refused) == ["FILE_TYPE_MISMATCH"]

    unknown = uploaded(await upload(client, b"GIF89a" + b"\x00" * 100, "a.gif", as_user=user.id))
    assert error_codes(unknown) == ["UNSUPPORTED_FILE_TYPE"]
    html = uploaded(
        await upload(
            client,
            b"<html><script>x</script>",
            "a.pdf",
            as_user=user.id,
            media_type="application/pdf",
        )
    )
    assert error_codes(html) == ["UNSUPPORTED_FILE_TYPE"]

    empty = uploaded(await upload(client, b"", "empty.pdf", as_user=user.id))
    assert error_codes(empty) == ["FILE_EMPTY"]

    truncated = pdf_bytes(4096)[:3000]
    assert error_codes(uploaded(await upload(client, truncated, "cut.pdf", as_user=user.id))) == [
        "INVALID_FILE"
    ]
    fake_png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    assert error_codes(uploaded(await upload(client, fake_png, "x.png", as_user=user.id))) == [
        "INVALID_FILE"
    ]
    broken_mp4 = mp4_bytes(4096)[:4000]
    assert error_codes(uploaded(await upload(client, broken_mp4, "v.mp4", as_user=user.id))) == [
        "INVALID_FILE"
    ]
    assert await StoredFile.all().count() == 0

    # The client's media type is ignored: a PNG sent as application/pdf is stored as a PNG.
    ok = uploaded(await upload(client, png, "photo", as_user=user.id, media_type="application/pdf"))
    assert ok["file"]["mediaType"] == "image/png"


async def test_images_lose_exif_and_gps_and_are_turned_upright(
    client: httpx.AsyncClient,
) -> None:
    user, _ = await make_patient()
    original = image_bytes("JPEG", (40, 20), exif=gps_exif(orientation=6))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS really there
    assert b"RelieCam" in original

    result = uploaded(await upload(client, original, "../../home/me/IMG_1.JPG", as_user=user.id))
    stored = result["file"]
    assert stored["name"] == "IMG_1.JPG"
    assert stored["mediaType"] == "image/jpeg"
    data = await _download(client, stored["downloadUrl"], user.id)
    assert hashlib.sha256(data).hexdigest() == stored["sha256"]
    assert b"RelieCam" not in data
    assert b"Exif" not in data
    clean = Image.open(io.BytesIO(data))
    assert not clean.getexif()
    assert clean.size == (20, 40)  # orientation 6 applied to the pixels


async def test_the_pixel_cap_refuses_bigger_images(
    settings: Settings, database: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)  # restored after
    small = make_settings(database_url=settings.database_url, image_max_pixels=10_000)
    app = create_app(small, scope_for_request=scope_from_test_header)
    async with _client(app) as client:
        user, _ = await make_patient()
        too_big = uploaded(
            await upload(client, image_bytes("PNG", (101, 100)), "a.png", as_user=user.id)
        )
        assert error_codes(too_big) == ["IMAGE_TOO_LARGE"]
        fits = uploaded(
            await upload(client, image_bytes("PNG", (100, 100)), "b.png", as_user=user.id)
        )
        assert fits["__typename"] == "UploadFilePayload"
    assert Image.MAX_IMAGE_PIXELS == 10_000  # Pillow's own bomb guard follows the setting


async def test_videos_follow_the_video_limit(
    settings: Settings, database: None, spool_dir: Path
) -> None:
    small = make_settings(database_url=settings.database_url, video_max_bytes=64 * 1024)
    app = create_app(small, scope_for_request=scope_from_test_header)
    async with _client(app) as client:
        user, _ = await make_patient()
        video = mp4_bytes(64 * 1024)
        result = uploaded(await upload(client, video, "squat.mov", as_user=user.id))
        assert result["file"]["kind"] == "VIDEO"
        assert result["file"]["mediaType"] == "video/mp4"
        quicktime = uploaded(
            await upload(client, mp4_bytes(2048, b"qt  "), "s.mov", as_user=user.id)
        )
        assert quicktime["file"]["mediaType"] == "video/quicktime"
        webm = uploaded(await upload(client, webm_bytes(), "s.webm", as_user=user.id))
        assert webm["file"]["mediaType"] == "video/webm"
        over = await upload(client, mp4_bytes(64 * 1024 + 1), "long.mp4", as_user=user.id)
        assert over.status_code == 413
        # A document may still be larger than the video limit: each kind has its own.
        doc = uploaded(await upload(client, pdf_bytes(200 * 1024), "big.pdf", as_user=user.id))
        assert doc["__typename"] == "UploadFilePayload"
    assert await StoredFile.all().count() == 4
    assert leftovers(spool_dir) == []


async def test_who_may_upload_to_which_record(client: httpx.AsyncClient) -> None:
    user, patient = await make_patient()
    other_user, other = await make_patient("li@example.org")
    clinician, therapist = await make_therapist()
    await assign(patient, therapist)

    by_clinician = uploaded(
        await upload(client, pdf_bytes(), "letter.pdf", as_user=clinician.id, patient_id=patient.id)
    )
    assert by_clinician["__typename"] == "UploadFilePayload"
    row = await StoredFile.get()
    assert (row.patient_id, row.uploaded_by_id) == (patient.id, clinician.id)
    assert len(row.storage_key) == 32
    assert "letter" not in row.storage_key

    for as_user, target in ((clinician.id, other.id), (user.id, other.id)):
        response = await upload(client, pdf_bytes(), "x.pdf", as_user=as_user, patient_id=target)
        body = response.json()
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", body
    anonymous = (await upload(client, pdf_bytes(), "x.pdf", as_user=None)).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # An admin reads the record (NOT_FOUND would be a lie) but does not add to it.
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    by_admin = await upload(client, pdf_bytes(), "x.pdf", as_user=admin.id, patient_id=patient.id)
    assert by_admin.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN", by_admin.json()
    assert await StoredFile.all().count() == 1
    del other_user


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_malformed_multipart_bodies_are_coded_400s(
    client: httpx.AsyncClient, spool_dir: Path
) -> None:
    user, _ = await make_patient()
    headers = {"x-relief-csrf": "1", "x-test-viewer": str(user.id)}
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}})
    file_first = await client.post(
        "/graphql",
        files={"0": ("a.pdf", pdf_bytes(), "application/pdf")},
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        headers=headers,
    )
    # httpx sends the fields before the files; a map naming a missing file is the mistake here.
    assert file_first.status_code == 200
    missing = await client.post(
        "/graphql",
        files={"1": ("a.pdf", pdf_bytes(), "application/pdf")},
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        headers=headers,
    )
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    file_part_first = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="a.pdf"\r\n\r\n'
        ).encode()
        + pdf_bytes()
        + (
            f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
            f"{operations}\r\n--{BOUNDARY}--\r\n"
        ).encode()
    )
    wrong_order = await client.post(
        "/graphql", content=file_part_first, headers=streamed_headers(user.id)
    )
    assert wrong_order.status_code == 400
    assert "then `map`" in wrong_order.json()["errors"][0]["message"]
    huge_operations = await client.post(
        "/graphql",
        files={"0": ("a.pdf", pdf_bytes(), "application/pdf")},
        data={"operations": " " * (FIELD_MAX_BYTES + 1), "map": "{}"},
        headers=headers,
    )
    assert huge_operations.status_code == 413
    assert await StoredFile.all().count() == 1
    assert leftovers(spool_dir) == []
