"""The exercise catalogue: browsing it, and the clinic's own exercises beside the library.

Anyone signed in browses the catalogue (it is clinic content, not patient data). Therapists
and admins add exercises of their own and keep them up to date; the shipped library
(created_by null) is kept by admins only, and `portal sync-exercises` restores its text.
Nothing is deleted: an exercise leaves the catalogue by being archived, so the plans that
prescribe it keep it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from tortoise.exceptions import IntegrityError
from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet

from api.access.scope import AccessScope
from api.errors import BadUserInput, Forbidden, NotFound
from api.models.accounts import Role
from api.models.plans import BodyRegion, Exercise
from api.services.exercises.checks import (
    BAD_ID,
    KEEP,
    ExerciseChanges,
    ExerciseErrorCode,
    Marker,
    Problems,
    check_columns,
)
from api.services.keyset import SortKey, decode_cursor, keyset_page
from api.services.pagination import Page

MAX_SEARCH_TEXT = 200
CUSTOM_SLUG_PREFIX = "custom-"  # never a library slug, so a sync cannot take a clinic's row
MAX_SLUG_BASE = 64
SLUG_ATTEMPTS = 5
CATALOGUE_ORDER = SortKey(paths=("body_region", "name", "id"), kinds=(str, str, int))
_REGIONS = frozenset(region.value for region in BodyRegion)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

Code = ExerciseErrorCode


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    body_region: BodyRegion | None = None
    text: str | None = None
    equipment: str | None = None
    include_archived: bool = False


def _search_words(text: str) -> list[str]:
    if len(text) > MAX_SEARCH_TEXT:
        raise BadUserInput(
            f"Search with at most {MAX_SEARCH_TEXT} characters.", field="filter.text"
        )
    return text.split()


def _filtered(criteria: CatalogueFilter) -> QuerySet[Exercise]:
    queryset = Exercise.all()
    if not criteria.include_archived:
        queryset = queryset.filter(archived=False)
    if criteria.body_region is not None:
        queryset = queryset.filter(body_region=criteria.body_region)
    for word in _search_words(criteria.text or ""):
        queryset = queryset.filter(name__icontains=word)
    item = " ".join((criteria.equipment or "").split())
    if item:
        # One item of the JSON list, in any case: its quoted JSON form within the column's text,
        # which reads the same on SQLite (JSON text) and PostgreSQL (jsonb cast to text).
        column = f'CAST("{Exercise._meta.db_table}"."equipment" AS TEXT)'
        queryset = queryset.annotate(equipment_text=RawSQL(column)).filter(
            equipment_text__icontains=orjson.dumps(item).decode()
        )
    return queryset


async def _rows(queryset: QuerySet[Any]) -> Sequence[Exercise]:
    return list(await queryset)


def _check_cursor(after: str | None) -> None:
    # The body region is compared as text in SQL; a forged cursor naming no region stops here.
    if after is not None and decode_cursor(after, CATALOGUE_ORDER)[0] not in _REGIONS:
        raise BadUserInput("This page cursor is not valid.", field="after")


async def search(
    scope: AccessScope,
    criteria: CatalogueFilter,
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[Exercise]:
    """One page by body region, name, then id: one statement."""
    scope.require_authenticated()
    _check_cursor(after)
    return await keyset_page(
        _filtered(criteria),
        CATALOGUE_ORDER,
        first=first,
        after=after,
        max_page_size=max_page_size,
        fetch=_rows,
        key_of=lambda row: (row.body_region.value, row.name, row.id),
    )


def _require_editor(scope: AccessScope) -> int:
    user_id = scope.require_authenticated()
    if not (scope.viewer.has_role(Role.THERAPIST) or scope.viewer.has_role(Role.ADMIN)):
        raise Forbidden("Only therapists and admins can change the exercise catalogue.")
    return user_id


async def _editable(scope: AccessScope, exercise_id: int) -> Exercise:
    _require_editor(scope)
    row = await Exercise.get_or_none(id=exercise_id)
    if row is None:
        raise NotFound("No such exercise.")
    if row.created_by_id is None and not scope.is_admin:
        raise Forbidden("The shipped library is kept by admins: add a clinic exercise to vary one.")
    return row


async def _check_links(
    problems: Problems, changes: ExerciseChanges, row: Exercise | None
) -> dict[str, Any]:
    links: dict[str, Any] = {}
    wanted: dict[str, tuple[str, int]] = {}
    given = (
        ("regression_id", "regressionId", changes.regression_id),
        ("progression_id", "progressionId", changes.progression_id),
    )
    for column, name, value in given:
        if value is KEEP:
            continue
        if value is BAD_ID:
            problems.add(Code.INVALID_ID, "This is not the id of an exercise.", name)
        elif value is None:
            links[column] = None
        elif row is not None and value == row.id:
            problems.add(Code.SELF_LINK, "An exercise cannot be its own variant.", name)
        elif not isinstance(value, Marker):
            wanted[column] = (name, value)
    if wanted:
        ids = [value for _, value in wanted.values()]
        rows = await Exercise.filter(id__in=ids).values("id", "archived")
        archived = {int(row["id"]): bool(row["archived"]) for row in rows}
        for column, (name, value) in wanted.items():
            if value not in archived:
                problems.add(Code.UNKNOWN_EXERCISE, "There is no exercise with this id.", name)
            elif archived[value]:
                problems.add(Code.ARCHIVED_EXERCISE, "This exercise is archived.", name)
            else:
                links[column] = value
    easier = links.get("regression_id", row.regression_id if row else None)
    harder = links.get("progression_id", row.progression_id if row else None)
    if easier is not None and easier == harder:
        problems.add(
            Code.SAME_VARIANT, "The easier and the harder variant must differ.", "progressionId"
        )
    return links


def _slug_base(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = _NOT_SLUG.sub("-", ascii_name).strip("-")[:MAX_SLUG_BASE].strip("-")
    return f"{CUSTOM_SLUG_PREFIX}{words or 'exercise'}"


async def _free_slug(name: str) -> str:
    base = _slug_base(name)
    taken = {
        str(row["slug"]) for row in await Exercise.filter(slug__startswith=base).values("slug")
    }
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


async def create(scope: AccessScope, changes: ExerciseChanges) -> Exercise:
    user_id = _require_editor(scope)
    problems = Problems()
    columns = check_columns(problems, changes, creating=True)
    links = await _check_links(problems, changes, None)
    problems.raise_if_any()
    for _ in range(SLUG_ATTEMPTS):
        slug = await _free_slug(columns["name"])
        try:
            return await Exercise.create(slug=slug, created_by_id=user_id, **columns, **links)
        except IntegrityError:  # someone took the slug between the read and the insert
            continue
    raise RuntimeError(f"no free slug for a new exercise after {SLUG_ATTEMPTS} attempts")


async def update(scope: AccessScope, exercise_id: int, changes: ExerciseChanges) -> Exercise:
    row = await _editable(scope, exercise_id)
    problems = Problems()
    columns = check_columns(problems, changes, creating=False)
    links = await _check_links(problems, changes, row)
    problems.raise_if_any()
    wanted: dict[str, Any] = {**columns, **links}
    changed = {column: value for column, value in wanted.items() if getattr(row, column) != value}
    if changed:
        await Exercise.filter(id=row.id).update(**changed)
        row = await Exercise.get(id=row.id)
    return row


async def set_archived(scope: AccessScope, exercise_id: int, archived: bool) -> Exercise:
    row = await _editable(scope, exercise_id)
    if row.archived is not archived:
        await Exercise.filter(id=row.id).update(archived=archived)
        row.archived = archived
    return row
