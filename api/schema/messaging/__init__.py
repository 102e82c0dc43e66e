"""The messaging domain as the API shows it: conversations between a patient and their care
team, their messages, read receipts and attachments."""

from __future__ import annotations

from api.schema.messaging.enums import AuthorRole, MessagingErrorCode, ParticipantSide, ThreadStatus
from api.schema.messaging.errors import MessagingError, MessagingErrors
from api.schema.messaging.inputs import (
    MessageThreadFilter,
    SendMessageInput,
    StartThreadInput,
    message_key,
    thread_key,
)
from api.schema.messaging.nodes import Message, MessageAuthor, MessageThread, ReadReceipt
from api.schema.messaging.results import (
    MarkThreadReadResult,
    MessageThreadPayload,
    PostMessagePayload,
    SendMessageResult,
    StartThreadResult,
)

__all__ = [
    "AuthorRole",
    "MarkThreadReadResult",
    "Message",
    "MessageAuthor",
    "MessageThread",
    "MessageThreadFilter",
    "MessageThreadPayload",
    "MessagingError",
    "MessagingErrorCode",
    "MessagingErrors",
    "ParticipantSide",
    "PostMessagePayload",
    "ReadReceipt",
    "SendMessageInput",
    "SendMessageResult",
    "StartThreadInput",
    "StartThreadResult",
    "ThreadStatus",
    "message_key",
    "thread_key",
]

# Types the schema must know even where no field returns them by name (node(id:) finds them).
TYPES: tuple[type, ...] = (MessageThread, Message, MessagingError)
