"""Mail: every template's words, and delivery through the outbox to a real SMTP server."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from api.cli_ops import print_outbox
from api.delivery import smtp
from api.delivery.mail import (
    MAX_ATTEMPTS,
    deliver,
    deliver_pending,
    queue_mail,
    schedule_delivery,
    wait_for_scheduled_deliveries,
)
from api.delivery.templates import MailTemplate, render, required_keys
from api.models.outbox import OutboxMail
from api.settings import Settings
from tests.conftest import make_settings
from tests.smtp_server import (  # noqa: F401 (smtp_server_fixture provides `smtp_server`)
    SmtpServer,
    free_port,
    running_smtp_server,
    smtp_server_fixture,
)

PATIENT = "pat.jones@example.org"
MAIL_FROM = "Relief Clinic <care@clinic.example>"
LINK = "http://testserver/verify-email?token=AbC-123_xyz"

# The context each template takes, exactly as the brief for the callers lists it.
CONTEXT_KEYS = {
    MailTemplate.VERIFY_EMAIL: {"name", "link"},
    MailTemplate.ACCOUNT_EXISTS: {"name", "link", "email"},
    MailTemplate.PASSWORD_RESET: {"name", "link", "minutes"},
    MailTemplate.PASSWORD_CHANGED: {"name", "when"},
    MailTemplate.ACCOUNT_LOCKED: {"name", "minutes", "reset_link"},
    MailTemplate.NEW_DEVICE_SIGN_IN: {"name", "device", "ip", "when"},
    MailTemplate.RECOVERY_CODE_USED: {"name", "remaining", "when"},
    MailTemplate.CONFIRM_NEW_EMAIL: {"name", "link"},
    MailTemplate.EMAIL_CHANGED_NOTICE: {"name", "new_email_masked"},
    MailTemplate.TWO_FACTOR_ENABLED: {"name"},
    MailTemplate.TWO_FACTOR_DISABLED: {"name", "when"},
    MailTemplate.ACCOUNT_DEACTIVATED: {"name"},
    MailTemplate.ACCOUNT_REACTIVATED: {"name"},
    MailTemplate.NOTIFICATION: {"name", "headline", "link"},
    MailTemplate.APPOINTMENT: {"name", "headline", "when", "where", "link"},
    MailTemplate.CAREGIVER_INVITATION: {"name", "inviter", "days", "link"},
}


def sample_context(template: MailTemplate) -> dict[str, str]:
    """A distinct value per key, each with characters HTML must escape."""
    return {
        key: (
            f"https://portal.example/{key}?token=t0k&next=%2F"
            if key in ("link", "reset_link")
            else f"{key}-value <b>&\"'"
        )
        for key in required_keys(template)
    }


def smtp_settings(settings: Settings, url: str) -> Settings:
    return make_settings(database_url=settings.database_url, smtp_url=url, mail_from=MAIL_FROM)


async def unsent() -> OutboxMail:
    return await queue_mail(PATIENT, MailTemplate.VERIFY_EMAIL, name="Pat", link=LINK)


# --- the words --------------------------------------------------------------------------------


def test_every_template_takes_the_agreed_context() -> None:
    assert set(CONTEXT_KEYS) == set(MailTemplate)
    for template, keys in CONTEXT_KEYS.items():
        assert required_keys(template) == keys, template


@pytest.mark.parametrize("template", list(MailTemplate))
def test_every_template_shows_each_value_in_both_parts(template: MailTemplate) -> None:
    context = sample_context(template)
    mail = render(template, **context)
    assert mail.subject
    assert "\n" not in mail.subject
    assert "Relief" in mail.subject + mail.text
    for value in context.values():
        assert value in mail.text
        assert html.escape(value) in mail.html
    assert "<b>" not in mail.html
    # Self-contained: nothing for a mail client to fetch, no styling to go wrong.
    for fetched in ("<img", "<link", "<style", "style=", "<script"):
        assert fetched not in mail.html
    assert mail.html.startswith("<!DOCTYPE html>")
    # Every mail tells the reader whom to turn to.
    assert "contact the clinic" in mail.text
    assert "contact the clinic" in mail.html


@pytest.mark.parametrize(
    "template",
    [
        template
        for template in MailTemplate
        if template not in (MailTemplate.VERIFY_EMAIL, MailTemplate.CONFIRM_NEW_EMAIL)
    ],
)
def test_security_mails_say_what_to_do_if_it_was_not_you(template: MailTemplate) -> None:
    text = render(template, **sample_context(template)).text
    assert "If " in text
    assert "not" in text
    assert "contact the clinic" in text


def test_html_escapes_every_value() -> None:
    mail = render(
        MailTemplate.PASSWORD_RESET,
        name="<script>alert('x')</script>",
        link='https://portal.example/reset?token=a"><script>',
        minutes="30",
    )
    assert "<script" not in mail.html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in mail.html
    assert 'href="https://portal.example/reset?token=a&quot;&gt;&lt;script&gt;"' in mail.html
    assert "Hello <script>alert('x')</script>," in mail.text


def test_a_missing_context_key_fails_loudly() -> None:
    with pytest.raises(KeyError, match="minutes"):
        render(MailTemplate.PASSWORD_RESET, name="Pat", link=LINK)


def test_an_unknown_context_key_fails_loudly() -> None:
    with pytest.raises(ValueError, match="colour"):
        render(MailTemplate.TWO_FACTOR_ENABLED, name="Pat", colour="blue")


def test_links_must_be_web_addresses() -> None:
    with pytest.raises(ValueError, match="http"):
        render(MailTemplate.VERIFY_EMAIL, name="Pat", link="javascript:alert(1)")


def test_the_link_stands_on_its_own_line_in_the_text() -> None:
    mail = render(MailTemplate.VERIFY_EMAIL, name="Pat", link=LINK)
    assert f"\n{LINK}\n" in mail.text
    assert SmtpServer.links_in(mail.text) == [LINK]


# --- the SMTP URL -----------------------------------------------------------------------------


def test_smtp_urls() -> None:
    plain = smtp.parse_smtp_url("smtp://relay.example")
    assert (plain.host, plain.port, plain.implicit_tls, plain.username) == (
        "relay.example",
        587,
        False,
        None,
    )
    implicit = smtp.parse_smtp_url("smtps://me%40clinic.example:p%2Fw%3Ad@relay.example")
    assert (implicit.port, implicit.implicit_tls) == (465, True)
    assert (implicit.username, implicit.password) == ("me@clinic.example", "p/w:d")
    assert "p/w:d" not in repr(implicit)
    # A password never crosses the network in clear; on this machine it may.
    assert smtp.parse_smtp_url("smtp://u:p@relay.example:2525").require_starttls
    assert not smtp.parse_smtp_url("smtp://u:p@127.0.0.1:2525").require_starttls
    assert not smtp.parse_smtp_url("smtp://relay.example:25").require_starttls
    for wrong in ("http://relay.example", "smtp://", "relay.example:25"):
        with pytest.raises(ValueError, match="PORTAL_SMTP_URL"):
            smtp.parse_smtp_url(wrong)


# --- delivery ---------------------------------------------------------------------------------


async def test_queued_mail_arrives_over_smtp(
    database: None, settings: Settings, smtp_server: SmtpServer
) -> None:
    relay = smtp_settings(settings, smtp_server.url)
    row = await unsent()
    assert row.sent_at is None
    assert row.template == "verify_email"

    await deliver(relay, [row.id])

    [message] = await smtp_server.wait_for(1)
    [received] = smtp_server.received
    assert received.envelope_to == [PATIENT]
    assert received.envelope_from == "care@clinic.example"
    assert message["Subject"] == row.subject
    assert message["From"] == MAIL_FROM
    assert message["To"] == PATIENT
    assert message["Date"] is not None
    assert str(message["Message-ID"]).endswith("@clinic.example>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    assert smtp_server.text(message) == row.text_body
    assert smtp_server.html(message) == row.html_body
    assert smtp_server.links(message) == [LINK]

    await row.refresh_from_db()
    assert row.sent_at is not None
    assert (row.attempts, row.last_error) == (0, "")

    await deliver(relay, [row.id])  # already sent: not again
    assert len(smtp_server.received) == 1


async def test_without_smtp_the_outbox_row_is_the_delivery(
    database: None, settings: Settings
) -> None:
    assert settings.smtp_url is None
    row = await unsent()
    await deliver(settings, [row.id])
    schedule_delivery(settings, [row.id])
    await wait_for_scheduled_deliveries()
    assert await deliver_pending(settings) == 0
    await row.refresh_from_db()
    assert (row.sent_at, row.attempts, row.last_error) == (None, 0, "")


async def test_a_relay_that_is_down_costs_an_attempt_and_raises_nothing(
    database: None, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    relay = smtp_settings(settings, f"smtp://127.0.0.1:{free_port()}")
    row = await unsent()

    await deliver(relay, [row.id])
    await deliver(relay, [row.id])

    await row.refresh_from_db()
    assert row.sent_at is None
    assert row.attempts == 2
    assert row.last_error.startswith("no connection to the SMTP server")
    assert len(row.last_error) <= 300
    logged = "".join(capsys.readouterr())
    assert "mail_not_delivered" in logged
    assert PATIENT not in logged + row.last_error
    assert "token" not in logged


async def test_a_refused_recipient_fails_alone_and_its_address_is_not_stored(
    database: None, settings: Settings, smtp_server: SmtpServer
) -> None:
    relay = smtp_settings(settings, smtp_server.url)
    smtp_server.refuse.add("gone@example.org")
    refused = await queue_mail("gone@example.org", MailTemplate.TWO_FACTOR_ENABLED, name="Ann")
    accepted = await unsent()

    await deliver(relay, [refused.id, accepted.id])

    [message] = await smtp_server.wait_for(1)
    assert message["To"] == PATIENT
    await refused.refresh_from_db()
    await accepted.refresh_from_db()
    assert accepted.sent_at is not None
    assert refused.sent_at is None
    assert refused.attempts == 1
    assert refused.last_error == "the SMTP server refused the recipient (550)"


async def test_credentials_in_the_url_are_url_decoded(database: None, settings: Settings) -> None:
    password = "p@ss:w/rd"
    with running_smtp_server(credentials=("relief", password)) as server:
        good = f"smtp://relief:{quote(password, safe='')}@{server.host}:{server.port}"
        bad = f"smtp://relief:wrong@{server.host}:{server.port}"
        row = await unsent()

        await deliver(smtp_settings(settings, bad), [row.id])
        await row.refresh_from_db()
        assert (row.sent_at, row.attempts) == (None, 1)
        assert row.last_error.startswith("the SMTP server refused our credentials")
        assert password not in row.last_error

        await deliver(smtp_settings(settings, good), [row.id])
        await server.wait_for(1)
        await row.refresh_from_db()
        assert row.sent_at is not None


async def test_deliver_pending_sends_old_unsent_rows_oldest_first(
    database: None, settings: Settings, smtp_server: SmtpServer
) -> None:
    relay = smtp_settings(settings, smtp_server.url)
    start = datetime.now(UTC) - timedelta(hours=1)
    rows = []
    for minutes, name in enumerate(["First", "Second", "Third", "Done", "Dead"]):
        row = await queue_mail(PATIENT, MailTemplate.ACCOUNT_REACTIVATED, name=name)
        await OutboxMail.filter(id=row.id).update(created_at=start + timedelta(minutes=minutes))
        rows.append(row)
    await OutboxMail.filter(id=rows[3].id).update(sent_at=start)
    await OutboxMail.filter(id=rows[4].id).update(attempts=MAX_ATTEMPTS)

    assert await deliver_pending(relay, limit=2) == 2
    assert await deliver_pending(relay) == 1
    assert await deliver_pending(relay) == 0

    messages = await smtp_server.wait_for(3)
    greetings = [smtp_server.text(message).splitlines()[0] for message in messages]
    assert greetings == ["Hello First,", "Hello Second,", "Hello Third,"]
    dead = await OutboxMail.get(id=rows[4].id)
    assert dead.sent_at is None


async def test_scheduled_delivery_runs_after_the_call_returns(
    database: None, settings: Settings, smtp_server: SmtpServer
) -> None:
    relay = smtp_settings(settings, smtp_server.url)
    first = await unsent()
    second = await queue_mail(PATIENT, MailTemplate.PASSWORD_CHANGED, name="Pat", when="today")

    schedule_delivery(relay, [first.id, second.id])
    assert smtp_server.received == []  # nothing waited for the relay
    await wait_for_scheduled_deliveries()

    assert len(await smtp_server.wait_for(2)) == 2
    assert await OutboxMail.filter(sent_at=None).count() == 0


async def test_queue_mail_refuses_an_address_with_a_line_break(database: None) -> None:
    with pytest.raises(ValueError, match="address"):
        await queue_mail(
            "a@example.org\r\nBcc: b@example.org", MailTemplate.TWO_FACTOR_ENABLED, name="A"
        )


# --- `portal outbox` --------------------------------------------------------------------------


async def test_print_outbox_lists_newest_first_with_the_text(
    database: None, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    older = await queue_mail("old@example.org", MailTemplate.TWO_FACTOR_ENABLED, name="Olga")
    await OutboxMail.filter(id=older.id).update(
        created_at=datetime.now(UTC) - timedelta(days=1), sent_at=datetime.now(UTC)
    )
    newer = await unsent()

    assert await print_outbox(unsent_only=False, limit=10) == 0
    out = capsys.readouterr().out
    assert out.index(f"#{newer.id}") < out.index(f"#{older.id}")
    assert f"to {PATIENT}  {newer.subject}  [UNSENT]" in out
    assert "to old@example.org" in out
    assert "[SENT]" in out
    assert LINK in out
    assert "Hello Olga," in out

    assert await print_outbox(unsent_only=True, limit=10) == 0
    out = capsys.readouterr().out
    assert f"#{newer.id}" in out
    assert f"#{older.id}" not in out

    assert await print_outbox(unsent_only=False, limit=1) == 0
    assert f"#{older.id}" not in capsys.readouterr().out


async def test_print_outbox_when_empty(database: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert await print_outbox(unsent_only=False, limit=5) == 0
    assert capsys.readouterr().out == "the outbox is empty\n"
    assert await print_outbox(unsent_only=False, limit=0) == 2
