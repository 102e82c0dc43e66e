"""The files domain's expected outcomes."""

from __future__ import annotations

from enum import StrEnum

from api.services.problems import Problems


class FileErrorCode(StrEnum):
    UNSUPPORTED_FILE_TYPE = "UNSUPPORTED_FILE_TYPE"  # none of PDF, JPEG, PNG, MP4, MOV, WebM
    FILE_TYPE_MISMATCH = "FILE_TYPE_MISMATCH"  # the name's extension says another type
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"  # more pixels than PORTAL_IMAGE_MAX_PIXELS
    FILE_EMPTY = "FILE_EMPTY"
    INVALID_FILE = "INVALID_FILE"  # starts like an allowed type but is not one
    NOT_A_VIDEO = "NOT_A_VIDEO"  # comments are for videos only
    INVALID_TIME = "INVALID_TIME"  # a moment before the start or past a day
    BODY_REQUIRED = "BODY_REQUIRED"
    BODY_TOO_LONG = "BODY_TOO_LONG"


class FileProblems(Problems[FileErrorCode]):
    pass
