"""Root queries and mutations of the exercises domain; thin: parse, call a service, map."""

from __future__ import annotations

import strawberry


@strawberry.type
class ExercisesQuery:
    pass


@strawberry.type
class ExercisesMutation:
    pass
