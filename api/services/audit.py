"""The audit trail: append-only rows, each sealed with a hash that covers the row before it.

`hash = sha256(prev_hash + canonical JSON of the row's other columns)`, the first row linking to
`GENESIS`. Editing a row breaks its own hash; deleting one breaks the link of the next. The row's
`id` is outside the hash (the database assigns it on insert); the links fix the order instead.
What this cannot show is the newest rows being cut off the end: the head has nothing after it.

Appending reads the head and inserts with `prev_hash = head.hash`. `prev_hash` is unique, so of
two writers that read the same head one fails with IntegrityError and tries again on the new
head: the chain stays a line under any number of workers, without a lock. Inside a caller's
transaction each attempt runs in a savepoint, because a failed statement otherwise spoils the
whole transaction on PostgreSQL. An appended row holds the head until its transaction ends
(other appenders wait on the unique index), so audit late in short transactions.

`details` holds non-PHI facts only (a reason code, a count, a flag): short identifier keys and
scalar values, checked here, so nothing a patient typed can end up in the trail.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from api.models.audit import AuditEvent, AuditOutcome, AuditSeverity, RecordAccess

GENESIS = "0" * 64
MAX_ATTEMPTS = 20
VERIFY_PAGE_SIZE = 1000
MAX_DETAIL_ITEMS = 20
MAX_DETAIL_TEXT = 200
_DETAIL_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
# JSON numbers beyond 64 bits do not survive both databases (and orjson) unchanged.
_INT64 = 2**63
_COLUMN_LIMITS = {"action": 64, "target_type": 64, "target_id": 64, "ip": 45}

DetailValue = str | int | bool | None


@dataclass(frozen=True)
class AuditContext:
    actor_user_id: int | None = None
    acting_for_patient_id: int | None = None
    ip: str | None = None
    session_id: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    ctx: AuditContext
    action: str
    target_type: str | None = None
    target_id: str | None = None
    outcome: AuditOutcome = AuditOutcome.SUCCESS
    severity: AuditSeverity = AuditSeverity.INFO
    details: Mapping[str, DetailValue] | None = None


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows_checked: int
    first_bad_id: int | None
    problem: str | None


class AuditChainBusy(RuntimeError):
    """Every attempt to append lost the race for the head (MAX_ATTEMPTS in a row)."""


async def record(
    ctx: AuditContext,
    action: str,
    *,
    target_type: str | None = None,
    target_id: str | None = None,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    severity: AuditSeverity = AuditSeverity.INFO,
    details: Mapping[str, DetailValue] | None = None,
) -> AuditEvent:
    """Append one event to the chain (in the caller's transaction, if there is one)."""
    entry = AuditEntry(ctx, action, target_type, target_id, outcome, severity, details)
    columns = _columns(entry)
    for attempt in range(MAX_ATTEMPTS):
        try:
            async with _attempt():
                prev_hash = await _head_hash()
                sealed = _seal(prev_hash, {**columns, "occurred_at": _now()})
                return await AuditEvent.create(**sealed)
        except IntegrityError:
            await _back_off(attempt)
    raise AuditChainBusy(f"could not append {action!r} after {MAX_ATTEMPTS} attempts")


async def record_many(entries: Sequence[AuditEntry]) -> None:
    """Append several events with one read of the head and one INSERT statement."""
    if not entries:
        return
    columns = [_columns(entry) for entry in entries]
    for attempt in range(MAX_ATTEMPTS):
        try:
            async with _attempt():
                prev_hash = await _head_hash()
                occurred_at = _now()
                rows: list[AuditEvent] = []
                for values in columns:
                    sealed = _seal(prev_hash, {**values, "occurred_at": occurred_at})
                    rows.append(AuditEvent(**sealed))
                    prev_hash = sealed["hash"]
                # One statement, atomic on both databases: either every row joins the chain
                # or (when another writer took the head first) none does and we go again.
                await AuditEvent.bulk_create(rows)
                return
        except IntegrityError:
            await _back_off(attempt)
    raise AuditChainBusy(f"could not append {len(entries)} events after {MAX_ATTEMPTS} attempts")


async def verify_chain() -> ChainReport:
    """Walk the whole trail in id order, a page at a time; report the first row that is off."""
    previous: tuple[int, str] | None = None  # (id, hash) of the row before
    checked = 0
    async for row_id, row in _walk():
        checked += 1
        if row is None:
            problem: str | None = f"row {row_id}: a column holds a value that cannot be read"
        else:
            problem = _problem(row, previous)
        if row is None or problem is not None:
            return ChainReport(ok=False, rows_checked=checked, first_bad_id=row_id, problem=problem)
        previous = (row.id, row.hash)
    return ChainReport(ok=True, rows_checked=checked, first_bad_id=None, problem=None)


async def _walk() -> AsyncIterator[tuple[int, AuditEvent | None]]:
    """Every row in id order, paged; None for a row whose stored values cannot be loaded."""
    after: int | None = None
    while True:
        query = AuditEvent.all().order_by("id").limit(VERIFY_PAGE_SIZE)
        if after is not None:
            query = query.filter(id__gt=after)
        page: list[tuple[int, AuditEvent | None]]
        try:
            page = [(row.id, row) for row in await query]
        except (ValueError, TypeError):
            # Someone wrote a value its field cannot read (an unknown outcome, a broken date):
            # go row by row so the report can name it.
            ids = [int(item["id"]) for item in await query.values("id")]
            page = [(row_id, await _load(row_id)) for row_id in ids]
        if not page:
            return
        for item in page:
            yield item
        after = page[-1][0]


async def _load(row_id: int) -> AuditEvent | None:
    try:
        return await AuditEvent.get(id=row_id)
    except (ValueError, TypeError):
        return None


def _problem(row: AuditEvent, previous: tuple[int, str] | None) -> str | None:
    if previous is None:
        if row.prev_hash != GENESIS:
            return f"row {row.id}: prev_hash does not link to the start of the chain"
    elif row.prev_hash != previous[1]:
        return f"row {row.id}: prev_hash does not link to row {previous[0]}"
    if row.hash != _hash(row.prev_hash, _stored_columns(row)):
        return f"row {row.id}: hash does not match its contents"
    return None


def _attempt() -> AbstractAsyncContextManager[object]:
    # Outside a transaction each statement commits on its own and the INSERT's unique check is
    # the whole protocol. Inside one, a savepoint keeps a lost race from aborting the caller.
    if isinstance(connections.get("default"), TransactionalDBClient):
        return in_transaction()
    return nullcontext()


async def _head_hash() -> str:
    head = await AuditEvent.all().order_by("-id").first().values_list("hash", flat=True)
    return str(head) if head is not None else GENESIS


async def _back_off(attempt: int) -> None:
    # Jitter spreads the writers that collided, so they do not collide again in lockstep.
    # The window doubles (1 ms, 2 ms, ... up to 64 ms) so a crowd thins out quickly.
    window = 0.001 * 2 ** min(attempt, 6)
    await asyncio.sleep(random.uniform(0, window))  # noqa: S311 (jitter, not a secret)


def _now() -> datetime:
    # Microseconds (Python's own precision) are also what both databases keep, so the value
    # hashed is exactly the value read back.
    return datetime.now(UTC)


def _columns(entry: AuditEntry) -> dict[str, Any]:
    values: dict[str, Any] = {
        "actor_user_id": entry.ctx.actor_user_id,
        "acting_for_patient_id": entry.ctx.acting_for_patient_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "outcome": AuditOutcome(entry.outcome),
        "severity": AuditSeverity(entry.severity),
        "ip": entry.ctx.ip,
        "session_id": entry.ctx.session_id,
        "details": _checked_details(entry.details),
    }
    if not entry.action:
        raise ValueError("an audit event needs an action")
    for column, limit in _COLUMN_LIMITS.items():
        value = values[column]
        if value is not None and len(value) > limit:
            raise ValueError(f"audit {column} is longer than {limit} characters")
    return values


def _checked_details(details: Mapping[str, DetailValue] | None) -> dict[str, DetailValue]:
    if not details:
        return {}
    if len(details) > MAX_DETAIL_ITEMS:
        raise ValueError(f"audit details hold at most {MAX_DETAIL_ITEMS} facts")
    checked: dict[str, DetailValue] = {}
    for key, value in details.items():
        if not isinstance(key, str) or not _DETAIL_KEY.fullmatch(key):
            raise ValueError(f"audit detail key {key!r} is not a short identifier")
        if isinstance(value, bool) or value is None:
            pass
        elif isinstance(value, int):
            if not -_INT64 <= value < _INT64:
                raise ValueError(f"audit detail {key!r} is out of range")
        elif isinstance(value, str):
            if len(value) > MAX_DETAIL_TEXT or "\x00" in value:
                raise ValueError(f"audit detail {key!r} must be a short text")
        else:
            # Floats too: 1e20 comes back from PostgreSQL's jsonb as an integer, breaking the hash.
            raise ValueError(f"audit detail {key!r} must be a text, an integer, a flag or null")
        checked[key] = value
    return checked


def _stored_columns(row: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": row.occurred_at,
        "actor_user_id": row.actor_user_id,
        "acting_for_patient_id": row.acting_for_patient_id,
        "action": row.action,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "outcome": row.outcome,
        "severity": row.severity,
        "ip": row.ip,
        "session_id": row.session_id,
        "details": row.details,
    }


def _canonical(columns: Mapping[str, Any]) -> bytes:
    occurred_at: datetime = columns["occurred_at"]
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=UTC)
    document = {
        **columns,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "outcome": str(columns["outcome"]),
        "severity": str(columns["severity"]),
    }
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def _hash(prev_hash: str, columns: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(columns)).hexdigest()


def _seal(prev_hash: str, columns: dict[str, Any]) -> dict[str, Any]:
    return {**columns, "prev_hash": prev_hash, "hash": _hash(prev_hash, columns)}


@dataclass(frozen=True)
class RecordAccessEntry:
    actor_user_id: int | None
    actor_role: str
    patient_id: int
    resource: str
    resource_id: str
    action: str
    ip: str | None
    session_id: int | None
    request_id: str
    emergency_access_id: int | None = None  # the break-glass access the read happened under


async def record_accesses(entries: Sequence[RecordAccessEntry]) -> None:
    """Write one request's record accesses in one statement (outside the hash chain)."""
    if not entries:
        return
    occurred_at = _now()
    await RecordAccess.bulk_create(
        [
            RecordAccess(
                occurred_at=occurred_at,
                actor_user_id=entry.actor_user_id,
                actor_role=entry.actor_role,
                patient_id=entry.patient_id,
                resource=entry.resource[:40],
                resource_id=entry.resource_id[:64],
                action=entry.action,
                ip=entry.ip[:45] if entry.ip else None,
                session_id=entry.session_id,
                request_id=entry.request_id[:64],
                emergency_access_id=entry.emergency_access_id,
            )
            for entry in entries
        ]
    )
