"""Care teams: the `careTeam` resolver the Patient type uses, and who changes a team, how."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import strawberry

from api.access import relations
from api.access.rate_limits import build_rate_limits
from api.access.record_access import AccessAction, AccessedRecord
from api.access.scope import AccessScope, Viewer
from api.context import Context
from api.models.accounts import User, UserRole
from api.models.patients import CareTeamMember as CareTeamRow
from api.models.patients import CareTeamRole, Patient
from api.models.therapists import Therapist
from api.schema.errors import CodedErrorsSchema
from api.schema.therapists import CareTeamMember, patient_care_team
from api.services import audit
from api.services.therapists import care_team
from api.settings import Settings
from tests.clinical_support import assign, gid, make_patient
from tests.conftest import GraphQLClient
from tests.sql_counter import count_sql
from tests.therapists_support import (
    audit_actions,
    error_codes,
    listed_therapist,
    make_admin,
    result_of,
    typed_errors,
)

# --- the resolver, on a stand-in for the Patient type (the lead attaches it to the real one) ---


@strawberry.type
class PatientStandIn:
    id: int
    care_team: list[CareTeamMember] = strawberry.field(resolver=patient_care_team)


@strawberry.type
class StandInQuery:
    @strawberry.field
    def patient(self, id: int) -> PatientStandIn:
        return PatientStandIn(id=id)


STAND_IN = CodedErrorsSchema(query=StandInQuery)
CARE_TEAM = """query($id: Int!) { patient(id: $id) { careTeam {
  role since therapist { id name credentials }
} } }"""


async def _scope_of(user: User | None) -> AccessScope:
    if user is None:
        return AccessScope(Viewer())
    roles = frozenset(row.role for row in await UserRole.filter(user_id=user.id))
    return await relations.scope_for(Viewer(user_id=user.id, roles=roles))


async def care_team_as(
    settings: Settings, user: User | None, patient: Patient
) -> tuple[Any, list[str], list[AccessedRecord]]:
    scope = await _scope_of(user)

    async def resolve_scope() -> AccessScope:
        return scope

    context = Context(
        settings=settings,
        request_id="test",
        rate_limits=build_rate_limits(settings),
        resolve_scope=resolve_scope,
    )
    result = await STAND_IN.execute(CARE_TEAM, {"id": patient.id}, context_value=context)
    codes = [str((error.extensions or {}).get("code")) for error in result.errors or []]
    team = result.data["patient"]["careTeam"] if result.data and result.data["patient"] else None
    return team, codes, context.record_access.drain()


async def _clinic() -> dict[str, Any]:
    patient_user, patient = await make_patient()
    lead_user, lead = await listed_therapist("lead@clinic.test", "Lee Lead")
    helper_user, helper = await listed_therapist("help@clinic.test", "Hana Helper", listed=False)
    outsider_user, outsider = await listed_therapist("out@clinic.test", "Otto Outside")
    await assign(patient, helper, CareTeamRole.TREATING)
    await assign(patient, lead, CareTeamRole.PRIMARY)
    return {
        "patient_user": patient_user,
        "patient": patient,
        "lead_user": lead_user,
        "lead": lead,
        "helper_user": helper_user,
        "helper": helper,
        "outsider_user": outsider_user,
        "outsider": outsider,
    }


async def test_the_care_team_of_a_patient(database: None, settings: Settings) -> None:
    clinic = await _clinic()
    patient, lead, helper = clinic["patient"], clinic["lead"], clinic["helper"]
    _, ex = await listed_therapist("ex@clinic.test", "Ex Former")
    former = await assign(patient, ex, CareTeamRole.TREATING)
    former.ended_at = datetime.now(UTC)
    await former.save()
    expected = [
        {
            "role": "PRIMARY",
            "therapist": {
                "id": gid("Therapist", lead.id),
                "name": "Lee Lead",
                "credentials": "PT, DPT",
            },
        },
        {
            "role": "TREATING",
            "therapist": {
                "id": gid("Therapist", helper.id),
                "name": "Hana Helper",
                "credentials": "PT, DPT",
            },
        },
    ]
    for viewer in ("patient_user", "lead_user", "helper_user"):
        team, codes, seen = await care_team_as(settings, clinic[viewer], patient)
        assert codes == []
        assert [{k: v for k, v in member.items() if k != "since"} for member in team] == expected
        assert seen == [AccessedRecord(patient.id, "CareTeam", str(patient.id), AccessAction.READ)]
    since = datetime.fromisoformat(team[0]["since"])
    assert abs(since - datetime.now(UTC)) < timedelta(minutes=1)

    admin = await make_admin()
    team, codes, _ = await care_team_as(settings, admin, patient)
    assert (len(team), codes) == (2, [])


async def test_outside_the_care_team_the_team_does_not_exist(
    database: None, settings: Settings
) -> None:
    clinic = await _clinic()
    other_user, _ = await make_patient("other@example.org", given_name="Olga")
    for viewer in (clinic["outsider_user"], other_user):
        team, codes, seen = await care_team_as(settings, viewer, clinic["patient"])
        assert (team, codes, seen) == (None, ["NOT_FOUND"], [])
    team, codes, _ = await care_team_as(settings, None, clinic["patient"])
    assert (team, codes) == (None, ["UNAUTHENTICATED"])


async def test_a_care_team_costs_one_statement(database: None, settings: Settings) -> None:
    clinic = await _clinic()
    for n in range(8):
        _, extra = await listed_therapist(f"c{n}@clinic.test", f"Consultant {n}")
        await assign(clinic["patient"], extra, CareTeamRole.CONSULTING)
    scope = await _scope_of(clinic["patient_user"])

    async def resolve_scope() -> AccessScope:
        return scope

    context = Context(
        settings=settings,
        request_id="test",
        rate_limits=build_rate_limits(settings),
        resolve_scope=resolve_scope,
    )
    with count_sql() as sql:
        result = await STAND_IN.execute(
            CARE_TEAM, {"id": clinic["patient"].id}, context_value=context
        )
    assert result.errors is None
    assert result.data is not None
    assert len(result.data["patient"]["careTeam"]) == 10
    assert [m["role"] for m in result.data["patient"]["careTeam"][:3]] == [
        "PRIMARY",
        "TREATING",
        "CONSULTING",
    ]
    assert sql.count == 1


# --- changing the team ------------------------------------------------------------------------

TEAM_RESULT = """__typename
  ... on CareTeamPayload { members { role therapist { name } } }
  ... on TherapistErrors { errors { code field message } }"""
ASSIGN = f"""mutation($input: AssignCareTeamMemberInput!) {{
  assignCareTeamMember(input: $input) {{ {TEAM_RESULT} }} }}"""
END = f"""mutation($input: EndCareTeamAssignmentInput!) {{
  endCareTeamAssignment(input: $input) {{ {TEAM_RESULT} }} }}"""


def team_input(patient: Patient, therapist: Therapist, role: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "patientId": gid("Patient", patient.id),
        "therapistId": gid("Therapist", therapist.id),
    }
    if role is not None:
        values["role"] = role
    return {"input": values}


def members(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(member["therapist"]["name"], member["role"]) for member in result["members"]]


async def test_a_new_primary_demotes_the_old_one(gql: GraphQLClient) -> None:
    clinic = await _clinic()
    patient, lead, outsider = clinic["patient"], clinic["lead"], clinic["outsider"]
    admin = await make_admin()
    body = await gql.execute(ASSIGN, team_input(patient, outsider, "PRIMARY"), as_user=admin.id)
    assert members(result_of(body, "assignCareTeamMember")) == [
        ("Otto Outside", "PRIMARY"),
        ("Hana Helper", "TREATING"),  # within a role, the longest-serving first
        ("Lee Lead", "TREATING"),
    ]
    primaries = await CareTeamRow.filter(patient_id=patient.id, role=CareTeamRole.PRIMARY)
    assert [row.therapist_id for row in primaries] == [outsider.id]
    assert await audit_actions() == [
        (
            "care_team.assigned",
            {
                "therapistId": outsider.id,
                "role": "PRIMARY",
                "reopened": False,
                "demotedTherapistId": lead.id,
            },
        )
    ]
    # The old primary may no longer manage the team; the new one may.
    body = await gql.execute(
        ASSIGN, team_input(patient, clinic["helper"], "CONSULTING"), as_user=clinic["lead_user"].id
    )
    assert error_codes(body) == ["FORBIDDEN"]
    body = await gql.execute(
        ASSIGN,
        team_input(patient, clinic["helper"], "CONSULTING"),
        as_user=clinic["outsider_user"].id,
    )
    assert ("Hana Helper", "CONSULTING") in members(result_of(body, "assignCareTeamMember"))

    # Naming the primary again changes nothing and demotes nobody.
    body = await gql.execute(ASSIGN, team_input(patient, outsider, "PRIMARY"), as_user=admin.id)
    assert members(result_of(body, "assignCareTeamMember"))[0] == ("Otto Outside", "PRIMARY")
    assert await CareTeamRow.filter(patient_id=patient.id, role=CareTeamRole.PRIMARY).count() == 1


async def test_who_may_change_the_team(gql: GraphQLClient) -> None:
    clinic = await _clinic()
    patient = clinic["patient"]
    _, newcomer = await listed_therapist("new@clinic.test", "Nia Newcomer")
    change = team_input(patient, newcomer, "TREATING")
    assert error_codes(await gql.execute(ASSIGN, change)) == ["UNAUTHENTICATED"]
    for viewer, code in (
        ("patient_user", "FORBIDDEN"),
        ("helper_user", "FORBIDDEN"),  # on the team, but not its primary
        ("outsider_user", "NOT_FOUND"),  # the patient does not exist for them
    ):
        assert error_codes(await gql.execute(ASSIGN, change, as_user=clinic[viewer].id)) == [code]
        ending = team_input(patient, clinic["helper"])
        assert error_codes(await gql.execute(END, ending, as_user=clinic[viewer].id)) == [code]
    assert await CareTeamRow.filter(therapist_id=newcomer.id).count() == 0

    body = await gql.execute(ASSIGN, change, as_user=clinic["lead_user"].id)
    assert ("Nia Newcomer", "TREATING") in members(result_of(body, "assignCareTeamMember"))
    admin = await make_admin()
    missing = {"input": {**change["input"], "patientId": gid("Patient", 999999)}}
    assert error_codes(await gql.execute(ASSIGN, missing, as_user=admin.id)) == ["NOT_FOUND"]


async def test_ending_and_reopening_an_assignment(gql: GraphQLClient) -> None:
    clinic = await _clinic()
    patient, helper = clinic["patient"], clinic["helper"]
    lead_user, helper_user = clinic["lead_user"], clinic["helper_user"]
    row = await CareTeamRow.get(patient_id=patient.id, therapist_id=helper.id)

    body = await gql.execute(END, team_input(patient, helper), as_user=lead_user.id)
    assert members(result_of(body, "endCareTeamAssignment")) == [("Lee Lead", "PRIMARY")]
    ended = await CareTeamRow.get(id=row.id)
    assert ended.ended_at is not None
    # Off the team: the patient no longer exists for the helper.
    assert error_codes(
        await gql.execute(END, team_input(patient, helper), as_user=helper_user.id)
    ) == ["NOT_FOUND"]
    again = await gql.execute(END, team_input(patient, helper), as_user=lead_user.id)
    assert typed_errors(result_of(again, "endCareTeamAssignment")) == [
        ("NOT_ON_CARE_TEAM", "therapistId")
    ]

    body = await gql.execute(
        ASSIGN, team_input(patient, helper, "CONSULTING"), as_user=lead_user.id
    )
    assert members(result_of(body, "assignCareTeamMember")) == [
        ("Lee Lead", "PRIMARY"),
        ("Hana Helper", "CONSULTING"),
    ]
    reopened = await CareTeamRow.get(id=row.id)  # the same row, not a second one
    assert reopened.ended_at is None
    assert reopened.started_at > row.started_at
    assert await CareTeamRow.filter(patient_id=patient.id, therapist_id=helper.id).count() == 1
    actions = await audit_actions()
    assert actions == [
        ("care_team.ended", {"therapistId": helper.id, "role": "TREATING"}),
        (
            "care_team.assigned",
            {
                "therapistId": helper.id,
                "role": "CONSULTING",
                "reopened": True,
                "demotedTherapistId": None,
            },
        ),
    ]


async def test_unknown_and_malformed_therapists_are_typed_errors(gql: GraphQLClient) -> None:
    clinic = await _clinic()
    patient = clinic["patient"]
    admin = await make_admin()
    for therapist_id, code in (
        (gid("Therapist", 999999), "UNKNOWN_THERAPIST"),
        ("garbage", "INVALID_ID"),
        (gid("Patient", patient.id), "INVALID_ID"),
    ):
        change = {
            "input": {
                "patientId": gid("Patient", patient.id),
                "therapistId": therapist_id,
                "role": "TREATING",
            }
        }
        body = await gql.execute(ASSIGN, change, as_user=admin.id)
        assert typed_errors(result_of(body, "assignCareTeamMember")) == [(code, "therapistId")]
        ending = {"input": {k: v for k, v in change["input"].items() if k != "role"}}
        body = await gql.execute(END, ending, as_user=admin.id)
        assert typed_errors(result_of(body, "endCareTeamAssignment")) == [
            ("NOT_ON_CARE_TEAM", "therapistId")
        ]
    bad_patient = {
        "input": {"patientId": "x", "therapistId": gid("Therapist", 1), "role": "TREATING"}
    }
    body = await gql.execute(ASSIGN, bad_patient, as_user=admin.id)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "patientId"}
    assert await audit_actions() == []


async def test_concurrent_primaries_leave_exactly_one(database: None) -> None:
    """Each change holds the patient's lock, so racing admins cannot leave two primaries."""
    clinic = await _clinic()
    patient = clinic["patient"]
    admin = await make_admin()
    contenders = [(await listed_therapist(f"p{n}@clinic.test", f"Pat {n}"))[1] for n in range(4)]
    scope = await _scope_of(admin)
    ctx = audit.AuditContext(actor_user_id=admin.id)
    await asyncio.gather(
        *(
            care_team.assign(scope, ctx, patient.id, therapist.id, CareTeamRole.PRIMARY)
            for therapist in contenders
        )
    )
    rows = await CareTeamRow.filter(patient_id=patient.id, ended_at=None)
    assert [row.role for row in rows].count(CareTeamRole.PRIMARY) == 1
    assert len(rows) == 6
    assert len(await audit_actions()) == 4
