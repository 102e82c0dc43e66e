"""Batch loads of the messaging domain: one statement per batch, whatever the number of keys.

Messages are read as rows with their author's name and their thread's patient joined in (the
author is shown with every message; the patient decides who may read it), and the patient's
name, which a caregiver's message names as the one it was written for. A page of messages
is read for any number of threads in one statement: a window function numbers each thread's
messages, oldest first. The loaders do not check access: services and the schema do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiodataloader import DataLoader
from tortoise import connections

from api.models.accounts import User
from api.models.files import StoredFile
from api.models.messaging import (
    AuthorRole,
    Message,
    MessageAttachment,
    MessageThread,
    ThreadRead,
)
from api.models.patients import Patient

MESSAGE_COLUMNS = (
    "id",
    "thread_id",
    "author_id",
    "author_role",
    "body",
    "urgent",
    "created_at",
    "acknowledged_at",
    "escalated_at",
)


def patient_name(given: str | None, family: str | None, preferred: str | None) -> str:
    """How a message names the patient a caregiver wrote for: "Maria Lopez"."""
    return " ".join(part for part in (preferred or given or "", family or "") if part)


@dataclass(frozen=True, slots=True)
class MessageRow:
    id: int
    thread_id: int
    patient_id: int
    author_id: int
    author_name: str
    author_role: AuthorRole
    patient_name: str
    body: str
    urgent: bool
    created_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None

    @classmethod
    def from_values(cls, row: dict[str, Any]) -> MessageRow:
        return cls(
            id=int(row["id"]),
            thread_id=int(row["thread_id"]),
            patient_id=int(row["patient_id"]),
            author_id=int(row["author_id"]),
            author_name=row["author_name"] or "",
            author_role=AuthorRole(row["author_role"]),
            patient_name=patient_name(
                row["patient_given_name"], row["patient_family_name"], row["patient_preferred_name"]
            ),
            body=row["body"],
            urgent=bool(row["urgent"]),
            created_at=row["created_at"],
            acknowledged_at=row["acknowledged_at"],
            escalated_at=row["escalated_at"],
        )


async def message_rows(limit: int | None = None, **filters: Any) -> list[MessageRow]:
    """Messages matching Tortoise filters, oldest first, with author name and patient."""
    query = Message.filter(**filters).order_by("id")
    if limit is not None:
        query = query.limit(limit)
    rows = await query.values(
        *MESSAGE_COLUMNS,
        patient_id="thread__patient_id",
        author_name="author__display_name",
        patient_given_name="thread__patient__given_name",
        patient_family_name="thread__patient__family_name",
        patient_preferred_name="thread__patient__preferred_name",
    )
    return [MessageRow.from_values(row) for row in rows]


class MessageThreadByIdLoader(DataLoader[int, MessageThread | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[MessageThread | None]:
        rows = {row.id: row for row in await MessageThread.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class MessageByIdLoader(DataLoader[int, MessageRow | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[MessageRow | None]:
        rows = {row.id: row for row in await message_rows(id__in=list(keys))}
        return [rows.get(key) for key in keys]


@dataclass(frozen=True, slots=True)
class MessagePageKey:
    """One thread's messages, oldest first: at most `limit`, only those after `after_id`."""

    thread_id: int
    limit: int
    after_id: int | None = None


class MessagesByThreadIdLoader(DataLoader[MessagePageKey, list[MessageRow]]):
    """Keys that share a cursor and a limit are read together in one statement."""

    async def batch_load_fn(self, keys: Sequence[MessagePageKey]) -> list[list[MessageRow]]:
        groups: dict[tuple[int | None, int], set[int]] = defaultdict(set)
        for key in keys:
            groups[(key.after_id, key.limit)].add(key.thread_id)
        found: dict[MessagePageKey, list[MessageRow]] = {}
        for (after_id, limit), thread_ids in groups.items():
            rows = await _oldest_messages(sorted(thread_ids), after_id, limit)
            by_thread: dict[int, list[MessageRow]] = defaultdict(list)
            for row in rows:
                by_thread[row.thread_id].append(row)
            for thread_id in thread_ids:
                found[MessagePageKey(thread_id, limit, after_id)] = by_thread.get(thread_id, [])
        return [found[key] for key in keys]


def _binder(values: list[Any]) -> Any:
    sqlite = connections.get("default").capabilities.dialect == "sqlite"

    def bind(value: Any) -> str:
        values.append(value)
        return "?" if sqlite else f"${len(values)}"

    return bind


async def _oldest_messages(
    thread_ids: list[int], after_id: int | None, limit: int
) -> list[MessageRow]:
    values: list[Any] = []
    bind = _binder(values)
    conditions = [f'm."thread_id" IN ({", ".join(bind(tid) for tid in thread_ids)})']
    if after_id is not None:
        conditions.append(f'm."id" > {bind(after_id)}')
    columns = ", ".join(f'm."{name}"' for name in MESSAGE_COLUMNS)
    # Only placeholders and fixed identifiers are put into the text; every value is bound.
    sql = (
        f'SELECT * FROM (SELECT {columns}, t."patient_id" AS "patient_id", '  # noqa: S608
        'u."display_name" AS "author_name", p."given_name" AS "patient_given_name", '
        'p."family_name" AS "patient_family_name", '
        'p."preferred_name" AS "patient_preferred_name", '
        'ROW_NUMBER() OVER (PARTITION BY m."thread_id" ORDER BY m."id") AS "position" '
        f'FROM "{Message._meta.db_table}" m '
        f'JOIN "{MessageThread._meta.db_table}" t ON t."id" = m."thread_id" '
        f'JOIN "{Patient._meta.db_table}" p ON p."id" = t."patient_id" '
        f'LEFT JOIN "{User._meta.db_table}" u ON u."id" = m."author_id" '
        f"WHERE {' AND '.join(conditions)}) ranked "
        f'WHERE ranked."position" <= {bind(limit)} ORDER BY ranked."thread_id", ranked."id"'
    )
    fields = Message._meta.fields_map
    decoded = ("created_at", "acknowledged_at", "escalated_at", "urgent")
    connection = connections.get("default")
    return [
        MessageRow.from_values(
            {**row, **{name: fields[name].to_python_value(row[name]) for name in decoded}}
        )
        for row in await connection.execute_query_dict(sql, values)
    ]


@dataclass(frozen=True, slots=True)
class ThreadViewerKey:
    thread_id: int
    user_id: int


class UnreadCountByThreadIdLoader(DataLoader[ThreadViewerKey, int]):
    """Messages of others after the viewer's read receipt (all of them without one)."""

    async def batch_load_fn(self, keys: Sequence[ThreadViewerKey]) -> list[int]:
        by_user: dict[int, set[int]] = defaultdict(set)
        for key in keys:
            by_user[key.user_id].add(key.thread_id)
        counts: dict[ThreadViewerKey, int] = {}
        connection = connections.get("default")
        for user_id, thread_ids in by_user.items():
            values: list[Any] = []
            bind = _binder(values)
            reader = bind(user_id)
            threads = ", ".join(bind(tid) for tid in sorted(thread_ids))
            author = bind(user_id)
            sql = (
                'SELECT m."thread_id" AS "thread_id", COUNT(*) AS "unread" '  # noqa: S608
                f'FROM "{Message._meta.db_table}" m '
                f'LEFT JOIN "{ThreadRead._meta.db_table}" r '
                f'ON r."thread_id" = m."thread_id" AND r."user_id" = {reader} '
                f'WHERE m."thread_id" IN ({threads}) AND m."author_id" <> {author} '
                'AND (r."last_read_message_id" IS NULL OR m."id" > r."last_read_message_id") '
                'GROUP BY m."thread_id"'
            )
            for row in await connection.execute_query_dict(sql, values):
                counts[ThreadViewerKey(int(row["thread_id"]), user_id)] = int(row["unread"])
        return [counts.get(key, 0) for key in keys]


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    thread_id: int
    user_id: int
    name: str
    # The thread's patient, or a caregiver of theirs; otherwise somebody of the clinic.
    is_patient: bool
    last_read_message_id: int
    read_at: datetime


class ReadReceiptsByThreadIdLoader(DataLoader[int, list[ReceiptRow]]):
    """Each thread's receipts in reading order. The reader's caregiver grants are joined in
    (one row per grant they hold, folded back here): a reader with a grant from the thread's
    patient, live or not, read on the patient's side."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[ReceiptRow]]:
        rows = (
            await ThreadRead.filter(thread_id__in=list(keys))
            .order_by("read_at", "id")
            .values(
                "id",
                "thread_id",
                "user_id",
                "last_read_message_id",
                "read_at",
                name="user__display_name",
                patient_id="thread__patient_id",
                patient_user_id="thread__patient__user_id",
                cared_for_id="user__caregiving__patient_id",
            )
        )
        receipts: dict[int, dict[str, Any]] = {}
        patient_side: set[int] = set()
        for row in rows:
            receipts.setdefault(int(row["id"]), row)
            if row["user_id"] == row["patient_user_id"] or (
                row["cared_for_id"] is not None and row["cared_for_id"] == row["patient_id"]
            ):
                patient_side.add(int(row["id"]))
        grouped: dict[int, list[ReceiptRow]] = defaultdict(list)
        for receipt_id, row in receipts.items():
            grouped[int(row["thread_id"])].append(
                ReceiptRow(
                    thread_id=int(row["thread_id"]),
                    user_id=int(row["user_id"]),
                    name=row["name"] or "",
                    is_patient=receipt_id in patient_side,
                    last_read_message_id=int(row["last_read_message_id"]),
                    read_at=row["read_at"],
                )
            )
        return [grouped.get(key, []) for key in keys]


class AttachmentsByMessageIdLoader(DataLoader[int, list[StoredFile]]):
    """Each message's files in the order they were attached, the file rows joined in."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[StoredFile]]:
        links = (
            await MessageAttachment.filter(message_id__in=list(keys))
            .select_related("file")
            .order_by("message_id", "id")
        )
        grouped: dict[int, list[StoredFile]] = defaultdict(list)
        for link in links:
            grouped[link.message_id].append(link.file)
        return [grouped.get(key, []) for key in keys]


@dataclass(slots=True)
class MessagingLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""

    message_thread_by_id: MessageThreadByIdLoader = field(default_factory=MessageThreadByIdLoader)
    message_by_id: MessageByIdLoader = field(default_factory=MessageByIdLoader)
    messages_by_thread_id: MessagesByThreadIdLoader = field(
        default_factory=MessagesByThreadIdLoader
    )
    unread_count_by_thread_id: UnreadCountByThreadIdLoader = field(
        default_factory=UnreadCountByThreadIdLoader
    )
    read_receipts_by_thread_id: ReadReceiptsByThreadIdLoader = field(
        default_factory=ReadReceiptsByThreadIdLoader
    )
    attachments_by_message_id: AttachmentsByMessageIdLoader = field(
        default_factory=AttachmentsByMessageIdLoader
    )
