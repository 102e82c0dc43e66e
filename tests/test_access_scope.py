"""The access scope's view of patients: own record, today's care team, admins, nobody else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.access.needs import Need
from api.access.relations import scope_for
from api.access.scope import AccessScope, SignInState, Viewer
from api.errors import Forbidden, NotFound, Unauthenticated
from api.models.accounts import Role
from api.models.patients import Patient
from tests.accounts_support import make_user
from tests.clinical_support import assign, make_patient, make_therapist
from tests.sql_counter import count_sql


def _viewer(user_id: int, *roles: Role, state: SignInState = SignInState.SIGNED_IN) -> Viewer:
    return Viewer(user_id=user_id, roles=frozenset(roles), session_id=1, state=state)


async def test_a_patient_reaches_their_own_record_only(database: None) -> None:
    maria_user, maria = await make_patient("maria@example.org")
    _, liam = await make_patient("liam@example.org", given_name="Liam")
    with count_sql() as sql:
        scope = await scope_for(_viewer(maria_user.id, Role.PATIENT))
    assert sql.count == 1
    assert scope.patient_id == maria.id
    assert scope.can_read_patient(maria.id)
    assert not scope.can_read_patient(liam.id)
    assert scope.readable_patient_ids() == frozenset({maria.id})
    with pytest.raises(NotFound):
        scope.require_patient(liam.id)
    with pytest.raises(Forbidden):
        scope.require_clinician(maria.id)


async def test_a_therapist_reaches_todays_care_team_only(database: None) -> None:
    _, maria = await make_patient("maria@example.org")
    _, liam = await make_patient("liam@example.org", given_name="Liam")
    _, noor = await make_patient("noor@example.org", given_name="Noor")
    dana_user, dana = await make_therapist()
    await assign(maria, dana)
    ended = await assign(liam, dana)
    ended.ended_at = datetime.now(UTC)
    await ended.save()
    with count_sql() as sql:
        scope = await scope_for(_viewer(dana_user.id, Role.THERAPIST))
    assert sql.count == 1
    assert scope.therapist_id == dana.id
    assert scope.care_team == frozenset({maria.id})
    assert scope.can_read_patient(maria.id)
    assert not scope.can_read_patient(liam.id)
    assert not scope.can_read_patient(noor.id)
    scope.require_clinician(maria.id)
    assert scope.actor_role(maria.id) is Role.THERAPIST


async def test_a_therapist_without_patients_still_has_a_directory_entry(database: None) -> None:
    user, therapist = await make_therapist()
    scope = await scope_for(_viewer(user.id, Role.THERAPIST))
    assert scope.therapist_id == therapist.id
    assert scope.care_team == frozenset()
    assert scope.readable_patient_ids() == frozenset()


async def test_a_therapist_who_is_also_a_patient_has_both(database: None) -> None:
    user, therapist = await make_therapist(roles=(Role.THERAPIST, Role.PATIENT))
    _, maria = await make_patient("maria@example.org")
    await assign(maria, therapist)
    own = await Patient.create(user=user, given_name="Dana", family_name="Whitfield")
    scope = await scope_for(_viewer(user.id, Role.THERAPIST, Role.PATIENT))
    assert scope.patient_id == own.id
    assert scope.readable_patient_ids() == frozenset({own.id, maria.id})
    assert scope.actor_role(own.id) is Role.PATIENT
    assert scope.actor_role(maria.id) is Role.THERAPIST


async def test_admins_reach_every_record_and_others_none(database: None) -> None:
    _, maria = await make_patient("maria@example.org")
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,))
    analyst = await make_user("analyst@clinic.test", roles=(Role.ANALYST,))
    admin_scope = await scope_for(_viewer(admin.id, Role.ADMIN))
    assert admin_scope.can_read_patient(maria.id)
    assert admin_scope.readable_patient_ids() is None
    analyst_scope = await scope_for(_viewer(analyst.id, Role.ANALYST))
    assert not analyst_scope.can_read_patient(maria.id)
    with pytest.raises(NotFound):
        analyst_scope.require_patient(maria.id)


async def test_half_signed_in_viewers_load_nothing_and_reach_nothing(database: None) -> None:
    user, maria = await make_patient("maria@example.org")
    for state in (SignInState.SECOND_FACTOR_REQUIRED, SignInState.EMAIL_UNVERIFIED):
        with count_sql() as sql:
            scope = await scope_for(_viewer(user.id, Role.PATIENT, state=state))
        assert sql.count == 0
        assert scope.patient_id is None
        assert not scope.can_read_patient(maria.id)
        with pytest.raises((Unauthenticated, Forbidden)):
            scope.require_patient(maria.id)
    assert AccessScope(Viewer()).readable_patient_ids() == frozenset()


def test_emergency_access_reads_every_part_and_changes_nothing() -> None:
    therapist = Viewer(user_id=7, roles=frozenset({Role.THERAPIST}))
    scope = AccessScope(therapist, therapist_id=3, emergency={42: 9})
    assert scope.can_reach_patient(42)
    assert not scope.can_reach_patient(43)
    for need in (Need.CARE, Need.PROFILE_VIEW, Need.PROGRESS_VIEW, Need.MESSAGES):
        assert scope.can_read_patient(42, need)
    for need in (Need.PROFILE_EDIT, Need.PROGRESS_LOG, Need.APPOINTMENTS_MANAGE):
        with pytest.raises(Forbidden):
            scope.require_patient(42, need)
    assert scope.emergency_access_id(42) == 9
    assert scope.actor_role(42) is Role.THERAPIST
