"""The shipped exercise library in the database, kept in step by slug; safe to run any time.

A run writes only what differs from the library file: a second run in a row changes nothing.
Exercises a clinic added itself (created_by set) are never touched. A library exercise that
the file no longer ships is archived, not deleted: plans that prescribe it keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.models.plans import Exercise
from api.realtime.events import transaction
from api.services.exercise_library import LibraryExercise, load_library


@dataclass(frozen=True, slots=True)
class LibrarySync:
    total: int
    added: int
    updated: int
    relinked: int
    retired: int

    def summary(self) -> str:
        return (
            f"exercise library: {self.total} exercises ({self.added} added, "
            f"{self.updated} updated, {self.relinked} relinked, {self.retired} retired)"
        )


class LibraryClash(RuntimeError):
    """A clinic's own exercise holds a slug the library ships."""


def _columns(entry: LibraryExercise) -> dict[str, Any]:
    dosage = entry.default_dosage
    return {
        "name": entry.name,
        "body_region": entry.body_region,
        "instructions": list(entry.instructions),
        "equipment": list(entry.equipment),
        "cautions": entry.cautions,
        "sets": dosage.sets,
        "reps": dosage.reps,
        "hold_seconds": dosage.hold_seconds,
        "duration_seconds": dosage.duration_seconds,
        "times_per_day": dosage.times_per_day,
        "days_per_week": dosage.days_per_week,
    }


def _differs(row: Exercise, columns: dict[str, Any]) -> dict[str, Any]:
    return {column: value for column, value in columns.items() if getattr(row, column) != value}


async def reconcile_library() -> LibrarySync:
    """Insert what is missing, update what changed, link variants, archive what was dropped."""
    library = load_library()
    slugs = [entry.slug for entry in library]
    added = updated = relinked = 0
    async with transaction():
        rows = {row.slug: row for row in await Exercise.filter(slug__in=slugs)}
        taken = sorted(slug for slug, row in rows.items() if row.created_by_id is not None)
        if taken:
            raise LibraryClash(f"clinic exercises use library slugs: {', '.join(taken)}")
        for entry in library:
            columns = _columns(entry)
            row = rows.get(entry.slug)
            if row is None:
                rows[entry.slug] = await Exercise.create(slug=entry.slug, **columns)
                added += 1
            elif changed := _differs(row, columns):
                await Exercise.filter(id=row.id).update(**changed)
                updated += 1
        for entry in library:
            row = rows[entry.slug]
            links = {
                "regression_id": rows[entry.regression].id if entry.regression else None,
                "progression_id": rows[entry.progression].id if entry.progression else None,
            }
            if changed := _differs(row, links):
                await Exercise.filter(id=row.id).update(**changed)
                relinked += 1
        retired = (
            await Exercise.filter(created_by_id=None, archived=False)
            .exclude(slug__in=slugs)
            .update(archived=True)
        )
    return LibrarySync(
        total=len(library), added=added, updated=updated, relinked=relinked, retired=retired
    )


async def sync_library() -> int:
    """Bring the database in step with the shipped library; returns the library's size."""
    return (await reconcile_library()).total
