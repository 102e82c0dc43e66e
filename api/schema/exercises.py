"""The exercise library as the API shows it. Exercises are clinic content, not patient data."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.access.needs import clinic_content
from api.context import Info
from api.models import plans as models
from api.schema.errors import UserError, errors_from
from api.schema.relay import database_keys
from api.services.exercises import checks
from api.services.exercises.checks import DosageFields

BodyRegion = strawberry.enum(models.BodyRegion, description="Where on the body an exercise works.")


@clinic_content
@strawberry.type(description="How much of an exercise: a prescription's or the library default.")
class Dosage:
    sets: int | None
    reps: int | None
    hold_seconds: int | None
    duration_seconds: int | None
    times_per_day: int
    days_per_week: int


@clinic_content
@strawberry.type(
    description="One exercise with its instructions, media and easier/harder variants."
)
class Exercise(relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    body_region: BodyRegion  # type: ignore[valid-type]
    instructions: list[str] = strawberry.field(description="Steps, in order, in plain words.")
    equipment: list[str]
    cautions: str
    video_url: str | None
    image_urls: list[str]
    default_dosage: Dosage
    custom: bool = strawberry.field(
        description="Added by the clinic, not from the shipped library."
    )
    archived: bool
    created_at: datetime
    regression_id: strawberry.Private[int | None]
    progression_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Exercise) -> Exercise:
        return cls(
            id=row.id,
            slug=row.slug,
            name=row.name,
            body_region=row.body_region,
            instructions=list(row.instructions),
            equipment=list(row.equipment),
            cautions=row.cautions,
            video_url=row.video_url or None,
            image_urls=list(row.image_urls),
            default_dosage=Dosage(
                sets=row.sets,
                reps=row.reps,
                hold_seconds=row.hold_seconds,
                duration_seconds=row.duration_seconds,
                times_per_day=row.times_per_day,
                days_per_week=row.days_per_week,
            ),
            custom=row.created_by_id is not None,
            archived=row.archived,
            created_at=row.created_at,
            regression_id=row.regression_id,
            progression_id=row.progression_id,
        )

    @strawberry.field(description="The easier variant, if there is one.")
    async def regression(self, info: Info) -> Exercise | None:
        return await _load(info, self.regression_id)

    @strawberry.field(description="The harder variant, if there is one.")
    async def progression(self, info: Info) -> Exercise | None:
        return await _load(info, self.progression_id)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Exercise | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        return list(await asyncio.gather(*(_load(info, key) for key in keys)))


async def _load(info: Info, exercise_id: int | None) -> Exercise | None:
    if exercise_id is None:
        return None
    row = await info.context.loaders.exercises.exercise_by_id.load(exercise_id)
    return Exercise.from_model(row) if row is not None else None


# --- inputs ---------------------------------------------------------------------------------


@strawberry.input(description="Catalogue search; every criterion given must hold.")
class ExerciseFilter:
    body_region: BodyRegion | None = None  # type: ignore[valid-type]
    text: str | None = strawberry.field(
        default=None, description="Words found, in any case, in the name."
    )
    equipment: str | None = strawberry.field(
        default=None, description='Uses this piece of equipment, e.g. "resistance band".'
    )
    include_archived: bool = strawberry.field(
        default=False, description="Also list exercises taken out of the catalogue."
    )


@strawberry.input(description="A default dosage: at least one of sets, reps, hold or duration.")
class DosageInput:
    sets: int | None = strawberry.field(default=None, description="1 to 20.")
    reps: int | None = strawberry.field(default=None, description="1 to 100.")
    hold_seconds: int | None = strawberry.field(default=None, description="1 to 600.")
    duration_seconds: int | None = strawberry.field(default=None, description="1 to 7200.")
    times_per_day: int = strawberry.field(default=1, description="1 to 6.")
    days_per_week: int = strawberry.field(default=7, description="1 to 7.")

    def to_fields(self) -> DosageFields:
        return DosageFields(
            sets=self.sets,
            reps=self.reps,
            hold_seconds=self.hold_seconds,
            duration_seconds=self.duration_seconds,
            times_per_day=self.times_per_day,
            days_per_week=self.days_per_week,
        )


@strawberry.input(description="A clinic's own exercise (therapists and admins).")
class CreateExerciseInput:
    name: str = strawberry.field(description="At most 120 characters.")
    body_region: BodyRegion  # type: ignore[valid-type]
    instructions: list[str] = strawberry.field(description="3 to 7 steps, in order.")
    equipment: list[str] = strawberry.field(default_factory=list)
    cautions: str = ""
    video_url: str | None = strawberry.field(default=None, description="An https:// address.")
    image_urls: list[str] = strawberry.field(
        default_factory=list, description="https:// addresses, at most 10."
    )
    default_dosage: DosageInput
    regression_id: strawberry.ID | None = strawberry.field(
        default=None, description="The easier variant."
    )
    progression_id: strawberry.ID | None = strawberry.field(
        default=None, description="The harder variant."
    )


@strawberry.input(
    description="Changes to an exercise; a field left out stays as it is. The shipped library "
    "is changed by admins only (and `portal sync-exercises` restores its text)."
)
class UpdateExerciseInput:
    id: strawberry.ID
    name: str | None = None
    body_region: BodyRegion | None = None  # type: ignore[valid-type]
    instructions: list[str] | None = None
    equipment: list[str] | None = None
    cautions: str | None = None
    video_url: str | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the video."
    )
    image_urls: list[str] | None = None
    default_dosage: DosageInput | None = strawberry.field(
        default=None, description="Replaces the whole default dosage."
    )
    regression_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the link."
    )
    progression_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the link."
    )


# --- results --------------------------------------------------------------------------------

ExerciseErrorCode = strawberry.enum(
    checks.ExerciseErrorCode, description="Stable codes of exercise catalogue errors."
)


@strawberry.type(description="One problem with an exercise change, with the field it is about.")
class ExerciseError(UserError):
    code: ExerciseErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The change did not happen; every problem is listed.")
class ExerciseErrors:
    errors: list[ExerciseError]

    @classmethod
    def from_problems(cls, problems: checks.ExerciseProblems) -> ExerciseErrors:
        return cls(errors=errors_from(ExerciseError, problems))


@strawberry.type
class ExercisePayload:
    exercise: Exercise


ExerciseResult = Annotated[ExercisePayload | ExerciseErrors, strawberry.union("ExerciseResult")]

TYPES: tuple[type, ...] = (Exercise, ExerciseError)
