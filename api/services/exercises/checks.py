"""Checks of a clinic's own exercise, by the same rules the shipped library is held to.

Each check adds a problem naming its field (GraphQL names, list positions as `steps.2`), so a
form can show every problem at once. Bounds on a dosage are those a home program can sensibly
hold: at most 6 sessions a day, 7 days a week, and at least one of sets, reps, hold or time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, TypeAlias
from urllib.parse import urlsplit

from api.models.plans import BodyRegion
from api.services import problems as base
from api.services.exercise_library import MAX_STEPS, MAX_TIMES_PER_DAY, MIN_STEPS

MAX_NAME = 120
MAX_STEP = 500
MAX_CAUTIONS = 2000
MAX_EQUIPMENT = 10
MAX_EQUIPMENT_NAME = 60
MAX_IMAGES = 10
MAX_URL = 500
# Dosage bounds: (GraphQL name, lowest, highest).
DOSAGE_BOUNDS: dict[str, tuple[str, int, int]] = {
    "sets": ("sets", 1, 20),
    "reps": ("reps", 1, 100),
    "hold_seconds": ("holdSeconds", 1, 600),
    "duration_seconds": ("durationSeconds", 1, 7200),
    "times_per_day": ("timesPerDay", 1, MAX_TIMES_PER_DAY),
    "days_per_week": ("daysPerWeek", 1, 7),
}


class ExerciseErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_FEW = "TOO_FEW"
    TOO_MANY = "TOO_MANY"
    INVALID_TEXT = "INVALID_TEXT"
    DUPLICATE = "DUPLICATE"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    DOSAGE_REQUIRED = "DOSAGE_REQUIRED"
    INVALID_URL = "INVALID_URL"
    INVALID_ID = "INVALID_ID"
    UNKNOWN_EXERCISE = "UNKNOWN_EXERCISE"
    ARCHIVED_EXERCISE = "ARCHIVED_EXERCISE"
    SELF_LINK = "SELF_LINK"
    SAME_VARIANT = "SAME_VARIANT"


Code = ExerciseErrorCode


Problem: TypeAlias = base.Problem[ExerciseErrorCode]


class ExerciseProblems(base.Problems[ExerciseErrorCode]):
    """Raised by the catalogue service; resolvers return them as typed errors."""


class Problems(base.Collector[ExerciseErrorCode]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(ExerciseProblems)


class Marker(Enum):
    KEEP = "KEEP"  # leave the field as it is
    BAD_ID = "BAD_ID"  # the client sent something that is not an Exercise id


KEEP = Marker.KEEP
BAD_ID = Marker.BAD_ID


@dataclass(frozen=True, slots=True)
class DosageFields:
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    times_per_day: int = 1
    days_per_week: int = 7


@dataclass(frozen=True, slots=True)
class ExerciseChanges:
    """What to write; KEEP leaves a field as it is (creating needs name, region, steps, dosage).

    `video_url` None removes the video; a link None removes the link.
    """

    name: str | Marker = KEEP
    body_region: BodyRegion | Marker = KEEP
    instructions: Sequence[str] | Marker = KEEP
    equipment: Sequence[str] | Marker = KEEP
    cautions: str | Marker = KEEP
    video_url: str | Marker | None = KEEP
    image_urls: Sequence[str] | Marker = KEEP
    dosage: DosageFields | Marker = KEEP
    regression_id: int | Marker | None = KEEP
    progression_id: int | Marker | None = KEEP


def _control(text: str, allowed: str = "") -> bool:
    return any(ord(char) < 32 and char not in allowed for char in text)


def _text(
    problems: Problems,
    value: str,
    where: str,
    maximum: int,
    *,
    allowed: str = "",
    required: bool = True,
) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        problems.add(Code.REQUIRED, "This cannot be empty.", where)
    if len(cleaned) > maximum:
        problems.add(Code.TOO_LONG, f"Use at most {maximum} characters.", where)
    if _control(cleaned, allowed):
        problems.add(Code.INVALID_TEXT, "Remove the control characters.", where)
    return cleaned


def _steps(problems: Problems, steps: Sequence[str]) -> list[str]:
    if len(steps) < MIN_STEPS:
        problems.add(Code.TOO_FEW, f"Give at least {MIN_STEPS} steps.", "instructions")
    if len(steps) > MAX_STEPS:
        problems.add(Code.TOO_MANY, f"Give at most {MAX_STEPS} steps.", "instructions")
    return [
        _text(problems, step, f"instructions.{index}", MAX_STEP) for index, step in enumerate(steps)
    ]


def _equipment(problems: Problems, items: Sequence[str]) -> list[str]:
    if len(items) > MAX_EQUIPMENT:
        problems.add(Code.TOO_MANY, f"List at most {MAX_EQUIPMENT} items.", "equipment")
    cleaned: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"equipment.{index}"
        name = " ".join(_text(problems, item, where, MAX_EQUIPMENT_NAME).split())
        if name.casefold() in seen:
            problems.add(Code.DUPLICATE, "This item is listed twice.", where)
        seen.add(name.casefold())
        cleaned.append(name)
    return cleaned


def _url(problems: Problems, url: str, where: str) -> str:
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if len(cleaned) > MAX_URL:
        problems.add(Code.TOO_LONG, f"Use at most {MAX_URL} characters.", where)
    elif (
        parts.scheme != "https"
        or not parts.hostname
        or "@" in parts.netloc
        or any(char.isspace() or ord(char) < 32 for char in cleaned)
    ):
        problems.add(Code.INVALID_URL, "Give a full https:// address.", where)
    return cleaned


def _images(problems: Problems, urls: Sequence[str]) -> list[str]:
    if len(urls) > MAX_IMAGES:
        problems.add(Code.TOO_MANY, f"Give at most {MAX_IMAGES} images.", "imageUrls")
    return [_url(problems, url, f"imageUrls.{index}") for index, url in enumerate(urls)]


def _dosage(problems: Problems, dosage: DosageFields) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for column, (name, lowest, highest) in DOSAGE_BOUNDS.items():
        value = getattr(dosage, column)
        if value is not None and not lowest <= value <= highest:
            problems.add(
                Code.OUT_OF_RANGE,
                f"Give a number from {lowest} to {highest}.",
                f"defaultDosage.{name}",
            )
        columns[column] = value
    amounts = ("sets", "reps", "hold_seconds", "duration_seconds")
    if all(columns[amount] is None for amount in amounts):
        problems.add(
            Code.DOSAGE_REQUIRED,
            "Give sets, reps, a hold or a duration (or several).",
            "defaultDosage",
        )
    return columns


def check_columns(problems: Problems, changes: ExerciseChanges, creating: bool) -> dict[str, Any]:
    """The columns to write, apart from the variant links (those need the database)."""
    columns: dict[str, Any] = {}
    required = {
        "name": changes.name,
        "bodyRegion": changes.body_region,
        "instructions": changes.instructions,
        "defaultDosage": changes.dosage,
    }
    if creating:
        for name, value in required.items():
            if value is KEEP:
                problems.add(Code.REQUIRED, "This is needed.", name)
    if not isinstance(changes.name, Marker):
        columns["name"] = " ".join(_text(problems, changes.name, "name", MAX_NAME).split())
    if not isinstance(changes.body_region, Marker):
        columns["body_region"] = changes.body_region
    if not isinstance(changes.instructions, Marker):
        columns["instructions"] = _steps(problems, changes.instructions)
    if not isinstance(changes.equipment, Marker):
        columns["equipment"] = _equipment(problems, changes.equipment)
    if not isinstance(changes.cautions, Marker):
        columns["cautions"] = _text(
            problems, changes.cautions, "cautions", MAX_CAUTIONS, allowed="\n\r\t", required=False
        )
    if changes.video_url is None or changes.video_url == "":
        columns["video_url"] = ""
    elif not isinstance(changes.video_url, Marker):
        columns["video_url"] = _url(problems, changes.video_url, "videoUrl")
    if not isinstance(changes.image_urls, Marker):
        columns["image_urls"] = _images(problems, changes.image_urls)
    if not isinstance(changes.dosage, Marker):
        columns.update(_dosage(problems, changes.dosage))
    return columns
