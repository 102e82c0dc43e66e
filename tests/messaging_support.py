"""Builders and operations for messaging tests: a clinic with two patients, a care team, an
unassigned therapist and an admin; the GraphQL documents the tests send."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from api.models.accounts import Role, User
from api.models.files import FileKind, FileStorage, StoredFile
from api.models.patients import CareTeamRole, Patient
from api.models.therapists import Therapist
from tests.accounts_support import make_user
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient

THREAD_FIELDS = """
  id subject status lastMessageAt unreadCount awaitingReplySince responseDueAt overdue overdueAt
  patient { id givenName }
"""
MESSAGE_FIELDS = """
  id body urgent createdAt acknowledgedAt escalatedAt author { name role }
  readBy { name side readAt } attachments { id name }
"""
START_THREAD = f"""mutation($input: StartThreadInput!) {{ startThread(input: $input) {{
  __typename
  ... on PostMessagePayload {{ thread {{ {THREAD_FIELDS} }} message {{ {MESSAGE_FIELDS} }} }}
  ... on MessagingErrors {{ errors {{ code field message }} }}
}} }}"""
SEND_MESSAGE = f"""mutation($input: SendMessageInput!) {{ sendMessage(input: $input) {{
  __typename
  ... on PostMessagePayload {{ thread {{ {THREAD_FIELDS} }} message {{ {MESSAGE_FIELDS} }} }}
  ... on MessagingErrors {{ errors {{ code field message }} }}
}} }}"""
MARK_READ = f"""mutation($threadId: ID!, $upTo: ID) {{
  markThreadRead(threadId: $threadId, upToMessageId: $upTo) {{
    __typename
    ... on MessageThreadPayload {{ thread {{ {THREAD_FIELDS} }} }}
    ... on MessagingErrors {{ errors {{ code field }} }}
  }}
}}"""
RESOLVE = f"""mutation($threadId: ID!) {{
  resolveThread(threadId: $threadId) {{ thread {{ {THREAD_FIELDS} resolvedAt }} }}
}}"""
THREAD = f"""query($id: ID!) {{ messageThread(id: $id) {{
  {THREAD_FIELDS}
  messages {{ edges {{ node {{ {MESSAGE_FIELDS} }} }} }}
}} }}"""
THREADS = f"""query($filter: MessageThreadFilter, $first: Int, $after: String) {{
  messageThreads(filter: $filter, first: $first, after: $after) {{
    edges {{ cursor node {{ {THREAD_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
OVERDUE = f"""{{ overdueMessageThreads {{ edges {{ node {{ {THREAD_FIELDS} }} }} }} }}"""


@dataclass
class Clinic:
    patient_user: User
    patient: Patient
    therapist_user: User
    therapist: Therapist
    colleague_user: User  # on the same care team
    other_patient_user: User
    other_patient: Patient
    outsider_user: User  # a therapist on nobody's care team
    admin_user: User


async def make_clinic() -> Clinic:
    patient_user, patient = await make_patient()
    therapist_user, therapist = await make_therapist()
    colleague_user, colleague = await make_therapist("sam@clinic.test", name="Sam Ortiz")
    await assign(patient, therapist)
    await assign(patient, colleague, CareTeamRole.TREATING)
    other_user, other = await make_patient("lee@example.org", given_name="Lee", family_name="Chen")
    outsider_user, _ = await make_therapist("olga@clinic.test", name="Olga Brandt")
    admin_user = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    return Clinic(
        patient_user=patient_user,
        patient=patient,
        therapist_user=therapist_user,
        therapist=therapist,
        colleague_user=colleague_user,
        other_patient_user=other_user,
        other_patient=other,
        outsider_user=outsider_user,
        admin_user=admin_user,
    )


async def make_file(patient: Patient, uploader: User, name: str = "scan.pdf") -> StoredFile:
    return await StoredFile.create(
        public_id=uuid.uuid4(),
        patient=patient,
        uploaded_by=uploader,
        kind=FileKind.DOCUMENT,
        media_type="application/pdf",
        name=name,
        size=4,
        sha256="0" * 64,
        storage=FileStorage.DATABASE,
        storage_key=uuid.uuid4().hex,
        created_at=datetime.now(UTC),
    )


async def start_thread(gql: GraphQLClient, user: User, **input_fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"subject": "Knee", "body": "My knee hurts after the exercises."}
    values.update(input_fields)
    body = await gql.execute(START_THREAD, {"input": values}, as_user=user.id)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["startThread"]
    return result


async def send(
    gql: GraphQLClient, user: User, thread_id: str, **input_fields: Any
) -> dict[str, Any]:
    values: dict[str, Any] = {"threadId": thread_id, "body": "Thanks!"}
    values.update(input_fields)
    body = await gql.execute(SEND_MESSAGE, {"input": values}, as_user=user.id)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["sendMessage"]
    return result


def patient_gid(patient: Patient) -> str:
    return gid("Patient", patient.id)


def error_code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code
