"""Clinicians' comments at moments of a patient's video (form review).

Only the patient's care team comments; the patient (who can read the video) gets FORBIDDEN,
anyone out of reach NOT_FOUND. A new comment notifies the patient, without its text: the
notification says there is a comment and links to the video.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import Forbidden, NotFound
from api.models.files import FileKind, StoredFile, VideoComment
from api.models.notifications import NotificationKind
from api.models.patients import Patient
from api.realtime.events import transaction
from api.services.files.errors import FileErrorCode, FileProblems
from api.services.notifications import NewNotification, notify
from api.services.problems import Collector

BODY_MAX = 2000
LONGEST_VIDEO_SECONDS = 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class NewVideoComment:
    file_id: int
    at_seconds: float
    body: str


def video_link(row: StoredFile) -> str:
    return f"/videos/{row.public_id}"


async def add_comment(scope: AccessScope, command: NewVideoComment) -> VideoComment:
    scope.require_authenticated()
    row = await StoredFile.get_or_none(id=command.file_id)
    if row is None or not scope.can_read_patient(row.patient_id, Need.DOCUMENTS):
        raise NotFound("No such file.")
    if not scope.is_care_team(row.patient_id):
        raise Forbidden("Only the patient's care team comments on videos.")
    problems = Collector(FileProblems)
    if row.kind != FileKind.VIDEO:
        problems.add(FileErrorCode.NOT_A_VIDEO, "Comments are for videos only.", "fileId")
    at = command.at_seconds
    if not math.isfinite(at) or at < 0 or at > LONGEST_VIDEO_SECONDS:
        problems.add(
            FileErrorCode.INVALID_TIME, "Give a moment from the start of the video.", "atSeconds"
        )
    body = command.body.strip()
    if not body:
        problems.add(FileErrorCode.BODY_REQUIRED, "Write a comment.", "body")
    elif len(body) > BODY_MAX:
        problems.add(
            FileErrorCode.BODY_TOO_LONG, f"Keep comments under {BODY_MAX} characters.", "body"
        )
    problems.raise_if_any()
    patient = await Patient.get_or_none(id=row.patient_id)
    async with transaction():
        comment = await VideoComment.create(
            file_id=row.id,
            author_id=scope.viewer.user_id,
            at_ms=round(at * 1000),
            body=body,
            created_at=datetime.now(UTC),
        )
        if patient is not None and patient.user_id is not None:
            await notify(
                NewNotification(
                    user_id=patient.user_id,
                    kind=NotificationKind.VIDEO_COMMENT,
                    title="Your therapist commented on your video",
                    link=video_link(row),
                    patient_id=row.patient_id,
                )
            )
    return comment
