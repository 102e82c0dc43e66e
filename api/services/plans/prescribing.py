"""A prescription's exercise, variant and dosage, resolved from what the therapist asked.

The therapist picks an exercise (the base) and an ability level; the patient performs the
base at STANDARD, its easier variant at REGRESSION, its harder one at PROGRESSION. Dosage
fields left out are copied from the performed exercise's library default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from api.models.plans import AbilityLevel, Exercise
from api.services.plans.commands import DOSAGE_FIELDS, PrescriptionDraft
from api.services.plans.errors import PlanErrorCode, Problem
from api.services.plans.validation import at, check_dosage, check_text

Catalogue = Mapping[int, Exercise]


@dataclass(frozen=True, slots=True)
class Prescribed:
    base: Exercise
    performed: Exercise
    level: AbilityLevel
    dosage: dict[str, int | None]
    notes: str


async def catalogue_for(exercise_ids: Iterable[int]) -> dict[int, Exercise]:
    """The exercises asked for and their easier and harder variants (two statements at most)."""
    ids = set(exercise_ids)
    if not ids:
        return {}
    rows = {row.id: row for row in await Exercise.filter(id__in=list(ids))}
    variant_ids = {
        variant
        for row in rows.values()
        for variant in (row.regression_id, row.progression_id)
        if variant is not None and variant not in rows
    }
    if variant_ids:
        rows.update({row.id: row for row in await Exercise.filter(id__in=list(variant_ids))})
    return rows


def choose_variant(
    base: Exercise, level: AbilityLevel, catalogue: Catalogue, prefix: str = ""
) -> tuple[Exercise | None, list[Problem]]:
    """The exercise performed at `level`, or the problem that there is none to perform."""
    if level is AbilityLevel.STANDARD:
        return base, []
    easier = level is AbilityLevel.REGRESSION
    variant_id: int | None = base.regression_id if easier else base.progression_id
    variant = catalogue.get(variant_id) if variant_id is not None else None
    if variant is None:
        word = "easier" if easier else "harder"
        message = f"{base.name} has no {word} version in the library."
        return None, [Problem(PlanErrorCode.NO_VARIANT, message, at(prefix, "level"))]
    if variant.archived:
        message = f"{variant.name} is archived and cannot be prescribed."
        return None, [Problem(PlanErrorCode.EXERCISE_ARCHIVED, message, at(prefix, "level"))]
    return variant, []


def prescribe(
    draft: PrescriptionDraft, catalogue: Catalogue, prefix: str = ""
) -> tuple[Prescribed | None, list[Problem]]:
    problems = check_text(draft.notes, "notes", prefix)
    field = at(prefix, "exerciseId")
    base = catalogue.get(draft.exercise_id) if draft.exercise_id is not None else None
    if draft.exercise_id is None:
        problems.append(Problem(PlanErrorCode.INVALID_ID, "This is not an exercise id.", field))
    elif base is None:
        message = "There is no such exercise in the library."
        problems.append(Problem(PlanErrorCode.EXERCISE_NOT_FOUND, message, field))
    elif base.archived:
        message = f"{base.name} is archived and cannot be prescribed."
        problems.append(Problem(PlanErrorCode.EXERCISE_ARCHIVED, message, field))
    if base is None or base.archived:
        return None, problems
    performed, variant_problems = choose_variant(base, draft.level, catalogue, prefix)
    problems += variant_problems
    if performed is None:
        return None, problems
    asked = draft.dosage.as_dict()
    dosage = {
        name: asked[name] if asked[name] is not None else getattr(performed, name)
        for name in DOSAGE_FIELDS
    }
    problems += check_dosage(dosage, prefix)
    if problems:
        return None, problems
    return Prescribed(base, performed, draft.level, dosage, draft.notes.strip()), []
