"""The audit trail: a hash chain that shows any edit or removal, and stays one line under load."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from api.cli_ops import audit_verify
from api.models.audit import AuditEvent, AuditOutcome, AuditSeverity
from api.services import audit
from api.services.audit import GENESIS, AuditContext, AuditEntry, record, record_many, verify_chain
from tests.sql_counter import count_sql

CTX = AuditContext(actor_user_id=7, acting_for_patient_id=11, ip="203.0.113.9", session_id=5)


async def full_row(action: str = "record.viewed") -> AuditEvent:
    """A row with every column set, so that changing any of them changes something."""
    return await record(
        CTX,
        action,
        target_type="Appointment",
        target_id="42",
        outcome=AuditOutcome.SUCCESS,
        severity=AuditSeverity.WARNING,
        details={"reason": "CHECK", "count": 3, "remembered": True, "note": None},
    )


async def execute(sql: str) -> None:
    await connections.get("default").execute_query(sql)


async def test_the_chain_links_every_row_to_the_one_before(database: None) -> None:
    first = await record(AuditContext(), "auth.sign_in", outcome=AuditOutcome.FAILURE)
    second = await full_row()
    third = await record(CTX, "auth.sign_out")

    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    stored = await AuditEvent.get(id=second.id)
    assert stored.details == {"reason": "CHECK", "count": 3, "remembered": True, "note": None}
    assert stored.occurred_at == second.occurred_at  # microseconds survive the round trip

    assert await verify_chain() == audit.ChainReport(
        ok=True, rows_checked=3, first_bad_id=None, problem=None
    )


async def test_an_empty_trail_verifies(database: None) -> None:
    assert (await verify_chain()).ok
    assert (await verify_chain()).rows_checked == 0


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("occurred_at", "'2001-02-03 04:05:06.000007+00:00'"),
        ("actor_user_id", "8"),
        ("acting_for_patient_id", "NULL"),
        ("action", "'record.edited'"),
        ("target_type", "'Invoice'"),
        ("target_id", "'43'"),
        ("outcome", "'DENIED'"),
        ("severity", "'INFO'"),
        ("ip", "'198.51.100.1'"),
        ("session_id", "6"),
        ("details", """'{"reason": "CHECK", "count": 4, "remembered": true, "note": null}'"""),
        ("prev_hash", "'" + "a" * 64 + "'"),
        ("hash", "'" + "b" * 64 + "'"),
    ],
)
async def test_changing_any_column_breaks_the_chain_at_that_row(
    database: None, column: str, value: str
) -> None:
    await full_row()
    middle = await full_row()
    await full_row()

    await execute(f"UPDATE audit_event SET {column} = {value} WHERE id = {middle.id}")

    report = await verify_chain()
    assert not report.ok
    assert report.first_bad_id == middle.id
    assert report.rows_checked == 2
    assert report.problem is not None
    assert report.problem.startswith(f"row {middle.id}: ")


async def test_a_changed_row_says_its_hash_does_not_match(database: None) -> None:
    await full_row()
    middle = await full_row()
    await execute(f"UPDATE audit_event SET action = 'x' WHERE id = {middle.id}")
    assert (await verify_chain()).problem == f"row {middle.id}: hash does not match its contents"


async def test_a_value_no_field_can_read_is_reported_not_raised(database: None) -> None:
    await full_row()
    middle = await full_row()
    await execute(f"UPDATE audit_event SET outcome = 'BOGUS' WHERE id = {middle.id}")
    report = await verify_chain()
    assert report.first_bad_id == middle.id
    assert report.problem == f"row {middle.id}: a column holds a value that cannot be read"


async def test_deleting_a_middle_row_breaks_the_next_link(database: None) -> None:
    first = await full_row()
    removed = await full_row()
    after = await full_row()
    await full_row()

    await execute(f"DELETE FROM audit_event WHERE id = {removed.id}")

    report = await verify_chain()
    assert not report.ok
    assert report.first_bad_id == after.id
    assert report.problem == f"row {after.id}: prev_hash does not link to row {first.id}"


async def test_deleting_the_first_row_is_seen_too(database: None) -> None:
    first = await full_row()
    second = await full_row()
    await execute(f"DELETE FROM audit_event WHERE id = {first.id}")
    report = await verify_chain()
    assert report.first_bad_id == second.id
    assert report.problem == f"row {second.id}: prev_hash does not link to the start of the chain"


async def test_verify_walks_page_by_page(database: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "VERIFY_PAGE_SIZE", 2)
    rows = [await full_row() for _ in range(5)]
    assert await verify_chain() == audit.ChainReport(True, 5, None, None)

    await execute(f"UPDATE audit_event SET ip = NULL WHERE id = {rows[3].id}")
    with count_sql() as sql:
        report = await verify_chain()
    assert report.first_bad_id == rows[3].id
    assert sql.count == 2  # rows 1-2, then rows 3-4: it stopped at the bad one


async def test_concurrent_appenders_keep_one_line(database: None) -> None:
    events = await asyncio.gather(
        *(record(AuditContext(actor_user_id=n), "concurrent.append") for n in range(30))
    )

    assert len({event.id for event in events}) == 30
    report = await verify_chain()
    assert report.ok, report.problem
    assert report.rows_checked == 30
    rows = await AuditEvent.all().order_by("id")
    assert [row.prev_hash for row in rows] == [GENESIS] + [row.hash for row in rows[:-1]]


def stale_head_once(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The next read of the head returns the genesis value, as if another writer had won."""
    real = audit._head_hash
    served: list[str] = []

    async def head() -> str:
        if not served:
            served.append(GENESIS)
            return GENESIS
        return await real()

    monkeypatch.setattr(audit, "_head_hash", head)
    return served


async def test_a_lost_race_inside_a_transaction_retries_in_a_savepoint(
    database: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    await full_row()
    served = stale_head_once(monkeypatch)
    async with in_transaction():
        await record(CTX, "in.transaction")  # collides once, then appends on the real head
        await record(CTX, "in.transaction.again")
    assert served == [GENESIS]
    # On PostgreSQL a failed statement outside a savepoint would have aborted the transaction.
    assert await AuditEvent.filter(action__startswith="in.transaction").count() == 2
    assert (await verify_chain()).rows_checked == 3


async def test_audit_rows_roll_back_with_the_caller(database: None) -> None:
    async def failing_change() -> None:
        async with in_transaction():
            await record(CTX, "rolled.back")
            raise RuntimeError("the change failed")

    await full_row()
    with pytest.raises(RuntimeError):
        await failing_change()
    await full_row()
    report = await verify_chain()
    assert report.ok
    assert report.rows_checked == 2


def entries(count: int) -> list[AuditEntry]:
    return [
        AuditEntry(
            CTX,
            "record.exported",
            target_type="Patient",
            target_id=str(n),
            details={"page": n},
        )
        for n in range(count)
    ]


async def test_record_many_appends_in_one_insert(database: None) -> None:
    await full_row()
    await full_row()

    with count_sql() as sql:
        await record_many(entries(5))

    assert sql.count == 2, sql.statements
    assert sql.statements[0].lstrip().upper().startswith("SELECT")
    assert sql.statements[1].lstrip().upper().startswith("INSERT")
    rows = await AuditEvent.filter(action="record.exported").order_by("id")
    assert [row.target_id for row in rows] == ["0", "1", "2", "3", "4"]
    assert (await verify_chain()).rows_checked == 7
    assert (await verify_chain()).ok


async def test_record_many_on_an_empty_trail_and_with_nothing(database: None) -> None:
    with count_sql() as sql:
        await record_many([])
    assert sql.count == 0
    await record_many(entries(3))
    first = await AuditEvent.all().order_by("id").first()
    assert first is not None
    assert first.prev_hash == GENESIS
    assert (await verify_chain()).rows_checked == 3


async def test_record_many_that_loses_the_race_inserts_nothing_and_retries(
    database: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    await full_row()
    stale_head_once(monkeypatch)
    await record_many(entries(4))
    assert await AuditEvent.all().count() == 5
    assert (await verify_chain()).ok


async def test_concurrent_batches_and_singles_keep_one_line(database: None) -> None:
    await asyncio.gather(
        *(record_many(entries(3)) for _ in range(5)),
        *(record(CTX, "single") for _ in range(10)),
    )
    report = await verify_chain()
    assert report.ok, report.problem
    assert report.rows_checked == 25


@pytest.mark.parametrize(
    "details",
    [
        {"nested": {"a": 1}},
        {"items": [1, 2]},
        {"ratio": 0.5},
        {"has space": 1},
        {"9starts_with_digit": 1},
        {"k" * 41: 1},
        {"text": "x" * 201},
        {"nul": "a\x00b"},
        {"huge": 2**63},
        {f"k{n}": n for n in range(21)},
    ],
)
async def test_details_hold_only_short_scalar_facts(
    database: None, details: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="audit detail"):
        await record(CTX, "auth.sign_in", details=details)
    with pytest.raises(ValueError, match="audit detail"):
        await record_many([AuditEntry(CTX, "auth.sign_in", details=details)])
    assert await AuditEvent.all().count() == 0


async def test_columns_longer_than_the_table_are_refused_on_every_database(
    database: None,
) -> None:
    with pytest.raises(ValueError, match="action"):
        await record(CTX, "a" * 65)
    with pytest.raises(ValueError, match="action"):
        await record(CTX, "")
    with pytest.raises(ValueError, match="target_id"):
        await record(CTX, "x", target_id="1" * 65)
    with pytest.raises(ValueError, match="ip"):
        await record(AuditContext(ip="1" * 46), "x")


async def test_audit_verify_command(database: None, capsys: pytest.CaptureFixture[str]) -> None:
    await full_row()
    bad = await full_row()
    await full_row()
    assert await audit_verify() == 0
    assert capsys.readouterr().out == "audit chain OK: 3 rows\n"

    await execute(f"UPDATE audit_event SET target_id = '99' WHERE id = {bad.id}")
    assert await audit_verify() == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"audit chain BROKEN at row {bad.id}: hash does not match its contents\n"
    )
