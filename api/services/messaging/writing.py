"""Writing to threads: start one, send a message, mark it read, resolve it.

Every change and what it sets off (notifications, the follow-up jobs, the live event) is stored
in one transaction; the live event leaves after the commit. A new message reopens a resolved
thread. Only the patient's side flags a message urgent: a clinician's urgent flag is refused
(URGENT_NOT_ALLOWED), because urgency here means "the clinic must look now". A caregiver acting
for the patient (MESSAGES) is on the patient's side and may flag urgent too: they are often the
one who sees the patient get worse (a parent, a partner), and the clinic is told who wrote.

A caregiver whose grant does not include DOCUMENTS attaches only files they uploaded themselves:
an attachment is readable with MESSAGES, so attaching another file of the record would open it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import NotFound
from api.models.files import StoredFile
from api.models.messaging import (
    AuthorRole,
    Message,
    MessageAttachment,
    MessageThread,
    ThreadRead,
    ThreadStatus,
)
from api.models.notifications import NotificationKind
from api.realtime import topics
from api.realtime.events import publish_after_commit, transaction
from api.services.caregivers.recipients import caregivers_with
from api.services.messaging import follow_up
from api.services.messaging.errors import MessagingErrorCode as Code
from api.services.messaging.errors import MessagingProblems
from api.services.messaging.participants import (
    author_role,
    care_team_user_ids,
    is_patient_side,
    patient_user_id,
)
from api.services.notifications import NewNotification, notify
from api.services.problems import Collector
from api.settings import Settings

BODY_MAX = 10_000
SUBJECT_MAX = 200
ATTACHMENTS_MAX = 10


@dataclass(frozen=True, slots=True)
class StartThread:
    patient_id: int | None  # None: the viewer's own record
    subject: str
    body: str
    urgent: bool = False
    attachment_ids: Sequence[int] = ()


@dataclass(frozen=True, slots=True)
class SendMessage:
    thread_id: int
    body: str
    urgent: bool = False
    attachment_ids: Sequence[int] = ()


@dataclass(frozen=True, slots=True)
class Posted:
    thread: MessageThread
    message_id: int


async def readable_thread(scope: AccessScope, thread_id: int) -> MessageThread:
    """The thread, or NOT_FOUND when it does not exist for this viewer (FORBIDDEN for a
    caregiver whose grant leaves the patient's messages out)."""
    scope.require_authenticated()
    thread = await MessageThread.get_or_none(id=thread_id)
    if thread is None or not scope.can_reach_patient(thread.patient_id):
        raise NotFound("No such thread.")
    # Within reach: a caregiver whose grant leaves messages out is told so.
    scope.require_patient(thread.patient_id, Need.MESSAGES)
    return thread


async def writable_thread(scope: AccessScope, thread_id: int) -> MessageThread:
    """The thread, once the viewer may change it: emergency access reads it, never writes."""
    thread = await readable_thread(scope, thread_id)
    scope.require_to_act(thread.patient_id, Need.MESSAGES)
    return thread


async def start_thread(scope: AccessScope, settings: Settings, command: StartThread) -> Posted:
    scope.require_authenticated()
    patient_id = command.patient_id if command.patient_id is not None else scope.default_patient_id
    if patient_id is None:
        raise MessagingProblems.one(
            Code.PATIENT_REQUIRED, "Choose the patient this conversation is with.", "patientId"
        )
    scope.require_to_act(patient_id, Need.MESSAGES)
    role = author_role(scope, patient_id)
    problems = Collector(MessagingProblems)
    subject = command.subject.strip()
    if not subject:
        problems.add(Code.SUBJECT_REQUIRED, "Give the conversation a subject.", "subject")
    elif len(subject) > SUBJECT_MAX:
        problems.add(
            Code.SUBJECT_TOO_LONG, f"Keep the subject under {SUBJECT_MAX} characters.", "subject"
        )
    body = _check_message(problems, role, command.body, command.urgent)
    files = await _attachments(problems, scope, patient_id, command.attachment_ids)
    problems.raise_if_any()
    user_id = scope.require_authenticated()
    now = datetime.now(UTC)
    async with transaction():
        thread = await MessageThread.create(
            patient_id=patient_id,
            subject=subject,
            started_by_id=user_id,
            status=ThreadStatus.OPEN,
            created_at=now,
            last_message_at=now,
        )
        message_id = await _post(settings, thread, user_id, role, body, command.urgent, files, now)
        await thread.refresh_from_db()
    return Posted(thread, message_id)


async def send_message(scope: AccessScope, settings: Settings, command: SendMessage) -> Posted:
    thread = await writable_thread(scope, command.thread_id)
    role = author_role(scope, thread.patient_id)
    problems = Collector(MessagingProblems)
    body = _check_message(problems, role, command.body, command.urgent)
    files = await _attachments(problems, scope, thread.patient_id, command.attachment_ids)
    problems.raise_if_any()
    user_id = scope.require_authenticated()
    now = datetime.now(UTC)
    async with transaction():
        message_id = await _post(settings, thread, user_id, role, body, command.urgent, files, now)
        await thread.refresh_from_db()
    return Posted(thread, message_id)


async def mark_read(
    scope: AccessScope, thread_id: int, up_to_message_id: int | None = None
) -> MessageThread:
    """Moves the viewer's read receipt forward (never back); the clinic's read acknowledges
    the urgent messages it covers."""
    thread = await writable_thread(scope, thread_id)
    user_id = scope.require_authenticated()
    messages = Message.filter(thread_id=thread.id)
    if up_to_message_id is not None:
        messages = messages.filter(id=up_to_message_id)
    newest = await messages.order_by("-id").first().values("id")
    if newest is None:
        raise MessagingProblems.one(
            Code.MESSAGE_NOT_FOUND, "This message is not in the conversation.", "upToMessageId"
        )
    up_to = int(newest["id"])
    now = datetime.now(UTC)
    async with transaction():
        await _advance_receipt(thread.id, user_id, up_to, now)
        if not is_patient_side(author_role(scope, thread.patient_id)):
            await Message.filter(
                thread_id=thread.id, id__lte=up_to, urgent=True, acknowledged_at=None
            ).update(acknowledged_at=now, acknowledged_by_id=user_id)
    return thread


async def resolve_thread(scope: AccessScope, thread_id: int) -> MessageThread:
    """Closes the conversation for now (either side may); nothing is awaited any more."""
    thread = await writable_thread(scope, thread_id)
    user_id = scope.require_authenticated()
    now = datetime.now(UTC)
    async with transaction():
        await MessageThread.filter(id=thread.id, status=ThreadStatus.OPEN).update(
            status=ThreadStatus.RESOLVED,
            resolved_at=now,
            resolved_by_id=user_id,
            awaiting_reply_since=None,
            response_due_at=None,
            overdue_at=None,
        )
        await follow_up.cancel_response_due(thread.id)
        await thread.refresh_from_db()
    return thread


def _check_message(problems: Collector[Code], role: AuthorRole, raw_body: str, urgent: bool) -> str:
    body = raw_body.strip()
    if not body:
        problems.add(Code.EMPTY_BODY, "Write a message first.", "body")
    elif len(body) > BODY_MAX:
        problems.add(Code.BODY_TOO_LONG, f"Keep a message under {BODY_MAX:,} characters.", "body")
    if urgent and not is_patient_side(role):
        problems.add(
            Code.URGENT_NOT_ALLOWED,
            "Only the patient (or their caregiver) can flag a message urgent.",
            "urgent",
        )
    return body


async def _attachments(
    problems: Collector[Code], scope: AccessScope, patient_id: int, attachment_ids: Sequence[int]
) -> list[StoredFile]:
    """Files of this patient's record the writer may read; any other id is not found (ids
    cannot be probed). Without DOCUMENTS (a caregiver's grant), only the writer's own uploads."""
    wanted = list(dict.fromkeys(attachment_ids))
    if not wanted:
        return []
    if len(wanted) > ATTACHMENTS_MAX:
        problems.add(
            Code.TOO_MANY_ATTACHMENTS,
            f"Attach at most {ATTACHMENTS_MAX} files to one message.",
            "attachmentIds",
        )
        return []
    files = StoredFile.filter(id__in=wanted, patient_id=patient_id)
    if not scope.can_read_patient(patient_id, Need.DOCUMENTS):
        files = files.filter(uploaded_by_id=scope.viewer.user_id)
    found = {row.id: row for row in await files}
    if len(found) != len(wanted):
        problems.add(
            Code.ATTACHMENT_NOT_FOUND,
            "One of the attached files does not exist; upload it again.",
            "attachmentIds",
        )
        return []
    return [found[file_id] for file_id in wanted]


async def _post(
    settings: Settings,
    thread: MessageThread,
    user_id: int,
    role: AuthorRole,
    body: str,
    urgent: bool,
    files: list[StoredFile],
    now: datetime,
) -> int:
    message = await Message.create(
        thread_id=thread.id,
        author_id=user_id,
        author_role=role,
        body=body,
        urgent=urgent,
        created_at=now,
    )
    if files:
        await MessageAttachment.bulk_create(
            [MessageAttachment(message_id=message.id, file_id=row.id) for row in files]
        )
    await MessageThread.filter(id=thread.id).update(
        last_message_at=now, status=ThreadStatus.OPEN, resolved_at=None, resolved_by_id=None
    )
    await _advance_receipt(thread.id, user_id, message.id, now)
    link = follow_up.thread_link(thread.id)
    if is_patient_side(role):
        await _patient_wrote(settings, thread, message, link, now)
    else:
        await _clinic_wrote(settings, thread, message, link, now)
    await publish_after_commit(
        topics.patient_messages(thread.patient_id),
        {"thread_id": thread.id, "message_id": message.id},
    )
    return int(message.id)


async def _patient_wrote(
    settings: Settings, thread: MessageThread, message: Message, link: str, now: datetime
) -> None:
    # The first unanswered message starts the wait; later ones join it (conditional, so two
    # messages at once start it once).
    due = follow_up.response_due_at(settings, now)
    started = await MessageThread.filter(id=thread.id, awaiting_reply_since=None).update(
        awaiting_reply_since=now, response_due_at=due, overdue_at=None
    )
    if started:
        await follow_up.schedule_response_due(thread.id, due)
    team = [
        user for user in await care_team_user_ids(thread.patient_id) if user != message.author_id
    ]
    # Who wrote, without naming anyone (notifications leave the app): the patient, or a
    # caregiver on their behalf.
    writer = "a patient's caregiver" if message.author_role is AuthorRole.CAREGIVER else "a patient"
    if message.urgent:
        await follow_up.schedule_escalation(settings, message.id, now)
        kind, title = NotificationKind.NEW_MESSAGE_URGENT, f"Urgent message from {writer}"
        body = f"{writer[0].upper()}{writer[1:]} flagged a message urgent. Please read it now."
    else:
        kind, title = NotificationKind.NEW_MESSAGE, f"New message from {writer}"
        body = "Open your inbox to read it."
    await notify(
        *(
            NewNotification(
                user_id=user,
                kind=kind,
                title=title,
                body=body,
                link=link,
                patient_id=thread.patient_id,
                urgent=message.urgent,
            )
            for user in team
        )
    )


async def _clinic_wrote(
    settings: Settings, thread: MessageThread, message: Message, link: str, now: datetime
) -> None:
    await MessageThread.filter(id=thread.id).update(
        awaiting_reply_since=None, response_due_at=None, overdue_at=None
    )
    await follow_up.cancel_response_due(thread.id)
    # Answering the thread acknowledges every urgent message in it.
    await Message.filter(thread_id=thread.id, urgent=True, acknowledged_at=None).update(
        acknowledged_at=now, acknowledged_by_id=message.author_id
    )
    # The patient's side hears of it: the patient, and caregivers who handle their messages.
    own = await patient_user_id(thread.patient_id)
    helpers = await caregivers_with(settings, thread.patient_id, Need.MESSAGES, now)
    recipients = [
        user
        for user in dict.fromkeys([*([own] if own is not None else []), *helpers])
        if user != message.author_id
    ]
    sender = "your therapist" if message.author_role is AuthorRole.CLINICIAN else "the clinic"
    await notify(
        *(
            NewNotification(
                user_id=user,
                kind=NotificationKind.NEW_MESSAGE,
                title=f"New message from {sender}",
                body="Sign in to read it.",
                link=link,
                patient_id=thread.patient_id,
            )
            for user in recipients
        )
    )


async def _advance_receipt(thread_id: int, user_id: int, message_id: int, now: datetime) -> None:
    """Insert the receipt if there is none, then move it forward only: never backwards."""
    await ThreadRead.bulk_create(
        [
            ThreadRead(
                thread_id=thread_id, user_id=user_id, last_read_message_id=message_id, read_at=now
            )
        ],
        ignore_conflicts=True,
    )
    await ThreadRead.filter(
        thread_id=thread_id, user_id=user_id, last_read_message_id__lt=message_id
    ).update(last_read_message_id=message_id, read_at=now)
