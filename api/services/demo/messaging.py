"""Demo messages: one answered conversation between Maria and Dr. Okafor, read by both.

Written as rows with past times (not through the messaging service, which stamps "now" and
would notify); idempotent: a patient who has a thread keeps what they have.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.models.messaging import AuthorRole, Message, MessageThread, ThreadRead
from api.models.patients import Patient
from api.models.therapists import Therapist
from api.realtime.events import transaction

SUBJECT = "Knee feels stiff after the bridges"
QUESTION = (
    "After the glute bridges my knee feels stiff for about an hour. Is that expected, or "
    "should I do fewer?"
)
ANSWER = (
    "Some stiffness for an hour is expected at this stage. Keep the sets, warm up with the "
    "heel slides first, and tell me if it lasts into the next morning."
)


async def seed_messages(maria: Patient, therapist: Therapist) -> list[str]:
    if await MessageThread.exists(patient_id=maria.id):
        return []
    if maria.user_id is None:
        return []
    asked = datetime.now(UTC) - timedelta(days=2, hours=3)
    answered = asked + timedelta(hours=5)
    async with transaction():
        thread = await MessageThread.create(
            patient_id=maria.id,
            subject=SUBJECT,
            started_by_id=maria.user_id,
            created_at=asked,
            last_message_at=answered,
        )
        await Message.create(
            thread_id=thread.id,
            author_id=maria.user_id,
            author_role=AuthorRole.PATIENT,
            body=QUESTION,
            created_at=asked,
        )
        reply = await Message.create(
            thread_id=thread.id,
            author_id=therapist.user_id,
            author_role=AuthorRole.CLINICIAN,
            body=ANSWER,
            created_at=answered,
        )
        for user_id, read_at in ((therapist.user_id, answered), (maria.user_id, answered)):
            await ThreadRead.create(
                thread_id=thread.id,
                user_id=user_id,
                last_read_message_id=reply.id,
                read_at=read_at + timedelta(hours=1),
            )
    return ["Maria's messages: one answered conversation with Dr. Okafor"]
