"""Builders for clinical records in tests: patients, therapists, locations, care teams."""

from __future__ import annotations

from datetime import UTC, date, datetime

from strawberry.relay import GlobalID

from api.models.accounts import Role, User
from api.models.patients import CareTeamMember, CareTeamRole, Patient
from api.models.therapists import Discipline, Location, Therapist
from tests.accounts_support import make_user


def gid(type_name: str, key: int | str) -> str:
    return str(GlobalID(type_name, str(key)))


async def make_patient(
    email: str = "maria@example.org",
    *,
    given_name: str = "Maria",
    family_name: str = "Gonzalez",
    time_zone: str = "America/New_York",
) -> tuple[User, Patient]:
    user = await make_user(email, roles=(Role.PATIENT,), name=f"{given_name} {family_name}")
    patient = await Patient.create(
        user=user,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date(1980, 5, 17),
        time_zone=time_zone,
    )
    return user, patient


async def make_location(
    name: str = "Riverside Clinic", time_zone: str = "America/New_York"
) -> Location:
    return await Location.create(
        name=name,
        address_line1="12 River Road",
        city="Springfield",
        region="MA",
        postal_code="01101",
        country="US",
        time_zone=time_zone,
    )


async def make_therapist(
    email: str = "dana@clinic.test",
    *,
    name: str = "Dana Whitfield",
    discipline: Discipline = Discipline.PHYSICAL_THERAPY,
    roles: tuple[Role, ...] = (Role.THERAPIST,),
) -> tuple[User, Therapist]:
    user = await make_user(email, roles=roles, name=name)
    therapist = await Therapist.create(user=user, discipline=discipline, credentials="PT, DPT")
    return user, therapist


async def assign(
    patient: Patient, therapist: Therapist, role: CareTeamRole = CareTeamRole.PRIMARY
) -> CareTeamMember:
    return await CareTeamMember.create(
        patient=patient, therapist=therapist, role=role, started_at=datetime.now(UTC)
    )
