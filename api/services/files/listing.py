"""Reading a patient's files: the list, newest first."""

from __future__ import annotations

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import BadUserInput
from api.models.files import FileKind, StoredFile
from api.services.pagination import Page, paginate


async def files_page(
    scope: AccessScope,
    patient_id: int | None,
    *,
    kind: FileKind | None,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[StoredFile]:
    scope.require_authenticated()
    target = patient_id if patient_id is not None else scope.default_patient_id
    if target is None:
        raise BadUserInput("Name the patient whose files to list.", field="patientId")
    scope.require_patient(target, Need.DOCUMENTS)
    rows = StoredFile.filter(patient_id=target)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return await paginate(
        rows, first=first, after=after, max_page_size=max_page_size, descending=True
    )
