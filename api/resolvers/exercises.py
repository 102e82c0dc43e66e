"""The exercise catalogue's root fields; thin: parse input, call a service, map.

Expected outcomes (a step too many, a dosage out of bounds, an unknown variant) come back as
`ExerciseErrors`; request-level ones (not signed in, not allowed, no such exercise) as coded
top-level errors.
"""

from __future__ import annotations

from typing import TypeVar

import strawberry
from strawberry import relay

from api.context import Info
from api.errors import BadUserInput
from api.schema import exercises as types
from api.schema.relay import connection_from_page, database_key, parse_global_id
from api.services.exercises import catalogue
from api.services.exercises.checks import (
    BAD_ID,
    KEEP,
    ExerciseChanges,
    ExerciseProblems,
    Marker,
)

T = TypeVar("T")


def _exercise_key(value: str, field: str = "id") -> int:
    return database_key(parse_global_id(value, field), "Exercise", field)


def _link(value: strawberry.ID | object | None) -> int | Marker | None:
    """A variant link: KEEP when left out, None to remove, BAD_ID when not an Exercise id."""
    if value is strawberry.UNSET:
        return KEEP
    if value is None:
        return None
    try:
        return _exercise_key(str(value))
    except BadUserInput:
        return BAD_ID


def _keep_if_none(value: T | None) -> T | Marker:
    return KEEP if value is None else value


def _create_changes(given: types.CreateExerciseInput) -> ExerciseChanges:
    return ExerciseChanges(
        name=given.name,
        body_region=given.body_region,
        instructions=given.instructions,
        equipment=given.equipment,
        cautions=given.cautions,
        video_url=given.video_url,
        image_urls=given.image_urls,
        dosage=given.default_dosage.to_fields(),
        regression_id=_link(given.regression_id),
        progression_id=_link(given.progression_id),
    )


def _update_changes(given: types.UpdateExerciseInput) -> ExerciseChanges:
    return ExerciseChanges(
        name=_keep_if_none(given.name),
        body_region=_keep_if_none(given.body_region),
        instructions=_keep_if_none(given.instructions),
        equipment=_keep_if_none(given.equipment),
        cautions=_keep_if_none(given.cautions),
        video_url=KEEP if given.video_url is strawberry.UNSET else given.video_url,
        image_urls=_keep_if_none(given.image_urls),
        dosage=KEEP if given.default_dosage is None else given.default_dosage.to_fields(),
        regression_id=_link(given.regression_id),
        progression_id=_link(given.progression_id),
    )


@strawberry.type
class ExercisesQuery:
    @strawberry.field(
        description="The exercise catalogue by body region, then name, for any signed-in user."
    )
    async def exercises(
        self,
        info: Info,
        filter: types.ExerciseFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[types.Exercise]:
        given = filter or types.ExerciseFilter()
        page = await catalogue.search(
            await info.context.scope(),
            catalogue.CatalogueFilter(
                body_region=given.body_region,
                text=given.text,
                equipment=given.equipment,
                include_archived=given.include_archived,
            ),
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, types.Exercise.from_model)

    @strawberry.field(description="One exercise (archived ones too: plans still use them).")
    async def exercise(self, info: Info, id: strawberry.ID) -> types.Exercise | None:
        scope = await info.context.scope()
        scope.require_authenticated()
        row = await info.context.loaders.exercises.exercise_by_id.load(_exercise_key(id))
        return types.Exercise.from_model(row) if row is not None else None


@strawberry.type
class ExercisesMutation:
    @strawberry.mutation(description="A therapist or admin adds a clinic exercise.")
    async def create_exercise(
        self, info: Info, input: types.CreateExerciseInput
    ) -> types.ExerciseResult:
        scope = await info.context.scope()
        try:
            row = await catalogue.create(scope, _create_changes(input))
        except ExerciseProblems as problems:
            return types.ExerciseErrors.from_problems(problems)
        return types.ExercisePayload(exercise=types.Exercise.from_model(row))

    @strawberry.mutation(
        description="A therapist or admin changes a clinic exercise (admins: any exercise)."
    )
    async def update_exercise(
        self, info: Info, input: types.UpdateExerciseInput
    ) -> types.ExerciseResult:
        scope = await info.context.scope()
        exercise_id = _exercise_key(input.id)
        try:
            row = await catalogue.update(scope, exercise_id, _update_changes(input))
        except ExerciseProblems as problems:
            return types.ExerciseErrors.from_problems(problems)
        return types.ExercisePayload(exercise=types.Exercise.from_model(row))

    @strawberry.mutation(
        description="Take an exercise out of the catalogue; plans that use it keep it."
    )
    async def archive_exercise(self, info: Info, id: strawberry.ID) -> types.ExercisePayload:
        row = await catalogue.set_archived(await info.context.scope(), _exercise_key(id), True)
        return types.ExercisePayload(exercise=types.Exercise.from_model(row))

    @strawberry.mutation(description="Put an archived exercise back in the catalogue.")
    async def restore_exercise(self, info: Info, id: strawberry.ID) -> types.ExercisePayload:
        row = await catalogue.set_archived(await info.context.scope(), _exercise_key(id), False)
        return types.ExercisePayload(exercise=types.Exercise.from_model(row))
