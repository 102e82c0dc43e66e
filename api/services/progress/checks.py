"""Field checks shared by measurements and goals. A `Checks` collects every problem of one input,
each naming its field (`value`, `bodySite`), and hands back the cleaned value so checking goes on
and the person sees all of their mistakes at once."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from api.models.progress import BodySide, MeasurementMethod, MetricKind
from api.services.progress.errors import Problem, ProgressProblems
from api.services.progress.errors import ProgressErrorCode as Code
from api.services.progress.vocabulary import (
    KIND_RULES,
    SIDES_WITH_A_SIDE,
    BodySite,
    Movement,
    UnitRule,
)

EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
# Clocks drift: a phone a few minutes ahead of the server still records "now".
CLOCK_SLACK = timedelta(minutes=5)
NOTE_MAX = 2000


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """Which metric an input is about, as given (None: left out)."""

    kind: MetricKind
    definition_id: int | None = None
    body_site: BodySite | None = None
    side: BodySide | None = None
    movement: Movement | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Definition:
    """A custom metric's rules, as stored."""

    id: int
    unit: str
    minimum: float | None
    maximum: float | None


@dataclass(frozen=True, slots=True)
class Metric:
    """A metric once checked: what is stored with each measurement or goal."""

    kind: MetricKind
    definition_id: int | None
    body_site: str  # a BodySite name or ""
    side: BodySide
    movement: str  # a Movement name or ""
    rule: UnitRule

    @property
    def unit(self) -> str:
        return self.rule.unit


class Checks:
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)
        self.problems: list[Problem] = []

    def fail(self, code: Code, message: str, field: str | None) -> None:
        self.problems.append(Problem(code, message, field))

    def raise_if_any(self) -> None:
        ProgressProblems.raise_if_any(self.problems)

    def metric(self, spec: MetricSpec, definition: Definition | None) -> Metric | None:
        """The metric, or None (with problems noted) when it cannot be pinned down."""
        kind_rule = KIND_RULES[spec.kind]
        if kind_rule.site_required:
            if spec.body_site is None:
                self.fail(Code.REQUIRED, "Choose the body site.", "bodySite")
            if spec.movement is None:
                self.fail(Code.REQUIRED, "Choose the movement.", "movement")
        side = spec.side or BodySide.NOT_APPLICABLE
        if kind_rule.side_required and side not in SIDES_WITH_A_SIDE:
            self.fail(Code.INVALID_SIDE, "Choose left, right or both sides.", "side")
        rule = self._unit_rule(spec, definition)
        if rule is None:
            return None
        return Metric(
            kind=spec.kind,
            definition_id=definition.id if definition is not None else None,
            body_site=spec.body_site.value if spec.body_site else "",
            side=side,
            movement=spec.movement.value if spec.movement else "",
            rule=rule,
        )

    def _unit_rule(self, spec: MetricSpec, definition: Definition | None) -> UnitRule | None:
        if spec.kind is MetricKind.CUSTOM:
            if spec.definition_id is None:
                self.fail(Code.REQUIRED, "Choose which custom metric this is.", "definitionId")
                return None
            if definition is None:
                self.fail(
                    Code.UNKNOWN_DEFINITION,
                    "This custom metric does not exist for this patient.",
                    "definitionId",
                )
                return None
            rule = UnitRule(
                definition.unit,
                definition.minimum,
                definition.maximum,
                None,
                MeasurementMethod.CLINICAL_OBSERVATION,
            )
            return self._same_unit(spec.unit, rule)
        if spec.definition_id is not None:
            self.fail(Code.NOT_ALLOWED, "Only a custom metric takes a definition.", "definitionId")
        units = KIND_RULES[spec.kind].units
        if spec.unit is None:
            if len(units) == 1:
                return units[0]
            choices = " or ".join(f'"{rule.unit}"' for rule in units)
            self.fail(Code.REQUIRED, f"Choose the unit: {choices}.", "unit")
            return None
        found = KIND_RULES[spec.kind].unit_rule(spec.unit)
        if found is None:
            choices = " or ".join(f'"{rule.unit}"' for rule in units)
            self.fail(Code.INVALID_UNIT, f"Use {choices} for this metric.", "unit")
        return found

    def _same_unit(self, given: str | None, rule: UnitRule) -> UnitRule:
        if given is not None and given != rule.unit:
            self.fail(Code.INVALID_UNIT, f'This metric is measured in "{rule.unit}".', "unit")
        return rule

    def value(self, rule: UnitRule, value: float, field: str) -> float:
        problem = f"Enter {rule.describe()}."
        too_low = rule.minimum is not None and value < rule.minimum
        too_high = rule.maximum is not None and value > rule.maximum
        if not math.isfinite(value) or too_low or too_high:
            self.fail(Code.OUT_OF_RANGE, problem, field)
        elif rule.step == 1 and not float(value).is_integer():
            self.fail(Code.NOT_WHOLE_NUMBER, problem, field)
        elif rule.step is not None and not (value / rule.step).is_integer():
            self.fail(Code.INVALID_STEP, problem, field)
        return float(value)

    def moment(self, value: datetime | None, field: str) -> datetime:
        """A moment that has happened (with its offset): now when left out."""
        if value is None:
            return self.now
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail(
                Code.TIME_ZONE_REQUIRED,
                "Give the time with its offset, e.g. 2024-05-01T09:30:00-04:00.",
                field,
            )
            return self.now
        if value > self.now + CLOCK_SLACK:
            self.fail(Code.DATE_IN_FUTURE, "This time is in the future.", field)
        elif value < EARLIEST_MOMENT:
            self.fail(Code.DATE_TOO_EARLY, "Check the year.", field)
        return value

    def text(self, value: str | None, field: str, *, max_length: int, required: bool) -> str:
        """Trimmed text; line breaks and tabs may stay, other control characters may not."""
        cleaned = (value or "").strip()
        if any(ord(char) < 32 and char not in "\n\r\t" for char in cleaned):
            self.fail(Code.INVALID_TEXT, "Remove the control characters.", field)
        elif required and not cleaned:
            self.fail(Code.REQUIRED, "This is required.", field)
        elif len(cleaned) > max_length:
            self.fail(Code.TOO_LONG, f"Use at most {max_length} characters.", field)
        return cleaned
