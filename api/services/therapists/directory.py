"""Reading the therapist directory: who may see an entry, the search, the clinic locations.

The directory is clinic information, not patient data: any signed-in user reads the listed
therapists. An unlisted entry (someone not taking part in the patient-facing directory yet)
exists only for admins and for the therapist themself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from api.access.scope import AccessScope
from api.errors import BadUserInput
from api.loaders.therapists import TherapistRecord, therapist_columns
from api.models.therapists import (
    Location,
    Specialty,
    Therapist,
    TherapistLanguage,
    TherapistLocation,
    TherapistSpecialty,
)
from api.services.keyset import SortKey, keyset_page
from api.services.pagination import Page
from api.services.therapists.vocabulary import (
    normalise_language,
    primary_language,
    specialties_matching,
)

MAX_SEARCH_TEXT = 200
DIRECTORY_ORDER = SortKey(paths=("user__display_name", "id"), kinds=(str, int))


@dataclass(frozen=True, slots=True)
class DirectoryFilter:
    """Every given criterion must hold (AND); None means "any"."""

    specialty: Specialty | None = None
    location_id: int | None = None
    telehealth: bool | None = None
    language: str | None = None
    text: str | None = None
    accepting_new_patients: bool | None = None


def can_see(scope: AccessScope, therapist: TherapistRecord) -> bool:
    if not scope.viewer.is_authenticated:
        return False
    return therapist.listed or scope.is_admin or scope.viewer.user_id == therapist.user_id


def _visible(scope: AccessScope) -> QuerySet[Therapist]:
    if scope.is_admin:
        return Therapist.all()
    return Therapist.filter(Q(listed=True) | Q(user_id=scope.viewer.user_id))


def _language_match(tag: str) -> Q:
    """ "es" finds "es" and "es-mx"; "es-mx" also finds a plain "es" speaker."""
    wanted = Q(language=tag) | Q(language__startswith=f"{tag}-")
    if "-" in tag:
        wanted |= Q(language=primary_language(tag))
    return wanted


def _text_match(text: str) -> Q | None:
    """Each word must appear (any case) in the name, the credentials or the bio."""
    if len(text) > MAX_SEARCH_TEXT:
        raise BadUserInput(
            f"Search with at most {MAX_SEARCH_TEXT} characters.", field="filter.text"
        )
    words = text.split()
    if not words:
        return None
    return Q(
        *(
            Q(user__display_name__icontains=word)
            | Q(credentials__icontains=word)
            | Q(bio__icontains=word)
            for word in words
        ),
        join_type=Q.AND,
    )


def _filtered(queryset: QuerySet[Therapist], criteria: DirectoryFilter) -> QuerySet[Therapist]:
    if criteria.specialty is not None:
        specialties = TherapistSpecialty.filter(
            specialty__in=list(specialties_matching(criteria.specialty))
        )
        queryset = queryset.filter(id__in=Subquery(specialties.values("therapist_id")))
    if criteria.location_id is not None:
        at = TherapistLocation.filter(location_id=criteria.location_id)
        queryset = queryset.filter(id__in=Subquery(at.values("therapist_id")))
    if criteria.language is not None:
        tag = normalise_language(criteria.language)
        if tag is None:
            raise BadUserInput(
                "Give a language tag such as en, es or pt-BR.", field="filter.language"
            )
        speakers = TherapistLanguage.filter(_language_match(tag))
        queryset = queryset.filter(id__in=Subquery(speakers.values("therapist_id")))
    if criteria.telehealth is not None:
        queryset = queryset.filter(telehealth=criteria.telehealth)
    if criteria.accepting_new_patients is not None:
        queryset = queryset.filter(accepting_new_patients=criteria.accepting_new_patients)
    if criteria.text is not None and (words := _text_match(criteria.text)) is not None:
        queryset = queryset.filter(words)
    return queryset


async def _records(queryset: QuerySet[Any]) -> Sequence[TherapistRecord]:
    return [TherapistRecord.from_row(row) for row in await queryset.values(**therapist_columns())]


async def search(
    scope: AccessScope,
    criteria: DirectoryFilter,
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[TherapistRecord]:
    """One page of the directory by name, then id: one statement, whatever the filters."""
    scope.require_authenticated()
    return await keyset_page(
        _filtered(_visible(scope), criteria),
        DIRECTORY_ORDER,
        first=first,
        after=after,
        max_page_size=max_page_size,
        fetch=_records,
        key_of=lambda record: (record.name, record.id),
    )


async def locations(scope: AccessScope) -> list[Location]:
    """Every clinic site, by name."""
    scope.require_authenticated()
    return list(await Location.all().order_by("name", "id"))
