"""Batch loads of the therapist directory and care teams: one statement per batch.

A therapist's name lives on their User row; every loader that returns a therapist reads it in
the same statement (a join into dict rows), never with a second round. The care team of a
patient comes with its therapists joined, so a care team costs one statement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiodataloader import DataLoader

from api.models.patients import CareTeamMember, CareTeamRole
from api.models.therapists import (
    Discipline,
    Location,
    Specialty,
    Therapist,
    TherapistLanguage,
    TherapistLocation,
    TherapistSpecialty,
)

# Column -> ORM path of a therapist row with the name joined from its User.
_THERAPIST_PATHS: dict[str, str] = {
    "id": "id",
    "user_id": "user_id",
    "name": "user__display_name",
    "discipline": "discipline",
    "credentials": "credentials",
    "bio": "bio",
    "telehealth": "telehealth",
    "accepting_new_patients": "accepting_new_patients",
    "listed": "listed",
}


def therapist_columns(prefix: str = "") -> dict[str, str]:
    """`.values()` arguments for a therapist row; `prefix` reaches it through a relation."""
    return {f"{prefix}{column}": f"{prefix}{path}" for column, path in _THERAPIST_PATHS.items()}


@dataclass(frozen=True, slots=True)
class TherapistRecord:
    """A directory entry as read for the API: the therapist row plus the user's name."""

    id: int
    user_id: int
    name: str
    discipline: Discipline
    credentials: str
    bio: str
    telehealth: bool
    accepting_new_patients: bool
    listed: bool

    @classmethod
    def from_row(cls, row: Mapping[str, Any], prefix: str = "") -> TherapistRecord:
        return cls(
            id=int(row[f"{prefix}id"]),
            user_id=int(row[f"{prefix}user_id"]),
            name=str(row[f"{prefix}name"] or ""),
            discipline=Discipline(row[f"{prefix}discipline"]),
            credentials=str(row[f"{prefix}credentials"]),
            bio=str(row[f"{prefix}bio"]),
            telehealth=bool(row[f"{prefix}telehealth"]),
            accepting_new_patients=bool(row[f"{prefix}accepting_new_patients"]),
            listed=bool(row[f"{prefix}listed"]),
        )


@dataclass(frozen=True, slots=True)
class CareTeamRecord:
    """One active care-team assignment with its therapist."""

    patient_id: int
    therapist: TherapistRecord
    role: CareTeamRole
    since: datetime


_CARE_TEAM_PREFIX = "therapist__"


async def therapists_by(**filters: Any) -> list[TherapistRecord]:
    rows = await Therapist.filter(**filters).values(**therapist_columns())
    return [TherapistRecord.from_row(row) for row in rows]


async def care_teams_of(patient_ids: Sequence[int]) -> list[CareTeamRecord]:
    """Active members of these patients' care teams, primary first, then longest-serving."""
    rows = (
        await CareTeamMember.filter(patient_id__in=list(patient_ids), ended_at=None)
        .order_by("patient_id", "started_at", "id")
        .values("patient_id", "role", "started_at", **therapist_columns(_CARE_TEAM_PREFIX))
    )
    records = [
        CareTeamRecord(
            patient_id=int(row["patient_id"]),
            therapist=TherapistRecord.from_row(row, _CARE_TEAM_PREFIX),
            role=CareTeamRole(row["role"]),
            since=row["started_at"],
        )
        for row in rows
    ]
    # PRIMARY < TREATING < CONSULTING happens to be the alphabetical order too; keep it
    # explicit so a new role cannot reorder the list by its spelling.
    rank = {role: position for position, role in enumerate(CareTeamRole)}
    return sorted(records, key=lambda record: (record.patient_id, rank[record.role]))


class TherapistByIdLoader(DataLoader[int, TherapistRecord | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[TherapistRecord | None]:
        found = {record.id: record for record in await therapists_by(id__in=list(keys))}
        return [found.get(key) for key in keys]


class TherapistByUserIdLoader(DataLoader[int, TherapistRecord | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[TherapistRecord | None]:
        found = {record.user_id: record for record in await therapists_by(user_id__in=list(keys))}
        return [found.get(key) for key in keys]


class SpecialtiesByTherapistIdLoader(DataLoader[int, list[Specialty]]):
    """In the order the therapist gave them: the first is the one they lead with."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Specialty]]:
        by_therapist: dict[int, list[Specialty]] = defaultdict(list)
        rows = (
            await TherapistSpecialty.filter(therapist_id__in=list(keys))
            .order_by("id")
            .values_list("therapist_id", "specialty")
        )
        for therapist_id, specialty in rows:
            by_therapist[therapist_id].append(Specialty(specialty))
        return [by_therapist.get(key, []) for key in keys]


class LanguagesByTherapistIdLoader(DataLoader[int, list[str]]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[str]]:
        by_therapist: dict[int, list[str]] = defaultdict(list)
        rows = (
            await TherapistLanguage.filter(therapist_id__in=list(keys))
            .order_by("id")
            .values_list("therapist_id", "language")
        )
        for therapist_id, language in rows:
            by_therapist[therapist_id].append(str(language))
        return [by_therapist.get(key, []) for key in keys]


class LocationsByTherapistIdLoader(DataLoader[int, list[Location]]):
    """The locations joined in the same statement (to-one children of the link rows)."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Location]]:
        by_therapist: dict[int, list[Location]] = defaultdict(list)
        links = (
            await TherapistLocation.filter(therapist_id__in=list(keys))
            .select_related("location")
            .order_by("id")
        )
        for link in links:
            by_therapist[link.therapist_id].append(link.location)
        return [by_therapist.get(key, []) for key in keys]


class LocationByIdLoader(DataLoader[int, Location | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[Location | None]:
        found = {row.id: row for row in await Location.filter(id__in=list(keys))}
        return [found.get(key) for key in keys]


class CareTeamByPatientIdLoader(DataLoader[int, list[CareTeamRecord]]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[CareTeamRecord]]:
        by_patient: dict[int, list[CareTeamRecord]] = defaultdict(list)
        for record in await care_teams_of(keys):
            by_patient[record.patient_id].append(record)
        return [by_patient.get(key, []) for key in keys]


@dataclass(slots=True)
class TherapistsLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""

    therapist_by_id: TherapistByIdLoader = field(default_factory=TherapistByIdLoader)
    therapist_by_user_id: TherapistByUserIdLoader = field(default_factory=TherapistByUserIdLoader)
    specialties_by_therapist_id: SpecialtiesByTherapistIdLoader = field(
        default_factory=SpecialtiesByTherapistIdLoader
    )
    languages_by_therapist_id: LanguagesByTherapistIdLoader = field(
        default_factory=LanguagesByTherapistIdLoader
    )
    locations_by_therapist_id: LocationsByTherapistIdLoader = field(
        default_factory=LocationsByTherapistIdLoader
    )
    location_by_id: LocationByIdLoader = field(default_factory=LocationByIdLoader)
    care_team_by_patient_id: CareTeamByPatientIdLoader = field(
        default_factory=CareTeamByPatientIdLoader
    )
