"""The therapist directory: who treats, where, in which specialties and languages."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from api.models.accounts import User


class Specialty(StrEnum):
    """The clinic's controlled vocabulary; the directory filters on exactly these."""

    ORTHOPEDIC = "ORTHOPEDIC"
    SPORTS = "SPORTS"
    NEUROLOGICAL = "NEUROLOGICAL"
    CEREBRAL_PALSY = "CEREBRAL_PALSY"
    PEDIATRIC = "PEDIATRIC"
    GERIATRIC = "GERIATRIC"
    VESTIBULAR = "VESTIBULAR"
    PELVIC_HEALTH = "PELVIC_HEALTH"
    SPEECH_LANGUAGE = "SPEECH_LANGUAGE"
    SWALLOWING = "SWALLOWING"
    OCCUPATIONAL = "OCCUPATIONAL"
    HAND = "HAND"
    CARDIOPULMONARY = "CARDIOPULMONARY"
    LYMPHEDEMA = "LYMPHEDEMA"


class Discipline(StrEnum):
    PHYSICAL_THERAPY = "PHYSICAL_THERAPY"
    OCCUPATIONAL_THERAPY = "OCCUPATIONAL_THERAPY"
    SPEECH_LANGUAGE_PATHOLOGY = "SPEECH_LANGUAGE_PATHOLOGY"


class Location(Model):
    """A clinic site. Its time zone is the one its opening hours are written in."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=120)
    address_line1 = fields.CharField(max_length=200)
    address_line2 = fields.CharField(max_length=200, default="")
    city = fields.CharField(max_length=100)
    region = fields.CharField(max_length=100, default="")
    postal_code = fields.CharField(max_length=20, default="")
    country = fields.CharField(max_length=2)  # ISO 3166-1 alpha-2
    time_zone = fields.CharField(max_length=64)  # an IANA zone name
    phone = fields.CharField(max_length=32, default="")  # E.164

    class Meta:
        table = "therapists_location"


class Therapist(Model):
    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "relief.User", related_name="therapist", on_delete=fields.CASCADE
    )
    user_id: int
    discipline = fields.CharEnumField(Discipline, max_length=32)
    credentials = fields.CharField(max_length=80, default="")  # as printed: "PT, DPT, OCS"
    bio = fields.TextField(default="")
    telehealth = fields.BooleanField(default=False)
    accepting_new_patients = fields.BooleanField(default=True)
    listed = fields.BooleanField(default=True)  # shown in the patient-facing directory
    # Kept free after each session (notes, cleaning the room); bookings cannot use it.
    buffer_minutes = fields.SmallIntField(default=10)
    # Where telehealth hours are counted; clinic hours use their location's zone.
    time_zone = fields.CharField(max_length=64, default="America/New_York")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "therapists_therapist"


class TherapistSpecialty(Model):
    id = fields.BigIntField(primary_key=True)
    therapist: fields.ForeignKeyRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name="specialties", on_delete=fields.CASCADE
    )
    therapist_id: int
    specialty = fields.CharEnumField(Specialty, max_length=32)

    class Meta:
        table = "therapists_specialty"
        unique_together = (("therapist", "specialty"),)
        indexes = (("specialty",),)


class TherapistLanguage(Model):
    id = fields.BigIntField(primary_key=True)
    therapist: fields.ForeignKeyRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name="languages", on_delete=fields.CASCADE
    )
    therapist_id: int
    language = fields.CharField(max_length=16)  # a BCP 47 tag, lower-case: "en", "es", "pt-br"

    class Meta:
        table = "therapists_language"
        unique_together = (("therapist", "language"),)
        indexes = (("language",),)


class TherapistLocation(Model):
    id = fields.BigIntField(primary_key=True)
    therapist: fields.ForeignKeyRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name="locations", on_delete=fields.CASCADE
    )
    therapist_id: int
    location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        "relief.Location", related_name="therapists", on_delete=fields.CASCADE
    )
    location_id: int

    class Meta:
        table = "therapists_therapist_location"
        unique_together = (("therapist", "location"),)
