"""The issue's bar: a caregiver with only APPOINTMENTS_VIEW lists and sees appointments but
gets FORBIDDEN on pain scores and medications in the same query; the rest still answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from graphql import GraphQLObjectType

from api.access.field_needs import PatientFieldNeed, guarded_field_names
from api.access.needs import Need
from api.app import build_schema
from api.models.caregivers import GrantKind
from api.schema.patients import Patient
from api.settings import Settings
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient
from tests.progress_support import add_measurement

QUERY = """
query ($id: ID!) {
  patient(id: $id) {
    givenName
    recentPain { value }
    healthHistory { medications { name } }
  }
  appointments(patientId: $id) { edges { node { id } } }
}
"""


def _codes_by_path(body: dict[str, object]) -> dict[str, str]:
    errors = body.get("errors") or []
    assert isinstance(errors, list)
    return {
        ".".join(str(part) for part in error["path"]): error["extensions"]["code"]
        for error in errors
    }


async def test_appointments_view_alone_reads_appointments_not_pain_or_medications(
    gql: GraphQLClient,
) -> None:
    _, patient = await make_patient()
    await add_measurement(patient, 4, datetime.now(UTC) - timedelta(days=1))
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.APPOINTMENTS_VIEW])
    patient_id = gid("Patient", patient.id)
    body = await gql.execute(QUERY, {"id": patient_id}, as_user=caregiver.id, acting_for=patient_id)
    assert _codes_by_path(body) == {
        "patient.recentPain": "FORBIDDEN",
        "patient.healthHistory": "FORBIDDEN",
    }
    data = body["data"]
    assert data["patient"] == {"givenName": "Maria", "recentPain": None, "healthHistory": None}
    assert data["appointments"] == {"edges": []}


async def test_without_acting_for_the_record_is_not_found(gql: GraphQLClient) -> None:
    _, patient = await make_patient()
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.APPOINTMENTS_VIEW, Need.PROGRESS_VIEW])
    body = await gql.execute(QUERY, {"id": gid("Patient", patient.id)}, as_user=caregiver.id)
    assert body["data"] is None or body["data"]["patient"] is None
    assert {error["extensions"]["code"] for error in body["errors"]} == {"NOT_FOUND"}


async def test_a_guardians_proxy_for_a_teenager_hides_what_the_guardian_cannot_see(
    gql: GraphQLClient,
) -> None:
    """A grant the patient did not give themselves (here: given by a guardian to a grandparent)
    is held to the guardian's rules: confidential fields hidden from 13, access ends at 18."""
    teen_user, teen = await make_patient("teen@example.org", given_name="Liam")
    guardian = await make_caregiver("mum@example.org", name="Grace Chen")
    grandpa = await make_caregiver("grandpa@example.org", name="Wei Chen")
    await grant(teen, guardian, kind=GrantKind.GUARDIAN)
    proxy = await grant(teen, grandpa, [Need.PROFILE_VIEW, Need.APPOINTMENTS_VIEW])
    proxy.granted_by_id = guardian.id
    await proxy.save(update_fields=["granted_by_id"])
    teen_id = gid("Patient", teen.id)
    query = "query { myPatient { givenName phone healthHistory { medications { name } } } }"

    async def as_grandpa() -> dict[str, Any]:
        return await gql.execute(query, as_user=grandpa.id, acting_for=teen_id)

    for age, hidden in ((12, False), (15, True)):
        # A month past the birthday, whatever today is (no 29 February to trip over).
        teen.date_of_birth = date.today() - timedelta(days=int(age * 365.25) + 30)
        await teen.save(update_fields=["date_of_birth"])
        body = await as_grandpa()
        assert body["data"]["myPatient"]["phone"] is not None
        assert (body["data"]["myPatient"]["healthHistory"] is None) is hidden
    teen.date_of_birth = date(2000, 1, 1)
    await teen.save(update_fields=["date_of_birth"])
    assert (await as_grandpa())["data"]["myPatient"] is None
    # Given by the patient themselves, the same access is theirs to keep.
    proxy.granted_by_id = teen_user.id
    await proxy.save(update_fields=["granted_by_id"])
    assert (await as_grandpa())["data"]["myPatient"]["healthHistory"] == {"medications": []}


async def test_a_teenagers_history_keeps_confidential_sections_from_the_guardian(
    gql: GraphQLClient,
) -> None:
    teen_user, teen = await make_patient("teen@example.org", given_name="Liam")
    teen.date_of_birth = date.today() - timedelta(days=15 * 366)
    await teen.save(update_fields=["date_of_birth"])
    guardian = await make_caregiver("mum@example.org", name="Grace Chen")
    await grant(teen, guardian, kind=GrantKind.GUARDIAN)
    teen_id = gid("Patient", teen.id)
    saved = await gql.execute(
        """mutation ($id: ID!) { updateHealthHistory(input: {
            patientId: $id, medications: [{name: "Sertraline"}]}) { __typename } }""",
        {"id": teen_id},
        as_user=teen_user.id,
    )
    assert saved["data"]["updateHealthHistory"]["__typename"] == "PatientProfilePayload", saved
    history = """query { myPatient { profileHistory { edges { node {
        id section changedFields before after } } } } }"""
    mine = await gql.execute(history, as_user=teen_user.id)
    (edge,) = mine["data"]["myPatient"]["profileHistory"]["edges"]
    assert "Sertraline" in str(edge["node"]["after"])
    theirs = await gql.execute(history, as_user=guardian.id, acting_for=teen_id)
    assert "errors" not in theirs, theirs
    (seen,) = theirs["data"]["myPatient"]["profileHistory"]["edges"]
    assert seen["node"] | {"id": None} == {
        "id": None,
        "section": "HEALTH_HISTORY",
        "changedFields": [],
        "before": None,
        "after": None,
    }
    node = await gql.execute(
        "query ($id: ID!) { node(id: $id) { ... on ProfileChange { after } } }",
        {"id": seen["node"]["id"]},
        as_user=guardian.id,
        acting_for=teen_id,
    )
    assert node["data"] == {"node": {"after": None}}
    assert "Sertraline" not in str(theirs) + str(node)


def test_plain_patient_fields_carry_no_wrapper_and_every_field_is_guarded() -> None:
    """Leaf fields stay plain (withheld when a Patient is built); resolved ones are guarded."""
    definition = Patient.__strawberry_definition__  # type: ignore[attr-defined]
    wrapped = {
        field.python_name
        for field in definition.fields
        if any(isinstance(extension, PatientFieldNeed) for extension in field.extensions)
    }
    plain = {field.python_name for field in definition.fields if field.base_resolver is None}
    assert not wrapped & plain
    names = {"id", "givenName", "familyName", "preferredName", "pronouns"}
    patient_type = build_schema(Settings())._schema.type_map["Patient"]
    assert isinstance(patient_type, GraphQLObjectType)
    assert guarded_field_names(Patient) == set(patient_type.fields) - names
