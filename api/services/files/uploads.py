"""Storing an uploaded file on a patient's record, after checking what its bytes are.

Who: the patient on their own record, a caregiver on the record of the patient they act for
(with DOCUMENTS; with MESSAGES for a file to attach to a message), a clinician on a patient of
their care team. A record out of reach is NOT_FOUND; one the viewer reads but may not add to
(an admin: support staff read records, they do not add to them; a caregiver whose grant leaves
the need out) is FORBIDDEN.
What: the bytes decide the type (never the name or the client's media type), the name's
extension must agree, images are re-encoded (metadata gone), PDFs and videos must hold
together structurally. The stored name is generated; the uploader's name is kept, cleaned,
only to name the download.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import UTC, datetime
from typing import IO

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import BadUserInput, Forbidden
from api.models.files import FileStorage, StoredFile
from api.observability import get_logger
from api.realtime.events import transaction
from api.services.files import images, sniff, storage, validate
from api.services.files.errors import FileErrorCode, FileProblems
from api.services.files.received import ReceivedFile
from api.settings import Settings

log = get_logger(__name__)


def target_patient(scope: AccessScope, patient_id: int | None, *, for_message: bool = False) -> int:
    """The record an upload goes to: the one named, or the viewer's own. A file meant for a
    message needs MESSAGES rather than DOCUMENTS (a caregiver may write without reading the
    record's documents; what they attach is theirs: see messaging/writing.py)."""
    scope.require_authenticated()
    target = patient_id if patient_id is not None else scope.default_patient_id
    if target is None:
        raise BadUserInput("Name the patient the file is for.", field="patientId")
    scope.require_patient(target, Need.MESSAGES if for_message else Need.DOCUMENTS)
    if not (scope.acts_for(target) or scope.is_care_team(target)):
        raise Forbidden("Only the patient, their caregivers and their care team add files.")
    return target


def _structure_holds(media_type: str, source: IO[bytes]) -> bool:
    if media_type == sniff.PDF.media_type:
        return validate.pdf_is_whole(source)
    if media_type in (sniff.MP4.media_type, sniff.QUICKTIME.media_type):
        return validate.iso_boxes_tile(source)
    if media_type == sniff.WEBM.media_type:
        return validate.webm_header(source)
    return True


async def _checked_bytes(
    settings: Settings, received: ReceivedFile
) -> tuple[sniff.Sniffed, IO[bytes]]:
    """What the file is and the bytes to store (an image's re-encoded pixels)."""
    if received.size == 0:
        raise FileProblems.one(FileErrorCode.FILE_EMPTY, "The file is empty.", "file")
    found = received.sniffed
    if found is None or received.spool is None:
        raise FileProblems.one(
            FileErrorCode.UNSUPPORTED_FILE_TYPE,
            "Upload a PDF, JPEG or PNG document, or an MP4, MOV or WebM video.",
            "file",
        )
    if not sniff.name_agrees(received.filename or "", found):
        raise FileProblems.one(
            FileErrorCode.FILE_TYPE_MISMATCH,
            "The file's name says another type than its contents.",
            "file",
        )
    source = received.spool
    if found.media_type in (sniff.JPEG.media_type, sniff.PNG.media_type):
        source.seek(0)
        try:
            clean = await asyncio.to_thread(
                images.reencode, source, found.media_type, settings.image_max_pixels
            )
        except images.ImageTooLarge:
            raise FileProblems.one(
                FileErrorCode.IMAGE_TOO_LARGE,
                f"The image has more than {settings.image_max_pixels} pixels.",
                "file",
            ) from None
        except images.NotAnImage:
            raise FileProblems.one(
                FileErrorCode.INVALID_FILE, "The image cannot be read.", "file"
            ) from None
        return found, io.BytesIO(clean.data)
    if not await asyncio.to_thread(_structure_holds, found.media_type, source):
        raise FileProblems.one(
            FileErrorCode.INVALID_FILE, "The file is damaged or incomplete.", "file"
        )
    return found, source


async def upload(
    scope: AccessScope,
    settings: Settings,
    received: ReceivedFile,
    patient_id: int | None,
    *,
    for_message: bool = False,
) -> StoredFile:
    target = target_patient(scope, patient_id, for_message=for_message)
    found, source = await _checked_bytes(settings, received)
    chunked = await asyncio.to_thread(storage.digest, source)
    store = storage.storage_of(settings)
    key = storage.new_storage_key()
    if store == FileStorage.DIRECTORY:
        await asyncio.to_thread(storage.write_to_directory, settings, key, source)
    try:
        async with transaction():
            row = await StoredFile.create(
                public_id=uuid.uuid4(),
                patient_id=target,
                uploaded_by_id=scope.viewer.user_id,
                kind=found.kind,
                media_type=found.media_type,
                name=sniff.clean_name(received.filename),
                size=chunked.size,
                sha256=chunked.sha256,
                storage=store,
                storage_key=key,
                created_at=datetime.now(UTC),
            )
            await storage.save_chunks(row, source, chunked.chunk_hashes)
    except BaseException:
        if store == FileStorage.DIRECTORY:
            await asyncio.to_thread(storage.remove_from_directory, settings, key)
        raise
    log.info("files.stored", file_id=row.id, kind=row.kind.value, size=row.size)
    return row
