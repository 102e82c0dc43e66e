"""Custom metrics a therapist defines for one patient ("single-leg stance, seconds").

A definition with no patient is the clinic's, usable for every patient. Measurements and goals
of kind CUSTOM name their definition; its unit and bounds then decide what a value may be.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import Q

from api.access.needs import Need
from api.access.scope import AccessScope
from api.models.progress import MetricDefinition, MetricKind
from api.realtime.events import transaction
from api.services import audit
from api.services.progress.actors import require_care_team
from api.services.progress.checks import Checks, Definition, MetricSpec
from api.services.progress.errors import ProgressErrorCode as Code

NAME_MAX = 120
UNIT_MAX = 40
# UCUM units are printable and have no spaces: "s", "m", "{steps}", "cm/s", "/d".
_UNIT = re.compile(r"^[!-~]{1,40}$")


@dataclass(frozen=True, slots=True)
class DefineMetric:
    patient_id: int
    name: str
    unit: str
    minimum: float | None = None
    maximum: float | None = None
    higher_is_better: bool = True


async def define_metric(
    scope: AccessScope, ctx: audit.AuditContext, command: DefineMetric
) -> MetricDefinition:
    require_care_team(scope, command.patient_id)
    checks = Checks()
    name = checks.text(command.name, "name", max_length=NAME_MAX, required=True)
    unit = checks.text(command.unit, "unit", max_length=UNIT_MAX, required=True)
    if unit and not _UNIT.match(unit):
        checks.fail(Code.INVALID_UNIT, "Use a UCUM unit such as s, m or {steps}.", "unit")
    for field, bound in (("minimum", command.minimum), ("maximum", command.maximum)):
        if bound is not None and not math.isfinite(bound):
            checks.fail(Code.OUT_OF_RANGE, "Enter a number.", field)
    low, high = command.minimum, command.maximum
    if low is not None and high is not None and low >= high:
        checks.fail(Code.INVALID_RANGE, "The maximum must be above the minimum.", "maximum")
    checks.raise_if_any()
    async with transaction():
        row = await MetricDefinition.create(
            patient_id=command.patient_id,
            name=name,
            unit=unit,
            minimum=low,
            maximum=high,
            higher_is_better=command.higher_is_better,
            created_by_id=scope.viewer.user_id,
        )
        await audit.record(
            ctx, "progress.metric_defined", target_type="MetricDefinition", target_id=str(row.id)
        )
    return row


async def definition_for(patient_id: int, definition_id: int) -> Definition | None:
    """The definition when it is this patient's or the clinic's; None otherwise."""
    row = (
        await MetricDefinition.filter(id=definition_id)
        .filter(Q(patient_id=patient_id) | Q(patient_id=None))
        .first()
    )
    if row is None:
        return None
    return Definition(id=row.id, unit=row.unit, minimum=row.minimum, maximum=row.maximum)


async def definition_of(patient_id: int, spec: MetricSpec) -> Definition | None:
    """The definition a CUSTOM metric names, if usable for this patient (no query otherwise)."""
    if spec.kind is not MetricKind.CUSTOM or spec.definition_id is None:
        return None
    return await definition_for(patient_id, spec.definition_id)


async def definitions_for(scope: AccessScope, patient_id: int) -> list[MetricDefinition]:
    """The custom metrics usable for a patient: theirs and the clinic's, by name."""
    scope.require_patient(patient_id, Need.PROGRESS_VIEW)
    return list(
        await MetricDefinition.filter(Q(patient_id=patient_id) | Q(patient_id=None)).order_by(
            "name", "id"
        )
    )


def readable_definitions(
    scope: AccessScope, rows: Sequence[MetricDefinition | None]
) -> list[MetricDefinition | None]:
    """Each row if the viewer may read it: the clinic's to anyone signed in, a patient's to
    those who may see that patient's progress."""
    signed_in = scope.viewer.is_authenticated
    readable: list[MetricDefinition | None] = []
    for row in rows:
        patient_id: int | None = None if row is None else row.patient_id
        if row is None or not signed_in:
            readable.append(None)
        elif patient_id is None or scope.can_read_patient(patient_id, Need.PROGRESS_VIEW):
            readable.append(row)
        else:
            readable.append(None)
    return readable
