"""What the demo clinic is made of: places, people, Maria's plan and her month of pain scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from api.models.plans import AbilityLevel
from api.models.therapists import Discipline, Specialty

MARIA = "maria.gonzalez@demo.relief.test"
LIAM = "liam.chen@demo.relief.test"
OKAFOR = "dr.okafor@demo.relief.test"
LINDQVIST = "j.lindqvist@demo.relief.test"
PATEL = "s.patel@demo.relief.test"
PROFILE_REVIEW_MONTHS = 3  # the setting's default: demo data is made without settings
PLAN_TITLE = "Right knee: strength and confidence after ACL reconstruction"
# A month of pain scores, oldest first: settling from 6 towards 3 with ordinary bad days.
PAIN_MONTH = tuple(map(int, "667656556554554454443443433433"))


@dataclass(frozen=True)
class DemoLocation:
    name: str
    address_line1: str
    city: str
    region: str
    postal_code: str
    time_zone: str
    phone: str


LOCATIONS = (
    DemoLocation(
        "Riverside Clinic",
        "210 Water Street",
        "Boston",
        "MA",
        "02109",
        "America/New_York",
        "+16175550140",
    ),
    DemoLocation(
        "Lakeshore Clinic",
        "88 Harbor Drive",
        "Chicago",
        "IL",
        "60601",
        "America/Chicago",
        "+13125550160",
    ),
)


@dataclass(frozen=True)
class DemoTherapist:
    email: str
    discipline: Discipline
    credentials: str
    specialties: tuple[Specialty, ...]
    languages: tuple[str, ...]
    locations: tuple[str, ...]
    telehealth: bool
    bio: str


THERAPISTS = (
    DemoTherapist(
        OKAFOR,
        Discipline.PHYSICAL_THERAPY,
        "PT, DPT, OCS",
        (Specialty.ORTHOPEDIC, Specialty.SPORTS),
        ("en", "fr"),
        ("Riverside Clinic",),
        True,
        "Orthopedic and sports physical therapist: knees, shoulders and getting back to running.",
    ),
    DemoTherapist(
        LINDQVIST,
        Discipline.OCCUPATIONAL_THERAPY,
        "OTR/L",
        (Specialty.NEUROLOGICAL, Specialty.CEREBRAL_PALSY, Specialty.PEDIATRIC, Specialty.HAND),
        ("en", "sv"),
        ("Riverside Clinic", "Lakeshore Clinic"),
        False,
        "Occupational therapist for children and adults with cerebral palsy and hand conditions.",
    ),
    DemoTherapist(
        PATEL,
        Discipline.SPEECH_LANGUAGE_PATHOLOGY,
        "MS, CCC-SLP",
        (Specialty.SPEECH_LANGUAGE, Specialty.SWALLOWING, Specialty.PEDIATRIC),
        ("en", "hi", "gu"),
        ("Lakeshore Clinic",),
        True,
        "Speech-language pathologist: speech, language and safe swallowing at every age.",
    ),
)


class Dose(NamedTuple):
    slug: str
    level: AbilityLevel
    sets: int
    reps: int
    hold_seconds: int | None = None


class DemoPhase(NamedTuple):
    name: str
    weeks: tuple[int, int]
    focus: str
    doses: tuple[Dose, ...]


STANDARD, EASIER, HARDER = AbilityLevel.STANDARD, AbilityLevel.REGRESSION, AbilityLevel.PROGRESSION
PHASES = (
    DemoPhase(
        "Protect and activate",
        (1, 2),
        "Calm the swelling, wake up the thigh muscles, bend the knee.",
        (
            Dose("quad-set", STANDARD, 3, 10, 5),
            Dose("heel-slide", STANDARD, 2, 10),
            Dose("ankle-pumps", STANDARD, 1, 20),
        ),
    ),
    DemoPhase(
        "Build strength",
        (3, 6),
        "Strength for stairs and standing up, without flare-ups.",
        (
            Dose("glute-bridge", STANDARD, 3, 10, 3),
            Dose("quad-set", HARDER, 3, 10),
            Dose("sit-to-stand", EASIER, 3, 8),
            Dose("double-heel-raise", STANDARD, 2, 12),
        ),
    ),
    DemoPhase(
        "Return to activity",
        (7, 12),
        "Balance, single-leg control and walking further.",
        (Dose("step-up", STANDARD, 3, 10), Dose("single-leg-bridge", STANDARD, 3, 8)),
    ),
)
