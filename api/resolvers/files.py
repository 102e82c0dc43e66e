"""Root operations of the files domain; thin: parse, call a service, map.

`uploadFile` takes a multipart request (api/http/uploads.py: X-Relief-CSRF: 1 required, the
size limit applied while the body streams). Not signed in: UNAUTHENTICATED; a record out of
reach: NOT_FOUND; a record you read but may not act on (an admin uploading, a patient
commenting on their own video): FORBIDDEN (they can read it, so NOT_FOUND would be a lie).
What is wrong with the file or the comment comes back typed in `FileErrors`.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from api.access.record_access import AccessAction
from api.access.scope import AccessScope
from api.context import Info
from api.errors import BadUserInput
from api.schema import files as types
from api.schema.relay import connection_from_page, database_key, parse_global_id
from api.services.files import comments, listing, uploads
from api.services.files.errors import FileProblems
from api.services.files.received import ReceivedFile


async def _signed_in(info: Info) -> AccessScope:
    scope = await info.context.scope()
    scope.require_authenticated()
    return scope


def _patient_key(value: strawberry.ID | None) -> int | None:
    if value is None:
        return None
    return database_key(parse_global_id(value, "patientId"), "Patient", "patientId")


@strawberry.type
class FilesQuery:
    @strawberry.field(
        description=("A patient's documents and videos, newest first; without patientId, your own.")
    )
    async def patient_files(
        self,
        info: Info,
        patient_id: strawberry.ID | None = None,
        kind: types.FileKind | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[types.StoredFile]:
        scope = await _signed_in(info)
        page = await listing.files_page(
            scope,
            _patient_key(patient_id),
            kind=kind,
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, lambda row: types.StoredFile.seen(info, row))


@strawberry.type
class FilesMutation:
    @strawberry.mutation(
        description=(
            "Upload a document (PDF, JPEG, PNG) or video (MP4, MOV, WebM) to a patient's record "
            "as a multipart request with the X-Relief-CSRF: 1 header. Patients upload to their "
            "own record (patientId optional), caregivers to the record of the patient they act "
            "for, clinicians to their care team's patients. Images lose their metadata (EXIF, "
            "GPS); the type comes from the bytes."
        )
    )
    async def upload_file(
        self,
        info: Info,
        file: Upload,
        patient_id: strawberry.ID | None = None,
        for_message: Annotated[
            bool,
            strawberry.argument(
                description="A file to attach to a message: a caregiver needs MESSAGES for it "
                "rather than DOCUMENTS (and may attach only files they uploaded)."
            ),
        ] = False,
    ) -> types.UploadFileResult:
        scope = await _signed_in(info)
        if not isinstance(file, ReceivedFile):
            raise BadUserInput("Send the file as a multipart upload.", field="file")
        patient_key = _patient_key(patient_id)
        try:
            row = await uploads.upload(
                scope, info.context.settings, file, patient_key, for_message=for_message
            )
        except FileProblems as problems:
            return types.FileErrors.from_problems(problems)
        return types.UploadFilePayload(file=types.StoredFile.seen(info, row, AccessAction.CREATE))

    @strawberry.mutation(
        description=(
            "Comment on a moment of a patient's video (their care team only); the patient is "
            "notified without the comment's text."
        )
    )
    async def add_video_comment(
        self, info: Info, input: types.AddVideoCommentInput
    ) -> types.AddVideoCommentResult:
        scope = await _signed_in(info)
        file_key = database_key(parse_global_id(input.file_id, "fileId"), "StoredFile", "fileId")
        command = comments.NewVideoComment(
            file_id=file_key, at_seconds=input.at_seconds, body=input.body
        )
        try:
            row = await comments.add_comment(scope, command)
        except FileProblems as problems:
            return types.FileErrors.from_problems(problems)
        stored = await info.context.loaders.files.stored_file_by_id.load(row.file_id)
        if stored is None:  # deleted between the insert and now: the comment went with it
            raise BadUserInput("The video was removed.", field="fileId")
        comment = types.VideoComment.seen(info, stored.patient_id, row, AccessAction.CREATE)
        return types.AddVideoCommentPayload(
            comment=comment, file=types.StoredFile.seen(info, stored)
        )
