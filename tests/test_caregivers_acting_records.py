"""A caregiver acting for a patient on the record itself: profile edits with PROFILE_EDIT (as
CAREGIVER, in history and audit), insurance with INSURANCE_VIEW, files with DOCUMENTS (and a
message's attachments with MESSAGES), denied otherwise."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from api.access.needs import Need
from api.http.auth import ACTING_FOR_HEADER
from api.models.accounts import User
from api.models.audit import AuditEvent, RecordAccess
from api.models.caregivers import GrantKind, GrantStatus
from api.models.files import StoredFile
from api.models.patients import Patient, PatientProfileChange, ProfileSection
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid, make_patient
from tests.conftest import VIEWER_HEADER, GraphQLClient
from tests.files_support import CSRF, pdf_bytes
from tests.messaging_support import START_THREAD, make_file

pytestmark = pytest.mark.usefixtures("database")

RESULT = """__typename
  ... on PatientProfileErrors { errors { code field } }
  ... on PatientProfilePayload { patient { id } }"""
PREFERENCES = f"""mutation($input: UpdateSchedulingPreferencesInput!) {{
  updateSchedulingPreferences(input: $input) {{ {RESULT} }} }}"""
INSURANCE = f"""mutation($input: UpdateInsuranceInput!) {{
  updateInsurance(input: $input) {{ {RESULT} }} }}"""
HEALTH = f"""mutation($input: UpdateHealthHistoryInput!) {{
  updateHealthHistory(input: $input) {{ {RESULT} }} }}"""
READ = """query($id: ID!) { patient(id: $id) { givenName preferences { sessionsPerWeek }
  insurance { payer } } }"""
UPLOAD = """mutation Upload($file: Upload!, $patientId: ID, $forMessage: Boolean!) {
  uploadFile(file: $file, patientId: $patientId, forMessage: $forMessage) {
    __typename
    ... on UploadFilePayload { file { id name downloadUrl } }
    ... on FileErrors { errors { code field } }
  }
}"""
FILES = "query($id: ID!) { patientFiles(patientId: $id) { edges { node { id name } } } }"


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


def paths(body: dict[str, Any]) -> dict[str, str]:
    return {
        ".".join(str(part) for part in error["path"]): error["extensions"]["code"]
        for error in body.get("errors") or []
    }


def preferences(patient: Patient, sessions: int = 2) -> dict[str, Any]:
    return {
        "input": {
            "patientId": gid("Patient", patient.id),
            "preferredDays": ["MONDAY"],
            "sessionsPerWeek": sessions,
        }
    }


def insurance(patient: Patient) -> dict[str, Any]:
    return {
        "input": {
            "patientId": gid("Patient", patient.id),
            "payer": "Blue Shield",
            "memberId": "XJH123",
        }
    }


async def test_profile_edit_changes_the_profile_as_a_caregiver(gql: GraphQLClient) -> None:
    _, patient = await make_patient()
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.PROFILE_EDIT])
    patient_id = gid("Patient", patient.id)
    acting = {"as_user": caregiver.id, "acting_for": patient_id}
    body = await gql.execute(PREFERENCES, preferences(patient), **acting)
    assert body["data"]["updateSchedulingPreferences"]["__typename"] == "PatientProfilePayload"
    change = await PatientProfileChange.get(patient_id=patient.id)
    assert (change.section, change.changed_by_id, change.changed_by_role) == (
        ProfileSection.PREFERENCES,
        caregiver.id,
        "CAREGIVER",
    )
    event = await AuditEvent.get(action="patient.profile_updated")
    assert (event.actor_user_id, event.acting_for_patient_id) == (caregiver.id, patient.id)
    updated = await RecordAccess.get(resource="Patient", action="UPDATE")
    assert (updated.actor_user_id, updated.actor_role) == (caregiver.id, "CAREGIVER")
    # PROFILE_EDIT implies PROFILE_VIEW; insurance is a scope of its own.
    read = await gql.execute(READ, {"id": patient_id}, **acting)
    assert read["data"]["patient"]["preferences"] == {"sessionsPerWeek": 2}
    assert paths(read) == {"patient.insurance": "FORBIDDEN"}
    assert codes(await gql.execute(INSURANCE, insurance(patient), **acting)) == ["FORBIDDEN"]


async def test_insurance_is_read_with_insurance_view_and_edited_with_both(
    gql: GraphQLClient,
) -> None:
    _, patient = await make_patient()
    patient_id = gid("Patient", patient.id)
    reader = await make_caregiver()
    await grant(patient, reader, [Need.INSURANCE_VIEW])
    editor = await make_caregiver("ana@example.org", name="Ana Chen")
    await grant(patient, editor, [Need.INSURANCE_VIEW, Need.PROFILE_EDIT])
    as_reader = {"as_user": reader.id, "acting_for": patient_id}
    assert codes(await gql.execute(INSURANCE, insurance(patient), **as_reader)) == ["FORBIDDEN"]
    assert codes(await gql.execute(PREFERENCES, preferences(patient), **as_reader)) == ["FORBIDDEN"]
    edited = await gql.execute(
        INSURANCE, insurance(patient), as_user=editor.id, acting_for=patient_id
    )
    assert edited["data"]["updateInsurance"]["__typename"] == "PatientProfilePayload", edited
    read = await gql.execute(READ, {"id": patient_id}, **as_reader)
    assert read["data"]["patient"]["insurance"] == {"payer": "Blue Shield"}
    assert paths(read) == {"patient.preferences": "FORBIDDEN"}


async def test_an_adolescents_guardian_edits_all_but_what_is_confidential(
    gql: GraphQLClient,
) -> None:
    _, patient = await make_patient()
    today = datetime.now(UTC).date()
    patient.date_of_birth = date(today.year - 15, 1, 1)
    await patient.save(update_fields=["date_of_birth"])
    guardian = await make_caregiver()
    await grant(patient, guardian, kind=GrantKind.GUARDIAN)
    acting = {"as_user": guardian.id, "acting_for": gid("Patient", patient.id)}
    assert codes(
        await gql.execute(
            HEALTH,
            {"input": {"patientId": gid("Patient", patient.id), "medications": [{"name": "x"}]}},
            **acting,
        )
    ) == ["FORBIDDEN"]
    for document, variables in (
        (PREFERENCES, preferences(patient)),
        (INSURANCE, insurance(patient)),
    ):
        body = await gql.execute(document, variables, **acting)
        assert "errors" not in body, body
    changes = await PatientProfileChange.all()
    assert [change.changed_by_role for change in changes] == ["CAREGIVER", "CAREGIVER"]


@pytest.mark.parametrize("how", ["no header", "revoked", "expired", "another patient"])
async def test_profile_edits_without_a_live_grant_for_this_patient_are_not_found(
    gql: GraphQLClient, how: str
) -> None:
    _, patient = await make_patient()
    _, other = await make_patient("omar@example.org", given_name="Omar")
    caregiver = await make_caregiver()
    await grant(
        patient,
        caregiver,
        [Need.PROFILE_EDIT],
        status=GrantStatus.REVOKED if how == "revoked" else GrantStatus.ACTIVE,
        expires_at=datetime.now(UTC) - timedelta(seconds=1) if how == "expired" else None,
    )
    await grant(other, caregiver, [Need.PROFILE_EDIT])
    header = {
        "no header": None,
        "revoked": gid("Patient", patient.id),
        "expired": gid("Patient", patient.id),
        "another patient": gid("Patient", other.id),
    }[how]
    body = await gql.execute(
        PREFERENCES, preferences(patient), as_user=caregiver.id, acting_for=header
    )
    assert codes(body) == ["NOT_FOUND"]
    assert await PatientProfileChange.all().count() == 0


# --- files ---------------------------------------------------------------------------------


def headers(user: User, patient: Patient | None) -> dict[str, str]:
    values = {VIEWER_HEADER: str(user.id)}
    if patient is not None:
        values[ACTING_FOR_HEADER] = gid("Patient", patient.id)
    return values


async def upload(
    client: httpx.AsyncClient,
    user: User,
    patient: Patient,
    *,
    acting_for: Patient | None = None,
    for_message: bool = False,
) -> dict[str, Any]:
    variables = {"file": None, "patientId": gid("Patient", patient.id), "forMessage": for_message}
    data = {
        "operations": json.dumps({"query": UPLOAD, "variables": variables}),
        "map": json.dumps({"0": ["variables.file"]}),
    }
    response = await client.post(
        "/graphql",
        data=data,
        files={"0": ("letter.pdf", pdf_bytes(), "application/pdf")},
        headers=CSRF | headers(user, acting_for if acting_for is not None else patient),
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_documents_let_a_caregiver_add_list_and_download_files(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    patient_user, patient = await make_patient()
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.DOCUMENTS])
    body = await upload(client, caregiver, patient)
    stored = body["data"]["uploadFile"]["file"]
    row = await StoredFile.get()
    assert (row.patient_id, row.uploaded_by_id) == (patient.id, caregiver.id)
    created = await RecordAccess.get(resource="StoredFile", action="CREATE")
    assert (created.actor_user_id, created.actor_role) == (caregiver.id, "CAREGIVER")
    theirs = await make_file(patient, patient_user, "mri.pdf")
    listed = await gql.execute(
        FILES,
        {"id": gid("Patient", patient.id)},
        as_user=caregiver.id,
        acting_for=gid("Patient", patient.id),
    )
    assert {edge["node"]["name"] for edge in listed["data"]["patientFiles"]["edges"]} == {
        "letter.pdf",
        "mri.pdf",
    }
    response = await client.get(stored["downloadUrl"], headers=headers(caregiver, patient))
    assert response.status_code == 200
    read = await RecordAccess.filter(resource="StoredFile", action="READ").order_by("-id").first()
    assert read is not None
    assert read.resource_id == str(row.id)
    assert (read.actor_user_id, read.actor_role, read.patient_id) == (
        caregiver.id,
        "CAREGIVER",
        patient.id,
    )
    # Without the header (or with none of this patient's grants) the files are not there.
    assert (
        await client.get(f"/files/{theirs.public_id}", headers=headers(caregiver, None))
    ).status_code == 404


async def test_messages_alone_upload_for_a_message_and_download_its_attachments_only(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    patient_user, patient = await make_patient()
    patient_id = gid("Patient", patient.id)
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.MESSAGES])
    acting = {"as_user": caregiver.id, "acting_for": patient_id}
    plain = await upload(client, caregiver, patient)
    assert codes(plain) == ["FORBIDDEN"]
    body = await upload(client, caregiver, patient, for_message=True)
    own = body["data"]["uploadFile"]["file"]
    document = await make_file(patient, patient_user, "mri.pdf")

    # The record's other files are not the caregiver's to attach (attached, they would open).
    start = {"patientId": patient_id, "subject": "Letter", "body": "From the school."}
    refused = await gql.execute(
        START_THREAD,
        {"input": {**start, "attachmentIds": [gid("StoredFile", document.id)]}},
        **acting,
    )
    assert [(e["code"], e["field"]) for e in refused["data"]["startThread"]["errors"]] == [
        ("ATTACHMENT_NOT_FOUND", "attachmentIds")
    ]
    sent = await gql.execute(
        START_THREAD, {"input": {**start, "attachmentIds": [own["id"]]}}, **acting
    )
    assert sent["data"]["startThread"]["message"]["attachments"] == [
        {"id": own["id"], "name": "letter.pdf"}
    ]

    ok = await client.get(own["downloadUrl"], headers=headers(caregiver, patient))
    assert ok.status_code == 200
    denied = await client.get(f"/files/{document.public_id}", headers=headers(caregiver, patient))
    assert denied.status_code == 403
    assert denied.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert codes(await gql.execute(FILES, {"id": patient_id}, **acting)) == ["FORBIDDEN"]
    # The clinic's comments on an attachment are documents still.
    comments = await gql.execute(
        "query($id: ID!) { messageThreads(filter: {patientId: $id}) { edges { node { messages {"
        " edges { node { attachments { name comments { body } } } } } } } } }",
        {"id": patient_id},
        **acting,
    )
    [error] = comments["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["path"][-1] == "comments"


async def test_files_of_a_patient_not_acted_for_are_not_found(client: httpx.AsyncClient) -> None:
    patient_user, patient = await make_patient()
    _, other = await make_patient("omar@example.org", given_name="Omar")
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.DOCUMENTS])
    await grant(other, caregiver, [Need.DOCUMENTS], status=GrantStatus.REVOKED)
    document = await make_file(patient, patient_user, "mri.pdf")
    # Acting for Omar (a revoked grant) or for nobody: Maria's files are out of reach.
    assert codes(await upload(client, caregiver, patient, acting_for=other)) == ["NOT_FOUND"]
    for acting_for in (other, None):
        response = await client.get(
            f"/files/{document.public_id}", headers=headers(caregiver, acting_for)
        )
        assert response.status_code == 404
    assert await StoredFile.all().count() == 1
