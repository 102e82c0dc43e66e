"""The files domain's types as the API shows them: a patient's documents and videos.

A file belongs to a patient's record: the patient and their care team (and admins) read it;
an id out of reach answers null in `node`, like one that does not exist. The bytes are not
in the graph: `downloadUrl` points at GET /files/{publicId}, which checks the same access.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned, requires
from api.access.record_access import AccessAction
from api.context import Info
from api.models import files as models
from api.schema.errors import UserError, errors_from
from api.schema.relay import database_keys
from api.schema.therapists import Therapist
from api.services.files.errors import FileErrorCode as ErrorCodes
from api.services.files.errors import FileProblems

FileKind = strawberry.enum(models.FileKind, description="What an uploaded file is.")
FileErrorCode = strawberry.enum(ErrorCodes, description="Why a file operation did not happen.")


def download_path(public_id: object) -> str:
    return f"/files/{public_id}"


@patient_owned(Need.DOCUMENTS)
@strawberry.type(description="A document or video on a patient's record.")
class StoredFile(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The uploader's file name, cleaned.")
    kind: FileKind  # type: ignore[valid-type]
    media_type: str = strawberry.field(description="Recognised from the bytes, never the client.")
    size: int = strawberry.field(description="Bytes.")
    sha256: str = strawberry.field(description="SHA-256 of the whole file, hex.")
    created_at: datetime
    download_url: str = strawberry.field(
        description="Where the bytes are: GET with the session cookie or bearer token."
    )
    patient_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.StoredFile) -> StoredFile:
        return cls(
            id=row.id,
            name=row.name,
            kind=row.kind,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            created_at=row.created_at,
            download_url=download_path(row.public_id),
            patient_id=row.patient_id,
        )

    @classmethod
    def seen(
        cls, info: Info, row: models.StoredFile, action: AccessAction = AccessAction.READ
    ) -> StoredFile:
        info.context.record_access.saw(row.patient_id, "StoredFile", row.id, action)
        return cls.from_model(row)

    @strawberry.field(
        description="Clinicians' comments, in the order of the moments they point at (videos).",
        metadata=requires(Need.DOCUMENTS),
    )
    async def comments(self, info: Info) -> list[VideoComment] | None:
        # A message attachment reaches a caregiver with MESSAGES alone; the clinic's comments
        # on it are the record's documents still (null and FORBIDDEN here without DOCUMENTS).
        scope = await info.context.scope()
        scope.require_patient(self.patient_id, Need.DOCUMENTS)
        rows = await info.context.loaders.files.video_comments_by_file_id.load(self.id)
        return [VideoComment.seen(info, self.patient_id, row) for row in rows]

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[StoredFile | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        rows = await info.context.loaders.files.stored_file_by_id.load_many(
            [key or 0 for key in keys]
        )
        return [
            cls.seen(info, row)
            if row is not None and scope.can_read_patient(row.patient_id, Need.DOCUMENTS)
            else None
            for row in rows
        ]


@patient_owned(Need.DOCUMENTS)
@strawberry.type(description="A clinician's comment at one moment of a patient's video.")
class VideoComment(relay.Node):
    id: relay.NodeID[int]
    at_seconds: float = strawberry.field(description="Seconds from the start of the video.")
    body: str
    created_at: datetime
    patient_id: strawberry.Private[int]
    author_user_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, patient_id: int, row: models.VideoComment) -> VideoComment:
        return cls(
            id=row.id,
            at_seconds=row.at_ms / 1000,
            body=row.body,
            created_at=row.created_at,
            patient_id=patient_id,
            author_user_id=row.author_id,
        )

    @strawberry.field(
        description="The therapist who commented (null if no longer in the directory).",
        metadata=requires(Need.DOCUMENTS),
    )
    async def author(self, info: Info) -> Therapist | None:
        record = await info.context.loaders.therapists.therapist_by_user_id.load(
            self.author_user_id
        )
        return Therapist.from_model(record) if record is not None else None

    @classmethod
    def seen(
        cls,
        info: Info,
        patient_id: int,
        row: models.VideoComment,
        action: AccessAction = AccessAction.READ,
    ) -> VideoComment:
        info.context.record_access.saw(patient_id, "VideoComment", row.id, action)
        return cls.from_model(patient_id, row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[VideoComment | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        rows = {
            row.id: row
            for row in await models.VideoComment.filter(
                id__in=[key for key in keys if key is not None]
            )
        }
        files = await info.context.loaders.files.stored_file_by_id.load_many(
            [row.file_id for row in rows.values()]
        )
        patient_of = {row.id: row.patient_id for row in files if row is not None}
        results: list[VideoComment | None] = []
        for key in keys:
            row = rows.get(key) if key is not None else None
            patient_id = patient_of.get(row.file_id) if row is not None else None
            readable = patient_id is not None and scope.can_read_patient(patient_id, Need.DOCUMENTS)
            results.append(
                cls.seen(info, patient_id, row)
                if readable and row is not None and patient_id is not None
                else None
            )
        return results


@strawberry.type(description="One problem with a file operation, with the field it is about.")
class FileError(UserError):
    code: FileErrorCode  # type: ignore[valid-type]


@strawberry.type(description="A file operation did not happen; every problem is listed.")
class FileErrors:
    errors: list[FileError]

    @classmethod
    def from_problems(cls, problems: FileProblems) -> FileErrors:
        return cls(errors=errors_from(FileError, problems))


@strawberry.type(description="The stored file.")
class UploadFilePayload:
    file: StoredFile


@strawberry.type(description="The new comment and the video it is on.")
class AddVideoCommentPayload:
    comment: VideoComment
    file: StoredFile


@strawberry.input(description="A comment at one moment of a video (care team only).")
class AddVideoCommentInput:
    file_id: strawberry.ID
    at_seconds: float = strawberry.field(description="Seconds from the start; 0 or more.")
    body: str


UploadFileResult = Annotated[UploadFilePayload | FileErrors, strawberry.union("UploadFileResult")]
AddVideoCommentResult = Annotated[
    AddVideoCommentPayload | FileErrors, strawberry.union("AddVideoCommentResult")
]

TYPES: tuple[type, ...] = (StoredFile, VideoComment)
