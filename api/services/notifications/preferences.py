"""Which channels each kind of notification uses: defaults in code, a row only where a user differs.

IN_APP is always on: the notification centre is the record of what happened. The security email
is locked on: the account code mails every security event itself (api/services/accounts), so
that channel is never a Delivery here and cannot be switched off either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from api.models.notifications import NotificationChannel, NotificationKind, NotificationPreference
from api.realtime.events import transaction
from api.services.notifications.errors import NotificationErrorCode, NotificationProblems
from api.services.problems import Collector

K = NotificationKind
EMAIL, SMS, PUSH = NotificationChannel.EMAIL, NotificationChannel.SMS, NotificationChannel.PUSH
IN_APP = NotificationChannel.IN_APP

# The channels a kind uses until its user says otherwise. SMS is for what cannot wait for the
# next time someone opens their mail: appointment changes, reminders and urgent messages.
DEFAULTS: Mapping[NotificationKind, frozenset[NotificationChannel]] = {
    K.PLAN_UPDATED: frozenset({EMAIL, PUSH}),
    K.PROFILE_REVIEW_DUE: frozenset({EMAIL}),
    K.QUESTIONNAIRE_DUE: frozenset({EMAIL, PUSH}),
    K.APPOINTMENT_BOOKED: frozenset({EMAIL, PUSH}),
    K.APPOINTMENT_CHANGED: frozenset({EMAIL, SMS, PUSH}),
    K.APPOINTMENT_REMINDER: frozenset({EMAIL, SMS, PUSH}),
    K.WAITLIST_SLOT_OPEN: frozenset({EMAIL, PUSH}),
    K.NEW_MESSAGE: frozenset({EMAIL, PUSH}),
    K.URGENT_MESSAGE_ESCALATION: frozenset({EMAIL, SMS, PUSH}),
    K.NEW_MESSAGE_URGENT: frozenset({EMAIL, SMS, PUSH}),
    K.MESSAGE_OVERDUE: frozenset({EMAIL, PUSH}),
    K.VIDEO_COMMENT: frozenset({EMAIL, PUSH}),
    K.SECURITY: frozenset({EMAIL, PUSH}),
    # Who may see the record changed: worth an email, not worth waking anyone for.
    K.CAREGIVER_ACCESS: frozenset({EMAIL, PUSH}),
    # Break-glass is rare and is about who reads a record: tell people on every channel.
    K.EMERGENCY_ACCESS: frozenset({EMAIL, SMS, PUSH}),
}
# Mail another part of the portal sends itself, always: the account's security mails, and the
# appointment invitation (with its .ics) that booking, moving and cancelling send. No Delivery
# row is made for them, or a booking would mail its patient twice.
SENT_ELSEWHERE: frozenset[tuple[NotificationKind, NotificationChannel]] = frozenset(
    {(K.SECURITY, EMAIL), (K.APPOINTMENT_BOOKED, EMAIL), (K.APPOINTMENT_CHANGED, EMAIL)}
)
# Always on, whatever a stored row says.
LOCKED: frozenset[tuple[NotificationKind, NotificationChannel]] = (
    frozenset({(kind, IN_APP) for kind in NotificationKind}) | SENT_ELSEWHERE
)
DELIVERED_CHANNELS: tuple[NotificationChannel, ...] = (EMAIL, SMS, PUSH)


def default_enabled(kind: NotificationKind, channel: NotificationChannel) -> bool:
    return channel is IN_APP or channel in DEFAULTS[kind]


def is_locked(kind: NotificationKind, channel: NotificationChannel) -> bool:
    return (kind, channel) in LOCKED


@dataclass(frozen=True, slots=True)
class Preference:
    kind: NotificationKind
    channel: NotificationChannel
    enabled: bool
    is_default: bool
    locked: bool


@dataclass(frozen=True, slots=True)
class PreferenceChange:
    kind: NotificationKind
    channel: NotificationChannel
    enabled: bool


Overrides = Mapping[tuple[NotificationKind, NotificationChannel], bool]


def enabled(overrides: Overrides, kind: NotificationKind, channel: NotificationChannel) -> bool:
    if is_locked(kind, channel):
        return True
    return overrides.get((kind, channel), default_enabled(kind, channel))


def _matrix(overrides: Overrides) -> list[Preference]:
    rows: list[Preference] = []
    for kind in NotificationKind:
        for channel in NotificationChannel:
            on = enabled(overrides, kind, channel)
            rows.append(
                Preference(
                    kind=kind,
                    channel=channel,
                    enabled=on,
                    is_default=on == default_enabled(kind, channel),
                    locked=is_locked(kind, channel),
                )
            )
    return rows


async def overrides_for(
    user_ids: Iterable[int],
) -> dict[int, dict[tuple[K, NotificationChannel], bool]]:
    """Every stored choice of these users, in one statement."""
    ids = sorted(set(user_ids))
    found: dict[int, dict[tuple[K, NotificationChannel], bool]] = {user_id: {} for user_id in ids}
    if not ids:
        return found
    rows = await NotificationPreference.filter(user_id__in=ids).values_list(
        "user_id", "kind", "channel", "enabled"
    )
    for user_id, kind, channel, on in rows:
        found[int(user_id)][(NotificationKind(kind), NotificationChannel(channel))] = bool(on)
    return found


async def matrix_for(user_id: int) -> list[Preference]:
    """Every kind on every channel for this user: enabled, whether that is the default, locked."""
    return _matrix((await overrides_for([user_id]))[user_id])


async def update(user_id: int, changes: Sequence[PreferenceChange]) -> list[Preference]:
    """Applies every change or none; a change back to the default removes the stored row."""
    problems = Collector(NotificationProblems)
    seen: set[tuple[NotificationKind, NotificationChannel]] = set()
    for index, change in enumerate(changes):
        key = (change.kind, change.channel)
        field = f"changes[{index}]"
        if key in seen:
            problems.add(
                NotificationErrorCode.DUPLICATE_CHANGE,
                "Each kind and channel may appear once per request.",
                field,
            )
        seen.add(key)
        if is_locked(*key) and not change.enabled:
            what = (
                "Notifications always appear in the app."
                if change.channel is IN_APP
                else "Security emails cannot be turned off: they tell you when your account "
                "changes."
            )
            problems.add(NotificationErrorCode.PREFERENCE_LOCKED, what, field)
    problems.raise_if_any()
    to_default = [c for c in changes if c.enabled == default_enabled(c.kind, c.channel)]
    to_store = [
        c
        for c in changes
        if c.enabled != default_enabled(c.kind, c.channel) and not is_locked(c.kind, c.channel)
    ]
    at = datetime.now(UTC)
    async with transaction():
        for change in to_default:
            await NotificationPreference.filter(
                user_id=user_id, kind=change.kind, channel=change.channel
            ).delete()
        for change in to_store:
            updated = await NotificationPreference.filter(
                user_id=user_id, kind=change.kind, channel=change.channel
            ).update(enabled=change.enabled, updated_at=at)
            if not updated:
                await NotificationPreference.bulk_create(
                    [
                        NotificationPreference(
                            user_id=user_id,
                            kind=change.kind,
                            channel=change.channel,
                            enabled=change.enabled,
                            updated_at=at,
                        )
                    ],
                    ignore_conflicts=True,
                )
    return await matrix_for(user_id)
