"""Outcome-measure scoring against worked examples, computed by hand in the comments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from api.services.outcome_measures import (
    MeasureScore,
    MissingAnswersError,
    NdiBand,
    OdiBand,
    OutcomeMeasure,
    OutcomeMeasureError,
    answer_range,
    item_count,
    score,
)

M = OutcomeMeasure


def spread(total: int, items: int = 10, top: int = 5) -> list[int | None]:
    """`items` answers in 0..top adding up to `total` (fills from the first item)."""
    assert 0 <= total <= items * top
    answers: list[int | None] = []
    for _ in range(items):
        answer = min(top, total)
        answers.append(answer)
        total -= answer
    return answers


def test_every_measure_has_its_item_count_and_answer_range() -> None:
    assert {m: item_count(m) for m in M} == {
        M.PSFS: (3, 5),
        M.LEFS: (20, 20),
        M.ODI: (10, 10),
        M.NDI: (10, 10),
        M.QUICK_DASH: (11, 11),
    }
    assert {m: answer_range(m) for m in M} == {
        M.PSFS: (0, 10),
        M.LEFS: (0, 4),
        M.ODI: (0, 5),
        M.NDI: (0, 5),
        M.QUICK_DASH: (1, 5),
    }


# --- PSFS: mean of 3-5 ratings, 0-10 -------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([3, 5, 7], 5.0),  # 15 / 3 = 5.0
        ([2, 3, 3, 4], 3.0),  # 12 / 4 = 3.0
        ([1, 2, 2, 2, 4], 2.2),  # 11 / 5 = 2.2
        ([10, 10, 9], 9.7),  # 29 / 3 = 9.666... -> 9.7
        ([0, 0, 1], 0.3),  # 1 / 3 = 0.333... -> 0.3
        ([0, 0, 0, 1], 0.3),  # 1 / 4 = 0.25 -> 0.3 half-up (round() would give 0.2)
        ([0, 0, 0], 0.0),
        ([10, 10, 10, 10, 10], 10.0),
    ],
)
def test_psfs_is_the_mean_rating(answers: list[int | None], expected: float) -> None:
    result = score(M.PSFS, answers)
    assert result == MeasureScore(
        measure=M.PSFS,
        score=expected,
        maximum=10.0,
        unit="points",
        band=None,
        answered=len(answers),
        items=len(answers),
    )


# --- LEFS: sum of 20 items, 0-80 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([4] * 20, 80.0),  # 20 x 4 = 80
        ([3] * 10 + [2] * 10, 50.0),  # 30 + 20 = 50
        ([0, 1, 2, 3, 4] * 4, 40.0),  # 4 x (0+1+2+3+4) = 40
        ([0] * 20, 0.0),
    ],
)
def test_lefs_is_the_sum(answers: list[int | None], expected: float) -> None:
    result = score(M.LEFS, answers)
    assert (result.score, result.maximum, result.unit, result.band) == (
        expected,
        80.0,
        "points",
        None,
    )
    assert (result.answered, result.items) == (20, 20)


def test_lefs_names_every_missing_item() -> None:
    answers: list[int | None] = [3] * 20
    answers[2] = answers[7] = answers[19] = None
    with pytest.raises(MissingAnswersError) as caught:
        score(M.LEFS, answers)
    assert caught.value.field == "answers"
    assert caught.value.missing == (2, 7, 19)
    assert "questions 3, 8 and 20" in caught.value.message  # numbered as the patient sees them


def test_lefs_with_one_missing_item_points_at_it() -> None:
    answers: list[int | None] = [3] * 20
    answers[4] = None
    with pytest.raises(MissingAnswersError) as caught:
        score(M.LEFS, answers)
    assert caught.value.field == "answers[4]"
    assert caught.value.missing == (4,)
    assert "question 5:" in caught.value.message


# --- ODI: percent of the answered sections' maximum, Fairbank bands ----------------------------


def test_odi_all_twos() -> None:
    # 10 x 2 = 20; 20 / 50 x 100 = 40.0 % -> MODERATE (21-40)
    result = score(M.ODI, [2] * 10)
    assert result == MeasureScore(M.ODI, 40.0, 100.0, "percent", OdiBand.MODERATE, 10, 10)
    assert result.band == "MODERATE"


def test_odi_one_missing_section_divides_by_45() -> None:
    # 9 x 3 = 27; 27 / 45 x 100 = 60.0 % -> SEVERE (41-60)
    result = score(M.ODI, [3] * 9 + [None])
    assert result == MeasureScore(M.ODI, 60.0, 100.0, "percent", OdiBand.SEVERE, 9, 10)


def test_odi_one_missing_section_gives_a_fractional_percent() -> None:
    # 5 + 5 + 0 x 7 = 10 over 9 sections; 10 / 45 x 100 = 22.22 % -> 22.2, MODERATE
    result = score(M.ODI, [5, None, 5, 0, 0, 0, 0, 0, 0, 0])
    assert (result.score, result.band, result.answered) == (22.2, OdiBand.MODERATE, 9)


def test_odi_missing_section_just_above_a_band() -> None:
    # 19 / 45 x 100 = 42.22 % -> 42.2, above 40: SEVERE; 18 / 45 = 40.0 % exactly: MODERATE
    assert score(M.ODI, [*spread(19, items=9), None]).band == OdiBand.SEVERE
    assert score(M.ODI, [*spread(18, items=9), None]).band == OdiBand.MODERATE


@pytest.mark.parametrize(
    ("total", "percent", "band"),
    [
        (0, 0.0, OdiBand.MINIMAL),
        (10, 20.0, OdiBand.MINIMAL),
        (11, 22.0, OdiBand.MODERATE),
        (20, 40.0, OdiBand.MODERATE),
        (21, 42.0, OdiBand.SEVERE),
        (30, 60.0, OdiBand.SEVERE),
        (31, 62.0, OdiBand.CRIPPLING),
        (40, 80.0, OdiBand.CRIPPLING),
        (41, 82.0, OdiBand.BED_BOUND),
        (50, 100.0, OdiBand.BED_BOUND),
    ],
)
def test_odi_band_boundaries(total: int, percent: float, band: OdiBand) -> None:
    # total / 50 x 100 = 2 x total
    result = score(M.ODI, spread(total))
    assert (result.score, result.band) == (percent, band)


def test_odi_allows_only_one_missing_section() -> None:
    with pytest.raises(MissingAnswersError) as caught:
        score(M.ODI, [None, 2, 2, None, 2, 2, 2, 2, 2, 2])
    assert caught.value.field == "answers"
    assert caught.value.missing == (0, 3)
    assert caught.value.message == (
        "Please answer sections 1 and 4: the Oswestry Disability Index needs at least 9 of 10"
        " answered."
    )


# --- NDI: percent of 50, Vernon bands on the raw score ---------------------------------------


def test_ndi_raw_20_is_40_percent_moderate() -> None:
    # raw 20; 20 / 50 x 100 = 40.0 % -> raw 15-24: MODERATE
    result = score(M.NDI, spread(20))
    assert result == MeasureScore(M.NDI, 40.0, 100.0, "percent", NdiBand.MODERATE, 10, 10)


def test_ndi_raw_37_is_74_percent_complete() -> None:
    # raw 37; 37 / 50 x 100 = 74.0 % -> raw 35+: COMPLETE
    result = score(M.NDI, [4, 4, 4, 4, 4, 4, 4, 3, 3, 3])
    assert (result.score, result.band) == (74.0, NdiBand.COMPLETE)


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        (0, NdiBand.NONE),
        (4, NdiBand.NONE),
        (5, NdiBand.MILD),
        (14, NdiBand.MILD),
        (15, NdiBand.MODERATE),
        (24, NdiBand.MODERATE),
        (25, NdiBand.SEVERE),
        (34, NdiBand.SEVERE),
        (35, NdiBand.COMPLETE),
        (50, NdiBand.COMPLETE),
    ],
)
def test_ndi_band_boundaries(raw: int, band: NdiBand) -> None:
    result = score(M.NDI, spread(raw))
    assert (result.score, result.band) == (raw * 2.0, band)


@pytest.mark.parametrize(
    ("raw", "percent", "band"),
    [
        (18, 40.0, NdiBand.MODERATE),  # 18 / 45 = 40.0 %; prorated raw 20
        (4, 8.9, NdiBand.NONE),  # 4 / 45 = 8.89 %; prorated raw 4.4, between bands: lower
        (5, 11.1, NdiBand.MILD),  # 5 / 45 = 11.11 %; prorated raw 5.6
        (13, 28.9, NdiBand.MILD),  # 13 / 45 = 28.89 %; prorated raw 14.4
        (14, 31.1, NdiBand.MODERATE),  # 14 / 45 = 31.11 %; prorated raw 15.6
        (45, 100.0, NdiBand.COMPLETE),
    ],
)
def test_ndi_with_one_missing_item_scores_over_nine(
    raw: int, percent: float, band: NdiBand
) -> None:
    result = score(M.NDI, [None, *spread(raw, items=9)])
    assert (result.score, result.band, result.answered, result.items) == (percent, band, 9, 10)


def test_ndi_allows_only_one_missing_item() -> None:
    with pytest.raises(MissingAnswersError) as caught:
        score(M.NDI, [1, None, 1, 1, None, 1, None, 1, 1, 1])
    assert (caught.value.field, caught.value.missing) == ("answers", (1, 4, 6))


# --- QuickDASH: (mean - 1) x 25 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected", "answered"),
    [
        ([3] * 11, 50.0, 11),  # 33 / 11 = 3; (3 - 1) x 25 = 50.0
        ([1] * 11, 0.0, 11),  # (1 - 1) x 25 = 0
        ([5] * 11, 100.0, 11),  # (5 - 1) x 25 = 100
        ([2] * 10 + [3], 27.3, 11),  # 23 / 11 = 2.0909; 1.0909 x 25 = 27.27 -> 27.3
        ([1, 2, 3, 4, 5, 1, 2, 3, 4, 5, None], 50.0, 10),  # 30 / 10 = 3; 2 x 25 = 50.0
        ([None, *[2] * 9, 3], 27.5, 10),  # 21 / 10 = 2.1; 1.1 x 25 = 27.5
    ],
)
def test_quick_dash(answers: list[int | None], expected: float, answered: int) -> None:
    result = score(M.QUICK_DASH, answers)
    assert result == MeasureScore(M.QUICK_DASH, expected, 100.0, "points", None, answered, 11)


def test_quick_dash_needs_ten_answers() -> None:
    with pytest.raises(MissingAnswersError) as caught:
        score(M.QUICK_DASH, [3] * 9 + [None, None])
    assert (caught.value.field, caught.value.missing) == ("answers", (9, 10))
    assert "at least 10 of 11" in caught.value.message


# --- errors every measure shares ------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "count"),
    [
        (M.PSFS, 2),
        (M.PSFS, 6),
        (M.PSFS, 0),
        (M.LEFS, 19),
        (M.LEFS, 21),
        (M.ODI, 9),
        (M.ODI, 11),
        (M.NDI, 9),
        (M.NDI, 11),
        (M.QUICK_DASH, 10),
        (M.QUICK_DASH, 12),
    ],
)
def test_wrong_number_of_items(measure: OutcomeMeasure, count: int) -> None:
    lowest, _ = answer_range(measure)
    with pytest.raises(OutcomeMeasureError) as caught:
        score(measure, [lowest] * count)
    assert caught.value.field == "answers"
    assert str(count) in caught.value.message


def test_psfs_count_message_asks_for_three_to_five_activities() -> None:
    with pytest.raises(OutcomeMeasureError, match=r"between 3 and 5 activities"):
        score(M.PSFS, [5, 5])


def valid(measure: OutcomeMeasure) -> list[Any]:
    lowest, _ = answer_range(measure)
    return [lowest] * item_count(measure)[0]


@pytest.mark.parametrize("measure", list(M))
def test_out_of_range_values_name_their_item(measure: OutcomeMeasure) -> None:
    lowest, highest = answer_range(measure)
    for bad in (lowest - 1, highest + 1):
        answers = valid(measure)
        answers[2] = bad
        with pytest.raises(OutcomeMeasureError) as caught:
            score(measure, answers)
        assert caught.value.field == "answers[2]"
        assert f"from {lowest} to {highest}" in caught.value.message
        assert not isinstance(caught.value, MissingAnswersError)


@pytest.mark.parametrize("measure", list(M))
@pytest.mark.parametrize("bad", [True, False, 2.0, 2.5, "2"])
def test_non_integers_name_their_item(measure: OutcomeMeasure, bad: object) -> None:
    answers = valid(measure)
    answers[1] = bad
    with pytest.raises(OutcomeMeasureError) as caught:
        score(measure, answers)
    assert caught.value.field == "answers[1]"
    assert "whole number" in caught.value.message


@pytest.mark.parametrize("measure", [M.PSFS, M.LEFS])
def test_measures_without_a_missing_item_rule_refuse_any_gap(measure: OutcomeMeasure) -> None:
    answers = valid(measure)
    answers[0] = None
    with pytest.raises(MissingAnswersError) as caught:
        score(measure, answers)
    assert (caught.value.field, caught.value.missing) == ("answers[0]", (0,))
    assert "every" in caught.value.message


def test_psfs_missing_activity_message() -> None:
    with pytest.raises(MissingAnswersError) as caught:
        score(M.PSFS, [4, None, 6])
    assert caught.value.message == (
        "Please answer activity 2: the Patient-Specific Functional Scale needs every activity"
        " answered."
    )


@pytest.mark.parametrize("answers", ["3579", b"\x03\x05\x07", iter([3, 5, 7])])
def test_answers_must_be_a_list(answers: Any) -> None:
    with pytest.raises(OutcomeMeasureError) as caught:
        score(M.PSFS, answers)
    assert caught.value.field == "answers"


def test_errors_are_value_errors_and_scores_are_frozen() -> None:
    assert issubclass(OutcomeMeasureError, ValueError)
    result = score(M.PSFS, [3, 5, 7])
    with pytest.raises(AttributeError):
        result.score = 9.0  # type: ignore[misc]


def test_a_measure_may_be_named_by_its_value() -> None:
    plain: Any = "ODI"
    assert score(plain, [2] * 10).measure is M.ODI
    with pytest.raises(ValueError, match="BERG"):
        score("BERG", [1])  # type: ignore[arg-type]


def test_answers_can_be_any_sequence() -> None:
    answers: Sequence[int | None] = (3, 5, 7)
    assert score(M.PSFS, answers).score == 5.0
