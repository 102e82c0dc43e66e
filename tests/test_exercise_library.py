from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable

import pytest

from api.services.exercise_library import (
    BodyRegion,
    LibraryExercise,
    chains,
    load_library,
    parse_library,
)

Raw = list[dict[str, object]]


def _entry(slug: str, **overrides: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "body_region": "KNEE",
        "instructions": ["Sit tall.", "Straighten your knee.", "Lower it slowly."],
        "equipment": [],
        "default_dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": None,
            "duration_seconds": None,
            "times_per_day": 1,
            "days_per_week": 5,
        },
        "cautions": "Stop if pain increases sharply.",
        "regression": None,
        "progression": None,
    }
    entry.update(overrides)
    return entry


def _pair() -> Raw:
    return [
        _entry("easy-one", progression="hard-one"),
        _entry("hard-one", regression="easy-one"),
    ]


def _dosage(raw: Raw, index: int = 0) -> dict[str, object]:
    dosage = raw[index]["default_dosage"]
    assert isinstance(dosage, dict)
    return dosage


# --- the shipped library ---


def test_shipped_library_loads_with_enough_exercises() -> None:
    library = load_library()
    assert len(library) >= 30
    assert all(isinstance(exercise, LibraryExercise) for exercise in library)


def test_shipped_library_is_read_once() -> None:
    assert load_library() is load_library()


def test_shipped_library_covers_every_region() -> None:
    covered = {exercise.body_region for exercise in load_library()}
    assert set(BodyRegion) - {BodyRegion.WHOLE_BODY} <= covered


def test_shipped_library_has_at_least_six_chains() -> None:
    found = chains(load_library())
    assert len(found) >= 6
    assert all(2 <= len(chain) <= 3 for chain in found)


def test_shipped_chains_run_easiest_first() -> None:
    by_slug = {
        chain[0].slug: [exercise.slug for exercise in chain] for chain in chains(load_library())
    }
    assert by_slug["wall-push-up"] == ["wall-push-up", "incline-push-up", "push-up"]
    assert by_slug["chin-tuck-supine"] == ["chin-tuck-supine", "chin-tuck-sitting"]


def test_shipped_library_has_no_media_links() -> None:
    for exercise in load_library():
        text = " ".join((*exercise.instructions, exercise.cautions, *exercise.equipment))
        assert "http" not in text, exercise.slug


# --- the validator ---


def test_valid_crafted_library_parses() -> None:
    easy, hard = parse_library(_pair())
    assert easy.progression == "hard-one"
    assert hard.regression == "easy-one"
    assert easy.body_region is BodyRegion.KNEE
    assert easy.instructions == ("Sit tall.", "Straighten your knee.", "Lower it slowly.")
    assert easy.default_dosage.reps == 10
    with pytest.raises(dataclasses.FrozenInstanceError):
        easy.slug = "other"  # type: ignore[misc]


def _duplicate(raw: Raw) -> None:
    raw.append(_entry("easy-one"))


def _bad_region(raw: Raw) -> None:
    raw[0]["body_region"] = "ELBOW"


def _missing_regression(raw: Raw) -> None:
    raw[1]["regression"] = "nowhere"


def _missing_progression(raw: Raw) -> None:
    raw[1]["progression"] = "nowhere"


def _self_progression(raw: Raw) -> None:
    raw[1]["progression"] = "hard-one"


def _self_regression(raw: Raw) -> None:
    raw[0]["regression"] = "easy-one"


def _one_way_progression(raw: Raw) -> None:
    raw[1]["regression"] = None


def _one_way_regression(raw: Raw) -> None:
    raw[0]["progression"] = None


def _loop(raw: Raw) -> None:
    raw[0]["regression"] = "hard-one"
    raw[1]["progression"] = "easy-one"


def _no_amount(raw: Raw) -> None:
    _dosage(raw).update(sets=None, reps=None)


def _zero_reps(raw: Raw) -> None:
    _dosage(raw)["reps"] = 0


def _negative_hold(raw: Raw) -> None:
    _dosage(raw)["hold_seconds"] = -5


def _fractional_sets(raw: Raw) -> None:
    _dosage(raw)["sets"] = 1.5


def _boolean_reps(raw: Raw) -> None:
    _dosage(raw)["reps"] = True


def _seven_times_a_day(raw: Raw) -> None:
    _dosage(raw)["times_per_day"] = 7


def _zero_times_a_day(raw: Raw) -> None:
    _dosage(raw)["times_per_day"] = 0


def _eight_days_a_week(raw: Raw) -> None:
    _dosage(raw)["days_per_week"] = 8


def _zero_days_a_week(raw: Raw) -> None:
    _dosage(raw)["days_per_week"] = 0


def _missing_dosage_field(raw: Raw) -> None:
    del _dosage(raw)["days_per_week"]


def _too_few_steps(raw: Raw) -> None:
    raw[0]["instructions"] = ["Sit.", "Stand."]


def _too_many_steps(raw: Raw) -> None:
    raw[0]["instructions"] = [f"Step {n}." for n in range(8)]


def _blank_step(raw: Raw) -> None:
    raw[0]["instructions"] = ["Sit.", " ", "Stand."]


def _blank_cautions(raw: Raw) -> None:
    raw[0]["cautions"] = ""


def _equipment_not_a_list(raw: Raw) -> None:
    raw[0]["equipment"] = "resistance band"


def _missing_field(raw: Raw) -> None:
    del raw[0]["cautions"]


def _unknown_field(raw: Raw) -> None:
    raw[0]["video_url"] = "https://example.org/clip.mp4"


@pytest.mark.parametrize(
    ("damage", "slug", "problem"),
    [
        (_duplicate, "easy-one", "more than once"),
        (_bad_region, "easy-one", "body_region"),
        (_missing_regression, "hard-one", "not in the library"),
        (_missing_progression, "hard-one", "not in the library"),
        (_self_progression, "hard-one", "itself"),
        (_self_regression, "easy-one", "itself"),
        (_one_way_progression, "easy-one", "must have regression"),
        (_one_way_regression, "hard-one", "must have progression"),
        (_loop, "easy-one", "loop"),
        (_no_amount, "easy-one", "needs sets, reps, hold or duration"),
        (_zero_reps, "easy-one", "reps must be a positive"),
        (_negative_hold, "easy-one", "hold_seconds must be a positive"),
        (_fractional_sets, "easy-one", "sets must be a positive"),
        (_boolean_reps, "easy-one", "reps must be a positive"),
        (_seven_times_a_day, "easy-one", "times_per_day must be at most 6"),
        (_zero_times_a_day, "easy-one", "times_per_day must be a positive"),
        (_eight_days_a_week, "easy-one", "days_per_week must be at most 7"),
        (_zero_days_a_week, "easy-one", "days_per_week must be a positive"),
        (_missing_dosage_field, "easy-one", "missing days_per_week"),
        (_too_few_steps, "easy-one", "3 to 7 steps"),
        (_too_many_steps, "easy-one", "3 to 7 steps"),
        (_blank_step, "easy-one", "instructions must be non-empty"),
        (_blank_cautions, "easy-one", "cautions must be non-empty"),
        (_equipment_not_a_list, "easy-one", "equipment must be a list"),
        (_missing_field, "easy-one", "missing cautions"),
        (_unknown_field, "easy-one", "unknown field video_url"),
    ],
)
def test_validator_rejects_bad_entry_naming_the_slug(
    damage: Callable[[Raw], None], slug: str, problem: str
) -> None:
    raw = copy.deepcopy(_pair())
    damage(raw)
    with pytest.raises(ValueError, match=f"exercise '{slug}'.*{problem}"):
        parse_library(raw)


@pytest.mark.parametrize("slug", ["Chin_Tuck", "chin tuck", "-chin", "chin--tuck", "", 7, None])
def test_validator_rejects_a_slug_that_is_not_kebab_case(slug: object) -> None:
    entry = _entry("placeholder")
    entry["slug"] = slug
    with pytest.raises(ValueError, match="exercise #0: slug must be kebab-case"):
        parse_library([entry])
