"""Recording measurements and reading them back, newest first.

A measurement says what (kind, body site, side, movement, value in its unit), when (measured
at; recorded at), by whom (the user and their capacity) and how (the method). The rules of
each kind live in vocabulary.py; checks.py applies them and names every problem's field.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import BadUserInput
from api.models.progress import Measurement, MeasurementMethod, MetricKind, RecorderRole
from api.realtime.events import transaction
from api.services import audit
from api.services.ids import parse_id
from api.services.pagination import Page, page_size
from api.services.progress.actors import is_patient_side, recorder_role
from api.services.progress.checks import NOTE_MAX, Checks, Metric, MetricSpec
from api.services.progress.errors import ProgressErrorCode as Code
from api.services.progress.metrics import definition_of
from api.services.progress.vocabulary import KIND_RULES, PATIENT_METHODS

_CURSOR_PREFIX = "m:"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class RecordMeasurement:
    patient_id: int
    metric: MetricSpec
    value: float
    measured_at: datetime | None = None
    method: MeasurementMethod | None = None
    note: str | None = None


async def record_measurement(
    scope: AccessScope, ctx: audit.AuditContext, command: RecordMeasurement
) -> Measurement:
    """Check, store and audit one measurement. Raises ProgressProblems with every problem."""
    role = recorder_role(scope, command.patient_id)
    checks = Checks()
    kind = command.metric.kind
    if is_patient_side(role) and not KIND_RULES[kind].self_reported:
        checks.fail(Code.NOT_SELF_REPORTED, "Your care team records this measurement.", "kind")
    metric = checks.metric(command.metric, await definition_of(command.patient_id, command.metric))
    value = checks.value(metric.rule, command.value, "value") if metric else command.value
    measured_at = checks.moment(command.measured_at, "measuredAt")
    method = _method(checks, role, metric, command.method)
    note = checks.text(command.note, "note", max_length=NOTE_MAX, required=False)
    checks.raise_if_any()
    assert metric is not None  # no problems means the metric was pinned down
    async with transaction():
        row = await Measurement.create(
            patient_id=command.patient_id,
            kind=kind,
            definition_id=metric.definition_id,
            value=value,
            unit=metric.unit,
            body_site=metric.body_site,
            side=metric.side,
            movement=metric.movement,
            measured_at=measured_at,
            method=method,
            note=note,
            recorded_by_id=scope.viewer.user_id,
            recorded_by_role=role,
            recorded_at=checks.now,
        )
        # Kind, method and capacity only: the value and the note are the patient's data.
        await audit.record(
            ctx,
            "progress.measurement_recorded",
            target_type="Measurement",
            target_id=str(row.id),
            details={"kind": kind.value, "method": method.value, "role": role.value},
        )
    return row


def _method(
    checks: Checks,
    role: RecorderRole,
    metric: Metric | None,
    given: MeasurementMethod | None,
) -> MeasurementMethod:
    if is_patient_side(role):
        if given is not None and given not in PATIENT_METHODS:
            checks.fail(
                Code.INVALID_METHOD, "Record what you felt, or what a device showed.", "method"
            )
        return given or MeasurementMethod.SELF_REPORT
    if given is not None:
        return given
    return metric.rule.method if metric else MeasurementMethod.CLINICAL_OBSERVATION


async def measurements_page(
    scope: AccessScope,
    patient_id: int,
    *,
    kind: MetricKind | None,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[Measurement]:
    """Newest measured first. The cursor holds (measured at, id): a backdated measurement
    lands where it belongs, and paging stays one indexed range scan."""
    scope.require_patient(patient_id, Need.PROGRESS_VIEW)
    size = page_size(first, max_page_size)
    query = Measurement.filter(patient_id=patient_id)
    if kind is not None:
        query = query.filter(kind=kind)
    if after is not None:
        moment, key = decode_cursor(after)
        query = query.filter(Q(measured_at__lt=moment) | Q(measured_at=moment, id__lt=key))
    rows = list(await query.order_by("-measured_at", "-id").limit(size + 1))
    return Page(
        rows=rows[:size],
        cursors=[encode_cursor(row.measured_at, row.id) for row in rows[:size]],
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
    )


def readable_measurements(
    scope: AccessScope, rows: Sequence[Measurement | None]
) -> list[Measurement | None]:
    """Each row if the viewer may see that patient's progress, else None (as if unknown)."""
    return [
        row
        if row is not None and scope.can_read_patient(row.patient_id, Need.PROGRESS_VIEW)
        else None
        for row in rows
    ]


def encode_cursor(moment: datetime, key: int) -> str:
    micros = (moment - _EPOCH) // timedelta(microseconds=1)
    text = f"{_CURSOR_PREFIX}{micros}:{key}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(cursor)
        micros, raw_key = text[len(_CURSOR_PREFIX) :].split(":")
        key = parse_id(raw_key)
        if key is None:
            raise ValueError(raw_key)
        return _EPOCH + timedelta(microseconds=int(micros)), key
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise BadUserInput("This page cursor is not valid.", field="after") from None
