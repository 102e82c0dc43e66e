"""Batch loads of the patients domain: one statement per batch, whatever the number of keys.

Patients are read as dict rows (the hot path of every profile and dashboard), with the
account's email joined in. A page of profile history is read for any number of patients in one
statement: a window function numbers each patient's changes, newest first.
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
from api.models.patients import Patient, PatientProfileChange, ProfileSection

PatientRow = dict[str, Any]
PATIENT_COLUMNS = (
    "id",
    "user_id",
    "given_name",
    "family_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "phone",
    "address",
    "time_zone",
    "preferred_language",
    "chronic_conditions",
    "previous_injuries",
    "surgeries",
    "medications",
    "allergies",
    "current_symptoms",
    "pain_level",
    "mobility_limitations",
    "goals_text",
    "goals",
    "preferences",
    "communication",
    "emergency_contacts",
    "insurance",
    "profile_reviewed_at",
    "profile_review_due_at",
)
_CHANGE_COLUMNS = (
    "id",
    "patient_id",
    "changed_by_role",
    "changed_at",
    "section",
    "changed_fields",
    "before",
    "after",
)


class PatientByIdLoader(DataLoader[int, PatientRow | None]):
    """Patient rows as dicts, with `email` from the linked account (None without one)."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[PatientRow | None]:
        rows = await Patient.filter(id__in=list(keys)).values(*PATIENT_COLUMNS, email="user__email")
        by_id = {int(row["id"]): row for row in rows}
        return [by_id.get(key) for key in keys]


@dataclass(frozen=True, slots=True)
class ProfileChangeRow:
    id: int
    patient_id: int
    changed_by_name: str | None
    changed_by_role: str
    changed_at: datetime
    section: ProfileSection
    changed_fields: list[str]
    before: dict[str, Any]
    after: dict[str, Any]

    @classmethod
    def from_values(cls, row: dict[str, Any]) -> ProfileChangeRow:
        return cls(
            id=int(row["id"]),
            patient_id=int(row["patient_id"]),
            changed_by_name=row["changed_by_name"],
            changed_by_role=row["changed_by_role"],
            changed_at=row["changed_at"],
            section=ProfileSection(row["section"]),
            changed_fields=list(row["changed_fields"]),
            before=dict(row["before"]),
            after=dict(row["after"]),
        )


class ProfileChangeByIdLoader(DataLoader[int, ProfileChangeRow | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[ProfileChangeRow | None]:
        rows = await PatientProfileChange.filter(id__in=list(keys)).values(
            *_CHANGE_COLUMNS, changed_by_name="changed_by__display_name"
        )
        by_id = {int(row["id"]): ProfileChangeRow.from_values(row) for row in rows}
        return [by_id.get(key) for key in keys]


@dataclass(frozen=True, slots=True)
class HistoryPageKey:
    """One patient's changes, newest first: at most `limit`, optionally of one section,
    optionally only those older than `before_id` (the cursor of the page before)."""

    patient_id: int
    limit: int
    section: ProfileSection | None = None
    before_id: int | None = None


class ProfileChangesByPatientIdLoader(DataLoader[HistoryPageKey, list[ProfileChangeRow]]):
    """Keys that share a section, cursor and limit are read together in one statement."""

    async def batch_load_fn(self, keys: Sequence[HistoryPageKey]) -> list[list[ProfileChangeRow]]:
        groups: dict[tuple[ProfileSection | None, int | None, int], set[int]] = defaultdict(set)
        for key in keys:
            groups[(key.section, key.before_id, key.limit)].add(key.patient_id)
        found: dict[HistoryPageKey, list[ProfileChangeRow]] = {}
        for (section, before_id, limit), patient_ids in groups.items():
            rows = await _newest_changes(sorted(patient_ids), section, before_id, limit)
            for patient_id in patient_ids:
                found[HistoryPageKey(patient_id, limit, section, before_id)] = [
                    row for row in rows if row.patient_id == patient_id
                ]
        return [found[key] for key in keys]


async def _newest_changes(
    patient_ids: list[int], section: ProfileSection | None, before_id: int | None, limit: int
) -> list[ProfileChangeRow]:
    connection = connections.get("default")
    values: list[Any] = []

    def bind(value: Any) -> str:
        values.append(value)
        return "?" if connection.capabilities.dialect == "sqlite" else f"${len(values)}"

    conditions = [f'c."patient_id" IN ({", ".join(bind(pid) for pid in patient_ids)})']
    if section is not None:
        conditions.append(f'c."section" = {bind(section.value)}')
    if before_id is not None:
        conditions.append(f'c."id" < {bind(before_id)}')
    columns = ", ".join(f'c."{name}"' for name in _CHANGE_COLUMNS)
    # Only placeholders and fixed identifiers are put into the text; every value is bound.
    sql = (
        f'SELECT * FROM (SELECT {columns}, u."display_name" AS "changed_by_name", '  # noqa: S608
        'ROW_NUMBER() OVER (PARTITION BY c."patient_id" ORDER BY c."id" DESC) AS "position" '
        f'FROM "{PatientProfileChange._meta.db_table}" c '
        f'LEFT JOIN "{User._meta.db_table}" u ON u."id" = c."changed_by_id" '
        f"WHERE {' AND '.join(conditions)}) ranked "
        f'WHERE ranked."position" <= {bind(limit)} ORDER BY ranked."patient_id", ranked."id" DESC'
    )
    fields = PatientProfileChange._meta.fields_map
    decoded = ("changed_at", "changed_fields", "before", "after")
    return [
        ProfileChangeRow.from_values(
            {**row, **{name: fields[name].to_python_value(row[name]) for name in decoded}}
        )
        for row in await connection.execute_query_dict(sql, values)
    ]


@dataclass(slots=True)
class PatientsLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""

    patient_by_id: PatientByIdLoader = field(default_factory=PatientByIdLoader)
    profile_change_by_id: ProfileChangeByIdLoader = field(default_factory=ProfileChangeByIdLoader)
    profile_changes_by_patient_id: ProfileChangesByPatientIdLoader = field(
        default_factory=ProfileChangesByPatientIdLoader
    )
