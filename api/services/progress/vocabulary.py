"""The controlled vocabulary of measurements and the rules of each metric kind.

Units are UCUM: `deg` for angles, `kg`, `%`, `/d` (per day); curly braces mark an arbitrary
unit (`{score}` for the pain NRS, `{MMT}` for a manual muscle test grade). Body sites and
movements are stored by their names, so a chart can group "right knee flexion" reliably.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from api.models.progress import BodySide, MeasurementMethod, MetricKind

PAIN_LOINC = "72514-3"  # Pain severity - 0-10 verbal numeric rating [Score] - Reported


class BodySite(StrEnum):
    JAW = "JAW"
    NECK = "NECK"
    SHOULDER = "SHOULDER"
    ELBOW = "ELBOW"
    FOREARM = "FOREARM"
    WRIST = "WRIST"
    HAND = "HAND"
    THUMB = "THUMB"
    FINGERS = "FINGERS"
    THORACIC_SPINE = "THORACIC_SPINE"
    LUMBAR_SPINE = "LUMBAR_SPINE"
    PELVIS = "PELVIS"
    HIP = "HIP"
    KNEE = "KNEE"
    ANKLE = "ANKLE"
    FOOT = "FOOT"
    TOES = "TOES"


class Movement(StrEnum):
    FLEXION = "FLEXION"
    EXTENSION = "EXTENSION"
    ABDUCTION = "ABDUCTION"
    ADDUCTION = "ADDUCTION"
    HORIZONTAL_ABDUCTION = "HORIZONTAL_ABDUCTION"
    HORIZONTAL_ADDUCTION = "HORIZONTAL_ADDUCTION"
    INTERNAL_ROTATION = "INTERNAL_ROTATION"
    EXTERNAL_ROTATION = "EXTERNAL_ROTATION"
    ROTATION = "ROTATION"
    LATERAL_FLEXION = "LATERAL_FLEXION"
    DORSIFLEXION = "DORSIFLEXION"
    PLANTARFLEXION = "PLANTARFLEXION"
    INVERSION = "INVERSION"
    EVERSION = "EVERSION"
    PRONATION = "PRONATION"
    SUPINATION = "SUPINATION"
    RADIAL_DEVIATION = "RADIAL_DEVIATION"
    ULNAR_DEVIATION = "ULNAR_DEVIATION"
    GRIP = "GRIP"
    PINCH = "PINCH"


@dataclass(frozen=True, slots=True)
class UnitRule:
    unit: str
    minimum: float | None  # None: open (a custom metric may leave either end open)
    maximum: float | None
    step: float | None  # values are whole multiples of it (1.0: whole numbers)
    method: MeasurementMethod  # how the care team usually measures in this unit

    def describe(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            span = f"from {_number(self.minimum)} to {_number(self.maximum)}"
        elif self.minimum is not None:
            span = f"of {_number(self.minimum)} or more"
        elif self.maximum is not None:
            span = f"of {_number(self.maximum)} or less"
        else:
            return "a number"
        if self.step == 1:
            return f"a whole number {span}"
        if self.step is not None:
            return f"a number {span} in steps of {_number(self.step)}"
        return f"a number {span}"


@dataclass(frozen=True, slots=True)
class KindRule:
    units: tuple[UnitRule, ...]  # empty for CUSTOM: its definition decides
    site_required: bool  # body site and movement
    side_required: bool  # LEFT, RIGHT or BILATERAL
    self_reported: bool  # a patient may record it themselves

    def unit_rule(self, unit: str) -> UnitRule | None:
        return next((rule for rule in self.units if rule.unit == unit), None)


_SELF = MeasurementMethod.SELF_REPORT

KIND_RULES: dict[MetricKind, KindRule] = {
    MetricKind.PAIN: KindRule(
        units=(UnitRule("{score}", 0, 10, 1, _SELF),),
        site_required=False,
        side_required=False,
        self_reported=True,
    ),
    MetricKind.RANGE_OF_MOTION: KindRule(
        # Hyperextension reads below zero; a full shoulder circle tops out at 360.
        units=(UnitRule("deg", -30, 360, None, MeasurementMethod.GONIOMETER),),
        site_required=True,
        side_required=True,
        self_reported=False,
    ),
    MetricKind.STRENGTH: KindRule(
        units=(
            UnitRule("{MMT}", 0, 5, 0.5, MeasurementMethod.MANUAL_MUSCLE_TEST),  # 3+ = 3.5
            UnitRule("kg", 0, 500, None, MeasurementMethod.DYNAMOMETER),
        ),
        site_required=True,
        side_required=False,
        self_reported=False,
    ),
    MetricKind.FUNCTION: KindRule(
        units=(UnitRule("%", 0, 100, None, _SELF),),
        site_required=False,
        side_required=False,
        self_reported=True,
    ),
    MetricKind.SYMPTOM_FREQUENCY: KindRule(
        units=(UnitRule("/d", 0, None, None, _SELF),),
        site_required=False,
        side_required=False,
        self_reported=True,
    ),
    MetricKind.CUSTOM: KindRule(
        units=(), site_required=False, side_required=False, self_reported=True
    ),
}

# What a patient can say about how they measured: they felt it, or a device told them.
PATIENT_METHODS = frozenset({MeasurementMethod.SELF_REPORT, MeasurementMethod.DEVICE})
SIDES_WITH_A_SIDE = frozenset({BodySide.LEFT, BodySide.RIGHT, BodySide.BILATERAL})


def loinc_code(kind: MetricKind) -> str | None:
    return PAIN_LOINC if kind is MetricKind.PAIN else None


def site_or_none(value: str) -> BodySite | None:
    """A stored body site name as the enum (None for empty or a name no longer in use)."""
    return BodySite.__members__.get(value)


def movement_or_none(value: str) -> Movement | None:
    return Movement.__members__.get(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
