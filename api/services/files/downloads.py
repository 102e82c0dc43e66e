"""Who may download a file, and the audit row a download leaves.

A file is found by its public id (a UUID: row ids are not guessable from it) and is readable
by whoever reads its patient's documents (DOCUMENTS), and, when it is attached to a message, by
whoever reads the patient's messages (a caregiver with MESSAGES). Anything out of the viewer's
reach, including a malformed id, is "not found"; a file of a record they reach but whose
documents their grant leaves out is forbidden.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from api.access.needs import Need
from api.access.scope import AccessScope, forbidden_message
from api.errors import Forbidden
from api.models.files import StoredFile
from api.models.messaging import MessageAttachment
from api.services import audit
from api.services.files import storage
from api.settings import Settings


async def readable_file(scope: AccessScope, public_id: str) -> StoredFile | None:
    """The file to download; None when it does not exist for the viewer; Forbidden when the
    viewer's grant does not cover it."""
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        return None
    row = await StoredFile.get_or_none(public_id=key)
    if row is None or not scope.can_reach_patient(row.patient_id):
        return None
    if scope.can_read_patient(row.patient_id, Need.DOCUMENTS):
        return row
    # Attachments live on the patient's record: an attachment is the message's (one more
    # statement, for caregivers without DOCUMENTS only).
    if scope.can_read_patient(row.patient_id, Need.MESSAGES) and await MessageAttachment.exists(
        file_id=row.id
    ):
        return row
    raise Forbidden(forbidden_message(Need.DOCUMENTS))


async def record_download(
    scope: AccessScope, row: StoredFile, *, ip: str | None, request_id: str
) -> None:
    """One record-access row, like a GraphQL request that resolved this file."""
    await audit.record_accesses(
        [
            audit.RecordAccessEntry(
                actor_user_id=scope.viewer.user_id,
                actor_role=scope.actor_role(row.patient_id).value,
                patient_id=row.patient_id,
                resource="StoredFile",
                resource_id=str(row.id),
                action="READ",
                ip=ip,
                session_id=scope.viewer.session_id,
                request_id=request_id,
                emergency_access_id=scope.emergency_access_id(row.patient_id),
            )
        ]
    )


def content(settings: Settings, row: StoredFile) -> AsyncIterator[bytes]:
    return storage.read_chunks(settings, row)
