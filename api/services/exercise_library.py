"""The clinic's starter exercise library, shipped as data (api/data/exercises.json).

Therapists build home programs from these entries, so the file is checked as a whole when it
is read: a broken link between an easier and a harder variant would otherwise only surface when
someone tried to progress a patient.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from api.models.plans import BodyRegion

__all__ = ["BodyRegion", "Dosage", "LibraryExercise", "chains", "load_library", "parse_library"]

LIBRARY_FILE = "exercises.json"

MIN_STEPS = 3
MAX_STEPS = 7  # more than this and a patient stops reading; split the exercise instead
MAX_TIMES_PER_DAY = 6

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_FIELDS = frozenset(
    {
        "slug",
        "name",
        "body_region",
        "instructions",
        "equipment",
        "default_dosage",
        "cautions",
        "regression",
        "progression",
    }
)
_DOSE_AMOUNTS = ("sets", "reps", "hold_seconds", "duration_seconds")
_DOSAGE_FIELDS = frozenset({*_DOSE_AMOUNTS, "times_per_day", "days_per_week"})


_REGIONS = frozenset(region.value for region in BodyRegion)


@dataclass(frozen=True)
class Dosage:
    sets: int | None
    reps: int | None
    hold_seconds: int | None
    duration_seconds: int | None
    times_per_day: int
    days_per_week: int


@dataclass(frozen=True)
class LibraryExercise:
    slug: str
    name: str
    body_region: BodyRegion
    instructions: tuple[str, ...]
    equipment: tuple[str, ...]
    default_dosage: Dosage
    cautions: str
    regression: str | None  # slug of the easier variant
    progression: str | None  # slug of the harder variant


@cache
def load_library() -> tuple[LibraryExercise, ...]:
    """The shipped library, read and validated on first use, once per process."""
    text = files("api.data").joinpath(LIBRARY_FILE).read_text(encoding="utf-8")
    raw: object = json.loads(text)
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        raise ValueError(f"{LIBRARY_FILE} must hold a list of exercise objects")
    return parse_library(raw)


def parse_library(raw: Sequence[Mapping[str, object]]) -> tuple[LibraryExercise, ...]:
    """Build and validate the library; ValueError names the first offending exercise."""
    exercises: list[LibraryExercise] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        exercise = _parse_exercise(entry, index)
        if exercise.slug in seen:
            raise ValueError(f"exercise {exercise.slug!r}: slug is used more than once")
        seen.add(exercise.slug)
        exercises.append(exercise)
    _check_links({exercise.slug: exercise for exercise in exercises})
    return tuple(exercises)


def chains(library: Sequence[LibraryExercise]) -> tuple[tuple[LibraryExercise, ...], ...]:
    """Each run of two or more variants, easiest first (the library must already be valid)."""
    by_slug = {exercise.slug: exercise for exercise in library}
    found: list[tuple[LibraryExercise, ...]] = []
    for head in library:
        if head.regression is not None or head.progression is None:
            continue
        chain = [head]
        while (step := chain[-1].progression) is not None:
            chain.append(by_slug[step])
        found.append(tuple(chain))
    return tuple(found)


def _parse_exercise(entry: Mapping[str, object], index: int) -> LibraryExercise:
    slug = entry.get("slug")
    if not isinstance(slug, str) or SLUG_PATTERN.fullmatch(slug) is None:
        raise ValueError(f"exercise #{index}: slug must be kebab-case text, got {slug!r}")
    where = f"exercise {slug!r}"
    _check_fields(entry, _FIELDS, where)

    region = entry["body_region"]
    if not isinstance(region, str) or region not in _REGIONS:
        raise ValueError(f"{where}: unknown body_region {region!r}")

    instructions = _text_list(entry["instructions"], "instructions", where)
    if not MIN_STEPS <= len(instructions) <= MAX_STEPS:
        raise ValueError(f"{where}: instructions need {MIN_STEPS} to {MAX_STEPS} steps")

    return LibraryExercise(
        slug=slug,
        name=_text(entry["name"], "name", where),
        body_region=BodyRegion(region),
        instructions=instructions,
        equipment=_text_list(entry["equipment"], "equipment", where),
        default_dosage=_parse_dosage(entry["default_dosage"], where),
        cautions=_text(entry["cautions"], "cautions", where),
        regression=_link(entry["regression"], "regression", slug, where),
        progression=_link(entry["progression"], "progression", slug, where),
    )


def _parse_dosage(value: object, where: str) -> Dosage:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: default_dosage must be an object")
    _check_fields(value, _DOSAGE_FIELDS, f"{where} default_dosage")
    amounts = [_optional_count(value[key], key, where) for key in _DOSE_AMOUNTS]
    if all(amount is None for amount in amounts):
        raise ValueError(f"{where}: default_dosage needs sets, reps, hold or duration")
    sets, reps, hold_seconds, duration_seconds = amounts
    return Dosage(
        sets=sets,
        reps=reps,
        hold_seconds=hold_seconds,
        duration_seconds=duration_seconds,
        times_per_day=_count_in(value["times_per_day"], "times_per_day", MAX_TIMES_PER_DAY, where),
        days_per_week=_count_in(value["days_per_week"], "days_per_week", 7, where),
    )


def _check_links(by_slug: Mapping[str, LibraryExercise]) -> None:
    # Dangling links first, so the message names the entry with the typo rather than its partner.
    for exercise in by_slug.values():
        for kind, target in (
            ("regression", exercise.regression),
            ("progression", exercise.progression),
        ):
            if target is not None and target not in by_slug:
                raise ValueError(
                    f"exercise {exercise.slug!r}: {kind} {target!r} is not in the library"
                )
    for exercise in by_slug.values():
        where = f"exercise {exercise.slug!r}"
        # Both directions, so every exercise sits on at most one straight chain: a therapist
        # stepping a patient down and back up must land where they started.
        if exercise.progression is not None:
            harder = by_slug[exercise.progression]
            if harder.regression != exercise.slug:
                raise ValueError(
                    f"{where}: progression {harder.slug!r} must have regression {exercise.slug!r}"
                )
        if exercise.regression is not None:
            easier = by_slug[exercise.regression]
            if easier.progression != exercise.slug:
                raise ValueError(
                    f"{where}: regression {easier.slug!r} must have progression {exercise.slug!r}"
                )
    # Consistent links can still close a loop (A -> B -> A), which has no easiest variant.
    for exercise in by_slug.values():
        visited = {exercise.slug}
        step = exercise.progression
        while step is not None:
            if step in visited:
                raise ValueError(f"exercise {exercise.slug!r}: progressions form a loop")
            visited.add(step)
            step = by_slug[step].progression


def _check_fields(entry: Mapping[str, object], expected: frozenset[str], where: str) -> None:
    missing = sorted(expected - entry.keys())
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(entry.keys() - expected)
    if unknown:
        raise ValueError(f"{where}: unknown field {', '.join(unknown)}")


def _text(value: object, field: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {field} must be non-empty text")
    return value


def _text_list(value: object, field: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: {field} must be a list")
    return tuple(_text(item, field, where) for item in value)


def _link(value: object, field: str, slug: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: {field} must be a slug or null")
    if value == slug:
        raise ValueError(f"{where}: {field} points at itself")
    return value


def _optional_count(value: object, field: str, where: str) -> int | None:
    if value is None:
        return None
    return _count_in(value, field, None, where)


def _count_in(value: object, field: str, maximum: int | None, where: str) -> int:
    # bool is an int subclass: `true` in the JSON must not read as 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where}: {field} must be a positive whole number")
    if maximum is not None and value > maximum:
        raise ValueError(f"{where}: {field} must be at most {maximum}")
    return value
