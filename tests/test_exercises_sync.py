"""Keeping the shipped library in step: idempotent, repairs drift, never touches clinic rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from api.models.accounts import Role
from api.models.plans import BodyRegion, Exercise
from api.services.exercise_library import load_library
from api.services.exercises import reconcile_library, sync_library
from api.services.exercises.library_sync import LibraryClash, LibrarySync
from tests.accounts_support import make_user
from tests.cli import portal_env, run_portal
from tests.sql_counter import count_sql


async def _links() -> dict[str, tuple[str | None, str | None]]:
    rows = await Exercise.filter(created_by_id=None)
    slug_of = {row.id: row.slug for row in rows}
    return {
        row.slug: (
            slug_of.get(row.regression_id) if row.regression_id else None,
            slug_of.get(row.progression_id) if row.progression_id else None,
        )
        for row in rows
    }


async def test_running_twice_changes_nothing_the_second_time(database: None) -> None:
    first = await reconcile_library()
    assert first == LibrarySync(total=62, added=62, updated=0, relinked=20, retired=0)
    links = await _links()
    expected = {entry.slug: (entry.regression, entry.progression) for entry in load_library()}
    assert links == expected

    author = await make_user("dana@clinic.test", roles=(Role.THERAPIST,), name="Dana")
    quad = await Exercise.get(slug="quad-set")
    own = await Exercise.create(
        slug="custom-quad-set",
        name="Quad set, our way",
        body_region=BodyRegion.KNEE,
        instructions=["One.", "Two.", "Three."],
        sets=1,
        regression_id=quad.id,
        created_by_id=author.id,
    )
    with count_sql() as sql:
        second = await reconcile_library()
    assert second == LibrarySync(total=62, added=0, updated=0, relinked=0, retired=0)
    writes = [s for s in sql.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 1  # only the retiring update, which finds nothing to retire
    assert '"archived"' in writes[0]
    assert await Exercise.filter(created_by_id=None).count() == 62
    assert await Exercise.all().count() == 63
    assert await _links() == expected
    untouched = await Exercise.get(id=own.id)
    assert (untouched.name, untouched.regression_id, untouched.archived) == (
        "Quad set, our way",
        quad.id,
        False,
    )
    assert await sync_library() == 62


async def test_drift_is_repaired_and_dropped_entries_retired(database: None) -> None:
    await sync_library()
    quad = await Exercise.get(slug="quad-set")
    original_name = quad.name
    await Exercise.filter(id=quad.id).update(name="Edited by hand", progression_id=None)
    retired = await Exercise.create(
        slug="no-longer-shipped",
        name="Old exercise",
        body_region=BodyRegion.NECK,
        instructions=["One.", "Two.", "Three."],
        sets=1,
    )
    report = await reconcile_library()
    assert report == LibrarySync(total=62, added=0, updated=1, relinked=1, retired=1)
    repaired = await Exercise.get(id=quad.id)
    leg_raise = await Exercise.get(slug="straight-leg-raise")
    assert (repaired.name, repaired.progression_id) == (original_name, leg_raise.id)
    assert (await Exercise.get(id=retired.id)).archived is True


async def test_a_clinic_row_holding_a_library_slug_stops_the_sync(database: None) -> None:
    author = await make_user("dana@clinic.test", roles=(Role.THERAPIST,), name="Dana")
    await Exercise.create(
        slug="quad-set",
        name="Ours",
        body_region=BodyRegion.KNEE,
        instructions=["One.", "Two.", "Three."],
        sets=1,
        created_by_id=author.id,
    )
    with pytest.raises(LibraryClash, match="quad-set"):
        await reconcile_library()
    assert await Exercise.all().count() == 1


async def test_the_sync_exercises_command(
    make_empty_database: Callable[[], Awaitable[str]],
) -> None:
    url = await make_empty_database()
    env = portal_env(database_url=url)
    refused = run_portal(["sync-exercises"], env)
    assert refused.returncode == 2
    assert "portal migrate" in refused.stderr
    assert run_portal(["migrate"], env).returncode == 0
    first = run_portal(["sync-exercises"], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (
        "exercise library: 62 exercises (62 added, 0 updated, 20 relinked, 0 retired)"
    )
    second = run_portal(["sync-exercises"], env)
    assert second.stdout.strip() == (
        "exercise library: 62 exercises (0 added, 0 updated, 0 relinked, 0 retired)"
    )
