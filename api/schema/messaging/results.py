"""What the messaging mutations answer: the thread (and message) as written, or every problem."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.access.needs import Need, patient_owned
from api.schema.messaging.errors import MessagingErrors
from api.schema.messaging.nodes import Message, MessageThread


@patient_owned(Need.MESSAGES)
@strawberry.type(description="The conversation and the message just written in it.")
class PostMessagePayload:
    thread: MessageThread
    message: Message


@patient_owned(Need.MESSAGES)
@strawberry.type(description="The conversation as it now stands.")
class MessageThreadPayload:
    thread: MessageThread


StartThreadResult = Annotated[
    PostMessagePayload | MessagingErrors, strawberry.union("StartThreadResult")
]
SendMessageResult = Annotated[
    PostMessagePayload | MessagingErrors, strawberry.union("SendMessageResult")
]
MarkThreadReadResult = Annotated[
    MessageThreadPayload | MessagingErrors, strawberry.union("MarkThreadReadResult")
]
