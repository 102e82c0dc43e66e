"""Uploaded files (documents and videos of a patient), their bytes, and comments on videos.

Bytes live in the database as 1 MiB chunks (every worker reads them) or, when
PORTAL_FILE_STORAGE names a shared directory, under `storage_key` there. Either way each chunk
has its own SHA-256, so a download checks every chunk before sending it, and the whole file
has one too.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from api.models.accounts import User
    from api.models.patients import Patient


class FileKind(StrEnum):
    DOCUMENT = "DOCUMENT"  # PDF, JPEG, PNG
    VIDEO = "VIDEO"  # MP4, WebM, QuickTime


class FileStorage(StrEnum):
    DATABASE = "DATABASE"
    DIRECTORY = "DIRECTORY"


class StoredFile(Model):
    id = fields.BigIntField(primary_key=True)
    public_id = fields.UUIDField(unique=True)  # what /files/{id} takes
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name=False, on_delete=fields.CASCADE
    )
    patient_id: int
    uploaded_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.RESTRICT
    )
    uploaded_by_id: int
    kind = fields.CharEnumField(FileKind, max_length=8)
    media_type = fields.CharField(max_length=64)  # from the bytes, never from the client
    name = fields.CharField(max_length=200)  # the uploader's file name, cleaned
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    storage = fields.CharEnumField(FileStorage, max_length=9)
    storage_key = fields.CharField(max_length=64)  # a generated name, never the uploader's
    created_at = fields.DatetimeField()

    class Meta:
        table = "files_file"
        indexes = (("patient_id", "created_at"),)


class FileChunk(Model):
    id = fields.BigIntField(primary_key=True)
    file: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        "relief.StoredFile", related_name=False, on_delete=fields.CASCADE
    )
    file_id: int
    seq = fields.IntField()
    data = fields.BinaryField()
    sha256 = fields.CharField(max_length=64)

    class Meta:
        table = "files_chunk"
        unique_together = (("file_id", "seq"),)


class VideoComment(Model):
    """A clinician's comment at a moment of a patient's form-review video."""

    id = fields.BigIntField(primary_key=True)
    file: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        "relief.StoredFile", related_name=False, on_delete=fields.CASCADE
    )
    file_id: int
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.RESTRICT
    )
    author_id: int
    at_ms = fields.IntField()  # milliseconds from the start of the video
    body = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "files_video_comment"
        indexes = (("file_id", "at_ms"),)
