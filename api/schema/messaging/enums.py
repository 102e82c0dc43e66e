"""The messaging domain's enums as the API names them."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from api.models import messaging as models
from api.services.messaging.errors import MessagingErrorCode as ServiceCode

ThreadStatus = strawberry.enum(models.ThreadStatus, description="Open, or resolved for now.")
AuthorRole = strawberry.enum(
    models.AuthorRole, description="The capacity a message was written in."
)
MessagingErrorCode = strawberry.enum(
    ServiceCode, description="Why a messaging change did not happen."
)


@strawberry.enum(description="Which side of the conversation a reader is on.")
class ParticipantSide(StrEnum):
    PATIENT = "PATIENT"
    CLINIC = "CLINIC"
