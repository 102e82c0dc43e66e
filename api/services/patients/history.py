"""Pages of a patient's profile history, newest first, through the request's batched loader."""

from __future__ import annotations

from api.loaders.patients import HistoryPageKey, ProfileChangeRow, ProfileChangesByPatientIdLoader
from api.models.patients import ProfileSection
from api.services.pagination import Page, decode_cursor, encode_cursor, page_size


async def history_page(
    loader: ProfileChangesByPatientIdLoader,
    patient_id: int,
    *,
    first: int | None,
    after: str | None,
    section: ProfileSection | None,
    max_page_size: int,
) -> Page[ProfileChangeRow]:
    """The caller has checked the viewer may read this patient's history."""
    size = page_size(first, max_page_size)
    before_id = decode_cursor(after) if after is not None else None
    # One row more than asked tells whether there is a next page.
    rows = await loader.load(HistoryPageKey(patient_id, size + 1, section, before_id))
    shown = rows[:size]
    return Page(
        rows=shown,
        cursors=[encode_cursor(row.id) for row in shown],
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
    )
