"""Batch loads of the exercise library: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aiodataloader import DataLoader

from api.models.plans import Exercise


class ExerciseByIdLoader(DataLoader[int, Exercise | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[Exercise | None]:
        rows = {row.id: row for row in await Exercise.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


@dataclass(slots=True)
class ExercisesLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""

    exercise_by_id: ExerciseByIdLoader = field(default_factory=ExerciseByIdLoader)
