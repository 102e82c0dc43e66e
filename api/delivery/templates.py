"""The words of every mail we send, as a plain-text part and the same content in HTML.

Mail is not a private channel: no template says anything about a person's health, only that
something happened to their account and where to act on it. Subjects are fixed text for the
same reason (they are shown in notification previews and in `portal outbox`). Every mail about
the account's security tells the reader what to do if it was not them.
"""

from __future__ import annotations

import html
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

PRODUCT = "Relief"
_CONTACT_NOW = "please contact the clinic right away so we can secure your account."


class MailTemplate(StrEnum):
    # The value is what the outbox row's `template` column stores.
    VERIFY_EMAIL = "verify_email"
    ACCOUNT_EXISTS = "account_exists"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a template's name, not a password)
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    ACCOUNT_LOCKED = "account_locked"
    NEW_DEVICE_SIGN_IN = "new_device_sign_in"
    RECOVERY_CODE_USED = "recovery_code_used"
    CONFIRM_NEW_EMAIL = "confirm_new_email"
    EMAIL_CHANGED_NOTICE = "email_changed_notice"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    NOTIFICATION = "notification"  # a notification centre entry sent by email
    APPOINTMENT = "appointment"  # booked, moved or cancelled, with a calendar attachment
    CAREGIVER_INVITATION = "caregiver_invitation"  # a patient invites someone to help them


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class _Action:
    label: str
    link_key: str  # the context key holding the URL


@dataclass(frozen=True)
class _Template:
    subject: str
    paragraphs: tuple[str, ...]  # str.format() text; {key} is filled from the context
    facts: tuple[tuple[str, str], ...] = ()  # (label, context key), shown as a short list
    action: _Action | None = None
    if_not_you: str | None = None


_TEMPLATES: Mapping[MailTemplate, _Template] = {
    MailTemplate.VERIFY_EMAIL: _Template(
        subject=f"Please confirm your email address for {PRODUCT}",
        paragraphs=(
            f"Welcome to {PRODUCT}. Please confirm that this is your email address, so that "
            "we can reach you about your account.",
        ),
        action=_Action("Confirm my email address", "link"),
        if_not_you=(
            f"If you did not sign up for {PRODUCT}, you can ignore this email. If you keep "
            "getting emails like this one, please contact the clinic."
        ),
    ),
    MailTemplate.ACCOUNT_EXISTS: _Template(
        # Sent instead of an error when someone registers an address that has an account, so
        # the sign-up form never tells a stranger who is a patient here.
        subject=f"You already have a {PRODUCT} account",
        paragraphs=(
            f"Someone, hopefully you, tried to create a new {PRODUCT} account with this email "
            "address ({email}). You already have an account, so we did not make another one.",
            "If you have forgotten your password, you can choose a new one.",
        ),
        action=_Action("Choose a new password", "link"),
        if_not_you=(
            "If this was not you, you can ignore this email: your account has not changed. If "
            "it keeps happening, please contact the clinic."
        ),
    ),
    MailTemplate.PASSWORD_RESET: _Template(
        subject=f"Choose a new password for {PRODUCT}",
        paragraphs=(
            f"Someone, hopefully you, asked to choose a new password for your {PRODUCT} "
            "account. The link below works once, for the next {minutes} minutes.",
        ),
        action=_Action("Choose a new password", "link"),
        if_not_you=(
            "If you did not ask for this, you can ignore this email: your password stays as "
            "it is. If it keeps happening, please contact the clinic."
        ),
    ),
    MailTemplate.PASSWORD_CHANGED: _Template(
        subject=f"Your {PRODUCT} password was changed",
        paragraphs=(
            f"The password of your {PRODUCT} account was changed on {{when}}. "
            "If this was you, there is nothing else to do.",
        ),
        if_not_you=f"If you did not change your password, {_CONTACT_NOW}",
    ),
    MailTemplate.ACCOUNT_LOCKED: _Template(
        subject=f"We paused sign-ins to your {PRODUCT} account",
        paragraphs=(
            "Someone tried to sign in to your account several times with a wrong password. "
            "To protect it, we paused sign-ins for {minutes} minutes. After that you can "
            "sign in as usual.",
            "If you have forgotten your password, you can choose a new one now.",
        ),
        action=_Action("Choose a new password", "reset_link"),
        if_not_you=(
            "If these attempts were not yours, choose a new password with the link above and "
            "please contact the clinic."
        ),
    ),
    MailTemplate.NEW_DEVICE_SIGN_IN: _Template(
        subject=f"New sign-in to your {PRODUCT} account",
        paragraphs=(
            "Your account was just signed in to from a device we have not seen before. "
            "If this was you, there is nothing to do.",
        ),
        facts=(("Device", "device"), ("Network address", "ip"), ("When", "when")),
        if_not_you=(
            "If this was not you, please choose a new password now and contact the clinic, "
            "so we can secure your account."
        ),
    ),
    MailTemplate.RECOVERY_CODE_USED: _Template(
        subject=f"A recovery code was used for your {PRODUCT} account",
        paragraphs=(
            "One of your recovery codes was just used to sign in. Each code works only once. "
            "When you are running low, you can make a new set in your security settings.",
        ),
        facts=(("When", "when"), ("Recovery codes left", "remaining")),
        if_not_you=f"If you did not use a recovery code, {_CONTACT_NOW}",
    ),
    MailTemplate.CONFIRM_NEW_EMAIL: _Template(
        subject=f"Please confirm your new email address for {PRODUCT}",
        paragraphs=(
            f"You asked to use this email address for your {PRODUCT} account. Please confirm "
            "it with the link below. Until you do, we keep writing to your current address.",
        ),
        action=_Action("Confirm this email address", "link"),
        if_not_you=(
            "If you did not ask for this, you can ignore this email: nothing changes. If you "
            "are worried, please contact the clinic."
        ),
    ),
    MailTemplate.EMAIL_CHANGED_NOTICE: _Template(
        subject=f"The email address of your {PRODUCT} account was changed",
        paragraphs=(
            f"The email address of your {PRODUCT} account was changed to "
            "{new_email_masked}. From now on we will write to that address.",
        ),
        if_not_you=f"If you did not make this change, {_CONTACT_NOW}",
    ),
    MailTemplate.TWO_FACTOR_ENABLED: _Template(
        subject=f"Two-step sign-in is on for your {PRODUCT} account",
        paragraphs=(
            "Two-step sign-in is now turned on. From now on you sign in with your password "
            "and a code from your authenticator app.",
            "Keep your recovery codes somewhere safe: they let you in if you lose your phone.",
        ),
        if_not_you=f"If you did not turn on two-step sign-in, {_CONTACT_NOW}",
    ),
    MailTemplate.TWO_FACTOR_DISABLED: _Template(
        subject=f"Two-step sign-in was turned off for your {PRODUCT} account",
        paragraphs=(
            "Two-step sign-in was turned off on {when}. Your account is now protected by your "
            "password alone. You can turn it back on at any time in your security settings.",
        ),
        if_not_you=(
            "If you did not turn it off, please choose a new password now and contact the "
            "clinic right away."
        ),
    ),
    MailTemplate.ACCOUNT_DEACTIVATED: _Template(
        subject=f"Your {PRODUCT} account was deactivated",
        paragraphs=(
            f"Your {PRODUCT} account has been deactivated, so you can no longer sign in. "
            "If you would like to use it again, the clinic can turn it back on for you.",
        ),
        if_not_you="If you did not expect this, please contact the clinic.",
    ),
    MailTemplate.ACCOUNT_REACTIVATED: _Template(
        subject=f"Your {PRODUCT} account is active again",
        paragraphs=(
            f"Welcome back: your {PRODUCT} account is active again, and you can sign in as before.",
        ),
        if_not_you="If you did not expect this, please contact the clinic.",
    ),
    MailTemplate.NOTIFICATION: _Template(
        # The headline names only the kind of thing that happened ("You have a new message");
        # the details stay behind the sign-in.
        subject=f"You have a new notification in {PRODUCT}",
        paragraphs=(
            "{headline}.",
            f"For your privacy we do not put the details in email. Sign in to {PRODUCT} to "
            "see them.",
        ),
        action=_Action(f"Open {PRODUCT}", "link"),
        if_not_you=(
            "You can choose which notifications reach you by email in your settings. If you "
            "were not expecting this, please contact the clinic."
        ),
    ),
    MailTemplate.APPOINTMENT: _Template(
        # Time and place only: what the session is about stays behind the sign-in.
        subject=f"Your appointment at {PRODUCT}",
        paragraphs=(
            "{headline}.",
            "The attached calendar entry keeps your calendar up to date.",
        ),
        facts=(("When", "when"), ("Where", "where")),
        action=_Action("See the appointment", "link"),
        if_not_you="If you did not expect this, please contact the clinic.",
    ),
    MailTemplate.CAREGIVER_INVITATION: _Template(
        # The inviter's name only: not the patient's (a guardian may invite for a child), not
        # the clinic's reason for seeing them, not what access was chosen.
        subject=f"You are invited to be a caregiver in {PRODUCT}",
        paragraphs=(
            f"{{inviter}} invited you to {PRODUCT} as a caregiver, so that you can help with "
            "care at the clinic with the access they chose.",
            "To accept, open the link below within {days} days. You can use your account or "
            "make one, and we will ask you to confirm the patient's date of birth.",
        ),
        action=_Action("See the invitation", "link"),
        if_not_you=(
            "If you were not expecting this, you can ignore this email: nothing happens unless "
            "you accept. If you keep getting emails like this one, please contact the clinic."
        ),
    ),
}


def _format_keys(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def required_keys(template: MailTemplate) -> frozenset[str]:
    """The context keys `render` needs for this template (no more, no fewer)."""
    spec = _TEMPLATES[template]
    keys = set().union(*(_format_keys(text) for text in spec.paragraphs))
    keys.update(key for _, key in spec.facts)
    if spec.action is not None:
        keys.add(spec.action.link_key)
    return frozenset(keys | {"name"})


def _fill(text: str, context: Mapping[str, str], escape: Callable[[str], str]) -> str:
    # Walk the format string ourselves so that in HTML both our own words and every value are
    # escaped, and a value can never be read as a format spec or markup.
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(text):
        parts.append(escape(literal))
        if name is not None:
            parts.append(escape(context[name]))
    return "".join(parts)


def render(template: MailTemplate, **context: str) -> RenderedMail:
    """Both parts of one mail; a missing or unexpected context key raises at once."""
    spec = _TEMPLATES[template]
    needed = required_keys(template)
    missing = needed - context.keys()
    if missing:
        raise KeyError(f"{template.value} needs context keys: {', '.join(sorted(missing))}")
    unexpected = context.keys() - needed
    if unexpected:
        raise ValueError(f"{template.value} does not use: {', '.join(sorted(unexpected))}")
    link = context[spec.action.link_key] if spec.action is not None else None
    if link is not None and not link.startswith(("https://", "http://")):
        raise ValueError(f"{template.value}: the link must be an http(s) URL")

    greeting = f"Hello {context['name']}," if context["name"].strip() else "Hello,"
    paragraphs = [_fill(text, context, str) for text in spec.paragraphs]
    html_paragraphs = [_fill(text, context, html.escape) for text in spec.paragraphs]

    text_blocks = [greeting, *paragraphs]
    html_blocks = [f"<p>{html.escape(greeting)}</p>", *(f"<p>{p}</p>" for p in html_paragraphs)]
    if spec.facts:
        text_blocks.append("\n".join(f"{label}: {context[key]}" for label, key in spec.facts))
        items = "".join(
            f"<li>{html.escape(label)}: {html.escape(context[key])}</li>"
            for label, key in spec.facts
        )
        html_blocks.append(f"<ul>{items}</ul>")
    if spec.action is not None and link is not None:
        # The bare URL on a line of its own: mail clients make it clickable, and people whose
        # client shows no HTML can still copy it.
        text_blocks.append(f"{spec.action.label}:\n{link}")
        html_blocks.append(
            f'<p><a href="{html.escape(link)}">{html.escape(spec.action.label)}</a></p>'
            f"<p>If the link does not open, copy this address into your browser:<br>"
            f"{html.escape(link)}</p>"
        )
    if spec.if_not_you is not None:
        text_blocks.append(spec.if_not_you)
        html_blocks.append(f"<p>{html.escape(spec.if_not_you)}</p>")
    text_blocks.append(f"Kind regards,\nThe {PRODUCT} team")
    html_blocks.append(f"<p>Kind regards,<br>The {PRODUCT} team</p>")

    title = html.escape(spec.subject)
    body = "\n".join(html_blocks)
    document = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    return RenderedMail(subject=spec.subject, text="\n\n".join(text_blocks) + "\n", html=document)
