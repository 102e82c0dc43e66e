"""GET /files/{public_id}: access, headers, verified chunks, audit, both stores."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.http.files import TransferAborted
from api.models.audit import RecordAccess
from api.models.files import FileChunk, FileStorage, StoredFile
from api.settings import Settings
from tests.accounts_support import PASSWORD, browser, sign_in
from tests.clinical_support import assign, make_patient, make_therapist
from tests.conftest import VIEWER_HEADER, make_settings, scope_from_test_header
from tests.files_support import MIB, pdf_bytes, upload, uploaded

ME = {VIEWER_HEADER: ""}


def as_viewer(user_id: int) -> dict[str, str]:
    return {VIEWER_HEADER: str(user_id)}


async def test_round_trip_with_headers_checksum_and_audit(client: httpx.AsyncClient) -> None:
    user, patient = await make_patient()
    content = pdf_bytes(2 * MIB + 5000)
    name = "Befund Müller, final.pdf"
    stored = uploaded(await upload(client, content, name, as_user=user.id))["file"]

    response = await client.get(stored["downloadUrl"], headers=as_viewer(user.id))
    assert response.status_code == 200
    assert response.content == content
    assert hashlib.sha256(response.content).hexdigest() == stored["sha256"]
    headers = response.headers
    assert headers["content-type"] == "application/pdf"
    assert headers["content-length"] == str(len(content))
    assert headers["content-disposition"] == (
        'attachment; filename="Befund Muller, final.pdf"; '
        "filename*=UTF-8''Befund%20M%C3%BCller%2C%20final.pdf"
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "private, no-store"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"

    row = await StoredFile.get()
    reads = await RecordAccess.filter(resource="StoredFile", resource_id=str(row.id))
    # One row for the upload's payload (CREATE) and one for the download (READ).
    assert sorted(r.action for r in reads) == ["CREATE", "READ"]
    download_read = next(r for r in reads if r.action == "READ")
    assert (download_read.patient_id, download_read.actor_user_id) == (patient.id, user.id)


async def test_who_may_download(client: httpx.AsyncClient) -> None:
    user, patient = await make_patient()
    other_user, _ = await make_patient("li@example.org")
    clinician, therapist = await make_therapist()
    outsider, _ = await make_therapist("sam@clinic.test", name="Sam Doe")
    await assign(patient, therapist)
    stored = uploaded(await upload(client, pdf_bytes(), "a.pdf", as_user=user.id))["file"]
    url = stored["downloadUrl"]

    assert (await client.get(url, headers=as_viewer(clinician.id))).status_code == 200
    for viewer in (other_user.id, outsider.id):
        response = await client.get(url, headers=as_viewer(viewer))
        assert response.status_code == 404
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await client.get(url)).status_code == 401
    for bad in ("/files/not-a-uuid", f"/files/{uuid.uuid4()}"):
        assert (await client.get(bad, headers=as_viewer(user.id))).status_code == 404
    assert await RecordAccess.filter(resource="StoredFile", action="READ").count() == 1


async def test_a_session_cookie_or_bearer_token_signs_the_download_in(
    settings: Settings, database: None
) -> None:
    app = create_app(settings)  # real sessions
    user, _ = await make_patient()
    async with browser(app) as http:
        result = await sign_in(http, user.email, PASSWORD)
        assert result["state"] == "SIGNED_IN", result
        stored = uploaded(await upload(http, pdf_bytes(), "a.pdf", as_user=None))["file"]
        by_cookie = await http.get(stored["downloadUrl"])
        assert by_cookie.status_code == 200
        token = http.cookies["relief_session"]  # the same token a mobile app holds
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as bare:
        by_bearer = await bare.get(
            stored["downloadUrl"], headers={"authorization": f"Bearer {token}"}
        )
        assert by_bearer.status_code == 200
        assert (await bare.get(stored["downloadUrl"])).status_code == 401


async def test_a_tampered_chunk_is_never_sent(settings: Settings, database: None) -> None:
    app = create_app(settings, scope_for_request=scope_from_test_header)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        user, _ = await make_patient()
        content = pdf_bytes(3 * MIB)
        stored = uploaded(await upload(client, content, "a.pdf", as_user=user.id))["file"]
        row = await StoredFile.get()

        await FileChunk.filter(file_id=row.id, seq=1).update(data=b"tampered" + b"\x00" * 100)
        response = await client.get(stored["downloadUrl"], headers=as_viewer(user.id))
        # The first chunk went out (it was sound); the transfer stopped before the bad one.
        assert response.content == content[:MIB]
        assert int(response.headers["content-length"]) == len(content)

        await FileChunk.filter(file_id=row.id, seq=0).update(data=b"tampered")
        first_bad = await client.get(stored["downloadUrl"], headers=as_viewer(user.id))
        assert first_bad.status_code == 500
        assert b"tampered" not in first_bad.content


async def test_a_tampered_chunk_raises_in_the_app(client: httpx.AsyncClient) -> None:
    user, _ = await make_patient()
    stored = uploaded(await upload(client, pdf_bytes(2 * MIB), "a.pdf", as_user=user.id))["file"]
    row = await StoredFile.get()
    await FileChunk.filter(file_id=row.id, seq=1).update(data=b"x")
    with pytest.raises(TransferAborted):
        await client.get(stored["downloadUrl"], headers=as_viewer(user.id))


async def test_directory_storage_round_trip(
    settings: Settings, database: None, tmp_path: Path
) -> None:
    store = tmp_path / "files"
    app = create_app(
        make_settings(database_url=settings.database_url, file_storage=str(store)),
        scope_for_request=scope_from_test_header,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        user, _ = await make_patient()
        content = pdf_bytes(MIB + 123)
        stored = uploaded(await upload(client, content, "a.pdf", as_user=user.id))["file"]
        row = await StoredFile.get()
        assert row.storage == FileStorage.DIRECTORY
        assert [p.name for p in store.iterdir()] == [row.storage_key]  # no partial file left
        assert (store / row.storage_key).read_bytes() == content
        chunks = await FileChunk.filter(file_id=row.id).order_by("seq")
        assert [bytes(c.data) for c in chunks] == [b"", b""]
        assert chunks[1].sha256 == hashlib.sha256(content[MIB:]).hexdigest()

        response = await client.get(stored["downloadUrl"], headers=as_viewer(user.id))
        assert response.content == content

        (store / row.storage_key).write_bytes(b"%PDF-" + b"y" * (len(content) - 5))
        broken = await client.get(stored["downloadUrl"], headers=as_viewer(user.id))
        assert broken.status_code == 500
