"""Who may download a file, and the audit row a download leaves.

A file is found by its public id (a UUID: row ids are not guessable from it) and is readable
by whoever reads its patient's record. Anything else, including a malformed id, is "not found".
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from api.access.needs import Need
from api.access.scope import AccessScope
from api.models.files import StoredFile
from api.services import audit
from api.services.files import storage
from api.settings import Settings


async def readable_file(scope: AccessScope, public_id: str) -> StoredFile | None:
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        return None
    row = await StoredFile.get_or_none(public_id=key)
    if row is None or not scope.can_read_patient(row.patient_id, Need.DOCUMENTS):
        return None
    return row


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
