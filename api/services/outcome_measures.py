"""Scoring of standard rehabilitation outcome measures, by each instrument's published rules.

- PSFS (Stratford 1995): 3-5 patient-chosen activities rated 0-10; score = mean, 0-10.
- LEFS (Binkley 1999): 20 items rated 0-4; score = sum, 0-80, every item required.
- ODI v2.1a (Fairbank 2000): 10 sections rated 0-5; percent = sum / (5 x answered) x 100,
  one section may be missing; Fairbank's five bands.
- NDI (Vernon & Mior 1991): 10 items rated 0-5; percent = sum / (5 x answered) x 100,
  one item may be missing; Vernon's bands, defined on the 0-50 raw score.
- QuickDASH (Beaton 2005): 11 items rated 1-5; score = (sum / answered - 1) x 25, 0-100,
  one item may be missing.

Arithmetic is exact (Fraction) and scores are rounded half-up to one decimal, as clinicians
round on paper: Python's round() rounds half to even, which would report a PSFS mean of 0.25
as 0.2. Bands are decided on the exact value, never on the rounded one.

Pure Python, no I/O: the API layer turns an OutcomeMeasureError into a field error.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class OutcomeMeasure(StrEnum):
    PSFS = "PSFS"
    LEFS = "LEFS"
    ODI = "ODI"
    NDI = "NDI"
    QUICK_DASH = "QUICK_DASH"


class OdiBand(StrEnum):
    """Fairbank's bands, in neutral words (the paper says "crippled" and "bed-bound")."""

    MINIMAL = "MINIMAL"  # 0-20 %
    MODERATE = "MODERATE"  # 21-40 %
    SEVERE = "SEVERE"  # 41-60 %
    CRIPPLING = "CRIPPLING"  # 61-80 %
    BED_BOUND = "BED_BOUND"  # 81-100 %


class NdiBand(StrEnum):
    """Vernon's bands on the raw 0-50 score."""

    NONE = "NONE"  # 0-4
    MILD = "MILD"  # 5-14
    MODERATE = "MODERATE"  # 15-24
    SEVERE = "SEVERE"  # 25-34
    COMPLETE = "COMPLETE"  # 35-50


@dataclass(frozen=True)
class MeasureScore:
    measure: OutcomeMeasure
    score: float  # rounded half-up to one decimal
    maximum: float
    unit: str  # "points" or "percent"
    band: str | None  # an OdiBand / NdiBand value; None for measures without bands
    answered: int
    items: int


class OutcomeMeasureError(ValueError):
    """Answers that cannot be scored. `field` is "answers" or "answers[i]" (0-based)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class MissingAnswersError(OutcomeMeasureError):
    """More items unanswered than the measure allows; `missing` holds their 0-based indexes."""

    def __init__(self, message: str, *, field: str, missing: tuple[int, ...]) -> None:
        super().__init__(message, field=field)
        self.missing = missing


@dataclass(frozen=True)
class _Rules:
    title: str  # as a patient sees it on the form
    noun: str  # what one item is called on that form
    min_items: int
    max_items: int
    lowest: int
    highest: int
    max_missing: int
    maximum: int
    unit: str
    # (sum of the answers, number answered) -> (exact score, band)
    compute: Callable[[int, int], tuple[Fraction, str | None]]


def _mean(total: int, answered: int) -> tuple[Fraction, str | None]:
    return Fraction(total, answered), None


def _sum(total: int, answered: int) -> tuple[Fraction, str | None]:
    return Fraction(total), None


def _odi(total: int, answered: int) -> tuple[Fraction, str | None]:
    percent = Fraction(total * 100, 5 * answered)
    # Fairbank's bands are in whole percents (0-20, 21-40, ...), but with a section missing
    # the percent need not be whole (10/45 = 22.2 %): each band runs up to and including its
    # upper bound, and anything above belongs to the next.
    if percent <= 20:
        return percent, OdiBand.MINIMAL
    if percent <= 40:
        return percent, OdiBand.MODERATE
    if percent <= 60:
        return percent, OdiBand.SEVERE
    if percent <= 80:
        return percent, OdiBand.CRIPPLING
    return percent, OdiBand.BED_BOUND


def _ndi(total: int, answered: int) -> tuple[Fraction, str | None]:
    percent = Fraction(total * 100, 5 * answered)
    # Vernon's bands are on the raw score out of 50. With an item missing the raw score is
    # prorated to 50 (= percent / 2) so that a skipped item does not lower the band; a
    # prorated value between two bands (e.g. 4.4) belongs to the lower one.
    raw = percent / 2
    if raw < 5:
        return percent, NdiBand.NONE
    if raw < 15:
        return percent, NdiBand.MILD
    if raw < 25:
        return percent, NdiBand.MODERATE
    if raw < 35:
        return percent, NdiBand.SEVERE
    return percent, NdiBand.COMPLETE


def _quick_dash(total: int, answered: int) -> tuple[Fraction, str | None]:
    return (Fraction(total, answered) - 1) * 25, None


_RULES: dict[OutcomeMeasure, _Rules] = {
    OutcomeMeasure.PSFS: _Rules(
        title="Patient-Specific Functional Scale",
        noun="activity",
        min_items=3,
        max_items=5,
        lowest=0,
        highest=10,
        max_missing=0,
        maximum=10,
        unit="points",
        compute=_mean,
    ),
    # Binkley's paper does not prorate missing items; a partial LEFS is not scored here.
    OutcomeMeasure.LEFS: _Rules(
        title="Lower Extremity Functional Scale",
        noun="question",
        min_items=20,
        max_items=20,
        lowest=0,
        highest=4,
        max_missing=0,
        maximum=80,
        unit="points",
        compute=_sum,
    ),
    OutcomeMeasure.ODI: _Rules(
        title="Oswestry Disability Index",
        noun="section",
        min_items=10,
        max_items=10,
        lowest=0,
        highest=5,
        max_missing=1,
        maximum=100,
        unit="percent",
        compute=_odi,
    ),
    # Vernon & Mior give no rule for missing items; common practice (and the ODI's rule) is
    # to score over the answered items when one is missing, and not to score with more.
    OutcomeMeasure.NDI: _Rules(
        title="Neck Disability Index",
        noun="question",
        min_items=10,
        max_items=10,
        lowest=0,
        highest=5,
        max_missing=1,
        maximum=100,
        unit="percent",
        compute=_ndi,
    ),
    # Beaton's manual: at least 10 of the 11 items must be answered.
    OutcomeMeasure.QUICK_DASH: _Rules(
        title="QuickDASH",
        noun="question",
        min_items=11,
        max_items=11,
        lowest=1,
        highest=5,
        max_missing=1,
        maximum=100,
        unit="points",
        compute=_quick_dash,
    ),
}


def item_count(measure: OutcomeMeasure) -> tuple[int, int]:
    """(fewest, most) items a form of this measure has."""
    rules = _RULES[OutcomeMeasure(measure)]
    return rules.min_items, rules.max_items


def answer_range(measure: OutcomeMeasure) -> tuple[int, int]:
    """(lowest, highest) rating one item accepts."""
    rules = _RULES[OutcomeMeasure(measure)]
    return rules.lowest, rules.highest


def score(measure: OutcomeMeasure, answers: Sequence[int | None]) -> MeasureScore:
    """Score one completed form; None is an unanswered item. Raises OutcomeMeasureError."""
    measure = OutcomeMeasure(measure)
    rules = _RULES[measure]
    _check_count(rules, answers)
    given: list[int] = []
    missing: list[int] = []
    for index, answer in enumerate(answers):
        if answer is None:
            missing.append(index)
            continue
        _check_answer(rules, index, answer)
        given.append(answer)
    if len(missing) > rules.max_missing:
        raise _missing_error(rules, len(answers), tuple(missing))
    exact, band = rules.compute(sum(given), len(given))
    return MeasureScore(
        measure=measure,
        score=_round_half_up(exact),
        maximum=float(rules.maximum),
        unit=rules.unit,
        band=band,
        answered=len(given),
        items=len(answers),
    )


def _check_count(rules: _Rules, answers: Sequence[int | None]) -> None:
    # A str is a Sequence too, and would otherwise fail later with a puzzling message.
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise OutcomeMeasureError(f"The {rules.title} answers are not a list.", field="answers")
    count = len(answers)
    if rules.min_items == rules.max_items:
        if count != rules.min_items:
            raise OutcomeMeasureError(
                f"The {rules.title} has {rules.min_items} {rules.noun}s, "
                f"but {count} answers were given.",
                field="answers",
            )
    elif not rules.min_items <= count <= rules.max_items:
        raise OutcomeMeasureError(
            f"Please rate between {rules.min_items} and {rules.max_items} {_plural(rules.noun)} "
            f"on the {rules.title}; {count} were given.",
            field="answers",
        )


def _check_answer(rules: _Rules, index: int, answer: object) -> None:
    where = f"{rules.noun} {index + 1}"
    # bool is an int subclass, but True is a checkbox, not a rating of 1.
    if not isinstance(answer, int) or isinstance(answer, bool):
        raise OutcomeMeasureError(
            f"Please choose a whole number from {rules.lowest} to {rules.highest} for {where}.",
            field=f"answers[{index}]",
        )
    if not rules.lowest <= answer <= rules.highest:
        raise OutcomeMeasureError(
            f"Please choose a number from {rules.lowest} to {rules.highest} for {where}; "
            f"{answer} is outside that range.",
            field=f"answers[{index}]",
        )


def _missing_error(rules: _Rules, items: int, missing: tuple[int, ...]) -> MissingAnswersError:
    numbers = _listing([str(index + 1) for index in missing])
    which = f"{rules.noun} {numbers}" if len(missing) == 1 else f"{_plural(rules.noun)} {numbers}"
    if rules.max_missing == 0:
        need = f"the {rules.title} needs every {rules.noun} answered"
    else:
        need = f"the {rules.title} needs at least {items - rules.max_missing} of {items} answered"
    # One missing item points the form at it; several are a problem of the whole form.
    field = f"answers[{missing[0]}]" if len(missing) == 1 else "answers"
    return MissingAnswersError(f"Please answer {which}: {need}.", field=field, missing=missing)


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _listing(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def _round_half_up(value: Fraction) -> float:
    """To one decimal, halves away from zero (every score here is >= 0)."""
    return float(Fraction(math.floor(value * 10 + Fraction(1, 2)), 10))
