"""Listing a patient's files, node lookup, and clinicians' comments on videos."""

from __future__ import annotations

from typing import Any

import httpx

from api.models.files import VideoComment
from api.models.notifications import Notification, NotificationKind
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.files_support import error_codes, image_bytes, mp4_bytes, pdf_bytes, upload, uploaded

ADD_COMMENT = """mutation Add($input: AddVideoCommentInput!) {
  addVideoComment(input: $input) {
    __typename
    ... on AddVideoCommentPayload {
      comment { id atSeconds body author { name } }
      file { id comments { atSeconds body } }
    }
    ... on FileErrors { errors { code field } }
  }
}"""

FILES = """query Files($patientId: ID, $kind: FileKind, $first: Int, $after: String) {
  patientFiles(patientId: $patientId, kind: $kind, first: $first, after: $after) {
    edges { node { id name kind } }
    pageInfo { hasNextPage endCursor }
  }
}"""

NODE = (
    """query Node($id: ID!) { node(id: $id) { ... on StoredFile { id name comments { body } } } }"""
)


async def _setup(client: httpx.AsyncClient) -> tuple[Any, Any, Any, str, str]:
    user, patient = await make_patient()
    clinician, therapist = await make_therapist()
    await assign(patient, therapist)
    video = uploaded(await upload(client, mp4_bytes(), "squat.mp4", as_user=user.id))["file"]
    document = uploaded(await upload(client, pdf_bytes(), "a.pdf", as_user=user.id))["file"]
    return user, patient, clinician, video["id"], document["id"]


def _comment(file_id: str, at: float, body: str) -> dict[str, Any]:
    return {"input": {"fileId": file_id, "atSeconds": at, "body": body}}


async def test_care_team_comments_in_video_order_and_the_patient_is_notified(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    user, patient, clinician, video_id, _ = await _setup(client)
    first = await gql.execute(
        ADD_COMMENT, _comment(video_id, 12.5, "Knee caves in here."), as_user=clinician.id
    )
    result = first["data"]["addVideoComment"]
    assert result["__typename"] == "AddVideoCommentPayload", first
    assert result["comment"]["author"]["name"] == "Dana Whitfield"
    second = await gql.execute(
        ADD_COMMENT, _comment(video_id, 3.25, "Good depth."), as_user=clinician.id
    )
    comments = second["data"]["addVideoComment"]["file"]["comments"]
    assert comments == [
        {"atSeconds": 3.25, "body": "Good depth."},
        {"atSeconds": 12.5, "body": "Knee caves in here."},
    ]

    notes = await Notification.filter(user_id=user.id, kind=NotificationKind.VIDEO_COMMENT)
    assert len(notes) == 2
    for note in notes:
        assert note.patient_id == patient.id
        assert "Knee" not in note.title + note.body
        assert "depth" not in note.title + note.body

    seen = await gql.execute(NODE, {"id": video_id}, as_user=user.id)
    assert [c["body"] for c in seen["data"]["node"]["comments"]] == [
        "Good depth.",
        "Knee caves in here.",
    ]


async def test_who_may_comment_and_what_on(client: httpx.AsyncClient, gql: GraphQLClient) -> None:
    user, _, clinician, video_id, document_id = await _setup(client)
    outsider, _ = await make_therapist("sam@clinic.test", name="Sam Doe")

    by_patient = await gql.execute(ADD_COMMENT, _comment(video_id, 1, "me"), as_user=user.id)
    assert by_patient["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    by_outsider = await gql.execute(ADD_COMMENT, _comment(video_id, 1, "x"), as_user=outsider.id)
    assert by_outsider["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    on_document = await gql.execute(
        ADD_COMMENT, _comment(document_id, 1, "x"), as_user=clinician.id
    )
    assert error_codes(on_document["data"]["addVideoComment"]) == ["NOT_A_VIDEO"]
    bad = await gql.execute(ADD_COMMENT, _comment(video_id, -0.5, "  "), as_user=clinician.id)
    assert error_codes(bad["data"]["addVideoComment"]) == ["INVALID_TIME", "BODY_REQUIRED"]
    assert await VideoComment.all().count() == 0
    assert await Notification.filter(kind=NotificationKind.VIDEO_COMMENT).count() == 0


async def test_listing_and_node_lookup_respect_the_record(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    user, patient, clinician, video_id, document_id = await _setup(client)
    other_user, other = await make_patient("li@example.org")
    uploaded(await upload(client, image_bytes("PNG"), "x.png", as_user=other_user.id))

    own = await gql.execute(FILES, {}, as_user=user.id)
    assert [e["node"]["id"] for e in own["data"]["patientFiles"]["edges"]] == [
        document_id,
        video_id,
    ]
    videos = await gql.execute(
        FILES, {"patientId": gid("Patient", patient.id), "kind": "VIDEO"}, as_user=clinician.id
    )
    assert [e["node"]["id"] for e in videos["data"]["patientFiles"]["edges"]] == [video_id]
    page = await gql.execute(FILES, {"first": 1}, as_user=user.id)
    assert page["data"]["patientFiles"]["pageInfo"]["hasNextPage"] is True
    rest = await gql.execute(
        FILES, {"after": page["data"]["patientFiles"]["pageInfo"]["endCursor"]}, as_user=user.id
    )
    assert [e["node"]["id"] for e in rest["data"]["patientFiles"]["edges"]] == [video_id]

    theirs = await gql.execute(FILES, {"patientId": gid("Patient", other.id)}, as_user=clinician.id)
    assert theirs["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql.execute(NODE, {"id": video_id}, as_user=other_user.id))["data"][
        "node"
    ] is None
    assert (await gql.execute(NODE, {"id": video_id}, as_user=clinician.id))["data"]["node"][
        "id"
    ] == video_id
