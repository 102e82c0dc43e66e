"""The directory's words: specialty labels, which specialty includes which, language tags."""

from __future__ import annotations

import re
from collections.abc import Mapping

from api.models.therapists import Specialty

SPECIALTY_LABELS: Mapping[Specialty, str] = {
    Specialty.ORTHOPEDIC: "Orthopedic",
    Specialty.SPORTS: "Sports",
    Specialty.NEUROLOGICAL: "Neurological (incl. cerebral palsy)",
    Specialty.CEREBRAL_PALSY: "Cerebral palsy",
    Specialty.PEDIATRIC: "Pediatric",
    Specialty.GERIATRIC: "Geriatric",
    Specialty.VESTIBULAR: "Vestibular (dizziness and balance)",
    Specialty.PELVIC_HEALTH: "Pelvic health",
    Specialty.SPEECH_LANGUAGE: "Speech and language",
    Specialty.SWALLOWING: "Swallowing (dysphagia)",
    Specialty.OCCUPATIONAL: "Occupational (daily living and work)",
    Specialty.HAND: "Hand therapy",
    Specialty.CARDIOPULMONARY: "Cardiopulmonary",
    Specialty.LYMPHEDEMA: "Lymphedema",
}

# A broader specialty finds the therapists of the narrower ones too: the label promises that
# "Neurological (incl. cerebral palsy)" finds a cerebral palsy specialist.
NARROWER: Mapping[Specialty, tuple[Specialty, ...]] = {
    Specialty.NEUROLOGICAL: (Specialty.CEREBRAL_PALSY,),
}


def specialties_matching(specialty: Specialty) -> tuple[Specialty, ...]:
    return (specialty, *NARROWER.get(specialty, ()))


# BCP 47, the part people use: language (2-3 letters), optional script (4 letters), optional
# region (2 letters or 3 digits), optional variants. Stored lower-case (tags are
# case-insensitive), so "pt-BR" and "pt-br" are the same language.
MAX_LANGUAGE_TAG = 16  # the column's width
_LANGUAGE_TAG = re.compile(
    r"[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
)


def normalise_language(tag: str) -> str | None:
    """The stored form of a BCP 47 tag ("pt-BR" -> "pt-br"); None when it is not one."""
    cleaned = tag.strip().lower()
    if len(cleaned) > MAX_LANGUAGE_TAG or _LANGUAGE_TAG.fullmatch(cleaned) is None:
        return None
    return cleaned


def primary_language(tag: str) -> str:
    return tag.split("-", 1)[0]
