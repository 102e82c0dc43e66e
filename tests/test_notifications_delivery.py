"""Delivering notifications by email, SMS and Web Push through the durable jobs.

The SMS gateway and the push service are outside this machine, so these tests stand them up as
local HTTP servers on 127.0.0.1 (tests/notifications_support.py); email goes to a real SMTP
server (aiosmtpd, tests/smtp_server.py). The push test decrypts what the push service got with
the browser's own key (http_ece, aes128gcm) and verifies the VAPID signature.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import http_ece  # type: ignore[import-untyped]
import httpx
import pytest

from api.app import create_app
from api.delivery.channels import ChannelMessage, Recipient, SendResult
from api.models.accounts import User
from api.models.jobs import Job
from api.models.notifications import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    PushSubscription,
    QuietHours,
)
from api.models.outbox import OutboxMail, OutboxSms
from api.services.notifications import DELIVER_JOB, NewNotification, delivering, notify
from api.settings import Settings
from tests.accounts_support import make_user
from tests.clinical_support import gid
from tests.conftest import GraphQLClient, make_settings, scope_from_test_header
from tests.notifications_support import (
    add_push_subscription,
    make_browser_keys,
    make_jobs_due,
    make_vapid_keys,
    run_jobs,
    running_http_service,
    verify_vapid,
)
from tests.smtp_server import running_smtp_server
from tests.sql_counter import count_sql

EMAIL, SMS, PUSH = NotificationChannel.EMAIL, NotificationChannel.SMS, NotificationChannel.PUSH
SECRET_TITLE = "Dr. Lee replied about your knee pain"  # what must never leave the app


def with_(settings: Settings, **overrides: Any) -> Settings:
    return make_settings(database_url=settings.database_url, **overrides)


async def _message_for(user: User, **extra: Any) -> Notification:
    await notify(
        NewNotification(
            user_id=user.id,
            kind=NotificationKind.NEW_MESSAGE,
            title=SECRET_TITLE,
            body="The swelling should go down in a week.",
            link="/messages/7",
            **extra,
        )
    )
    newest = await Notification.filter(user_id=user.id).order_by("-id").first()
    assert newest is not None
    return newest


async def _delivery(notification: Notification, channel: NotificationChannel) -> Delivery:
    return await Delivery.get(notification_id=notification.id, channel=channel)


async def _attempts(delivery: Delivery) -> list[DeliveryAttempt]:
    return await DeliveryAttempt.filter(delivery_id=delivery.id).order_by("id")


async def _only(user: User, channel: NotificationChannel) -> None:
    """Turns the other delivered channels off for NEW_MESSAGE, so a test sees one channel."""
    at = datetime.now(UTC)
    for other in (EMAIL, SMS, PUSH):
        if other is not channel:
            await NotificationPreference.create(
                user_id=user.id,
                kind=NotificationKind.NEW_MESSAGE,
                channel=other,
                enabled=False,
                updated_at=at,
            )
    if channel is SMS:
        await NotificationPreference.create(
            user_id=user.id,
            kind=NotificationKind.NEW_MESSAGE,
            channel=SMS,
            enabled=True,
            updated_at=at,
        )


# --- what notify() makes ------------------------------------------------------------------------


async def test_notify_makes_a_delivery_per_allowed_channel_and_one_job_each(database: None) -> None:
    maria = await make_user()  # no push subscription
    notification = await _message_for(maria)
    rows = {row.channel: row for row in await Delivery.filter(notification_id=notification.id)}
    # NEW_MESSAGE defaults: email and push; SMS is off by default for it, so no row at all.
    assert set(rows) == {EMAIL, PUSH}
    assert rows[EMAIL].status == DeliveryStatus.PENDING
    assert (rows[PUSH].status, rows[PUSH].last_error) == (
        DeliveryStatus.SKIPPED,
        "no push subscription",
    )
    work = await Job.filter(kind=DELIVER_JOB)
    assert [(job.payload, job.dedupe_key) for job in work] == [
        (
            {"notification_id": notification.id, "channel": "EMAIL"},
            f"notification-delivery:{notification.id}:EMAIL",
        )
    ]


async def test_sms_without_a_phone_is_skipped_with_its_reason(database: None) -> None:
    maria = await make_user()
    await User.filter(id=maria.id).update(phone="")
    await _only(maria, SMS)
    notification = await _message_for(maria)
    sms = await _delivery(notification, SMS)
    assert (sms.status, sms.last_error) == (DeliveryStatus.SKIPPED, "no phone number")
    assert not await Job.filter(kind=DELIVER_JOB).exists()


async def test_a_notification_rolled_back_with_its_change_leaves_no_delivery(
    database: None,
) -> None:
    from api.realtime.events import transaction

    maria = await make_user()

    async def change_that_fails() -> None:
        async with transaction():
            await _message_for(maria)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        await change_that_fails()
    assert not await Notification.exists()
    assert not await Delivery.exists()
    assert not await Job.exists()


async def test_notify_statement_count_is_flat_in_recipients(database: None) -> None:
    # Plain rows (no password hashing): only who they are matters here.
    await User.bulk_create(
        [
            User(
                email=f"p{i}@example.org",
                password_hash="-",
                display_name=f"Person {i}",
                phone="+15551230000" if i % 2 == 0 else "",
                time_zone="Europe/Berlin",
            )
            for i in range(50)
        ]
    )
    people = await User.all().order_by("id")
    for person in people[::3]:
        await add_push_subscription(
            person.id, f"https://push.example/{person.id}", make_browser_keys()
        )
    at = datetime.now(UTC)
    for person in people[::4]:
        await QuietHours.create(
            user_id=person.id,
            starts_minute=22 * 60,
            ends_minute=7 * 60,
            updated_at=at,
        )
    for person in people[::5]:
        await NotificationPreference.create(
            user_id=person.id,
            kind=NotificationKind.NEW_MESSAGE,
            channel=SMS,
            enabled=True,
            updated_at=at,
        )

    def one(person: User) -> NewNotification:
        return NewNotification(user_id=person.id, kind=NotificationKind.NEW_MESSAGE, title="New")

    with count_sql() as single:
        await notify(one(people[0]))
    with count_sql() as fifty:
        await notify(*[one(person) for person in people])
    # One INSERT per notification (ids are needed), then users, preferences, quiet hours and
    # push subscriptions once each, one INSERT of deliveries and one of jobs.
    print(f"notify statements: 1 -> {single.count}, 50 -> {fifty.count}")
    assert single.count <= 7, single.statements
    assert fifty.count <= 50 + 6, fifty.statements
    assert (
        await Delivery.filter(status=DeliveryStatus.PENDING).count()
        == await Job.filter(kind=DELIVER_JOB).count()
    )


# --- email --------------------------------------------------------------------------------------


async def test_email_goes_over_smtp_without_clinical_detail(
    database: None, settings: Settings
) -> None:
    maria = await make_user()
    notification = await _message_for(maria)
    with running_smtp_server() as server:
        config = with_(settings, smtp_url=server.url)
        started = time.perf_counter()
        await run_jobs(config)
        elapsed = time.perf_counter() - started
        (mail,) = await server.wait_for(1)
    print(f"email attempt against aiosmtpd: {elapsed * 1000:.1f} ms")
    text = server.text(mail)
    assert mail["To"] == "maria@example.org"
    assert "You have a new message in Relief" in text
    assert "http://testserver/messages/7" in server.links(mail)
    for secret in (SECRET_TITLE, "knee", "swelling"):
        assert secret not in text
        assert secret not in str(mail["Subject"])
        assert secret not in server.html(mail)
    email = await _delivery(notification, EMAIL)
    assert (email.status, email.attempts, email.last_error) == (DeliveryStatus.SENT, 1, "")
    assert email.sent_at is not None
    (attempt,) = await _attempts(email)
    assert attempt.succeeded
    assert "250" in attempt.detail
    assert mail["Message-ID"].startswith(f"<relief.delivery.{email.id}@")
    # The outbox keeps the record as sent, so the outbox retry never sends it again.
    (row,) = await OutboxMail.filter(template="notification")
    assert row.sent_at is not None


async def test_without_smtp_the_outbox_row_is_the_delivery(
    database: None, settings: Settings
) -> None:
    maria = await make_user()
    notification = await _message_for(maria)
    await run_jobs(settings)
    (row,) = await OutboxMail.filter(template="notification")
    assert row.sent_at is None
    assert SECRET_TITLE not in row.text_body
    assert (await _delivery(notification, EMAIL)).status == DeliveryStatus.SENT


async def test_smtp_refusal_retries_then_fails_after_the_last_attempt(
    database: None, settings: Settings
) -> None:
    maria = await make_user()
    notification = await _message_for(maria)
    await Job.filter(kind=DELIVER_JOB).update(max_attempts=3)
    with running_smtp_server() as server:
        server.refuse.add("maria@example.org")
        config = with_(settings, smtp_url=server.url)
        for _ in range(3):
            await make_jobs_due()
            await run_jobs(config)
    email = await _delivery(notification, EMAIL)
    attempts = await _attempts(email)
    assert [a.succeeded for a in attempts] == [False, False, False]
    assert all("550" in a.detail and "maria" not in a.detail for a in attempts)
    assert (email.status, email.attempts) == (DeliveryStatus.FAILED, 3)
    assert "550" in email.last_error
    (job,) = await Job.filter(kind=DELIVER_JOB)
    assert job.outcome == "FAILED"
    assert not await OutboxMail.filter(template="notification").exists()


async def test_a_delivery_job_that_runs_twice_sends_once(
    database: None, settings: Settings
) -> None:
    maria = await make_user()
    notification = await _message_for(maria)
    (job,) = await Job.filter(kind=DELIVER_JOB)
    with running_smtp_server() as server:
        config = with_(settings, smtp_url=server.url)
        await run_jobs(config)
        # The same job again, as after a worker died between sending and finishing it.
        await Job.filter(id=job.id).update(finished_at=None, outcome="", run_at=datetime.now(UTC))
        await run_jobs(config)
        await server.wait_for(1)
    assert len(server.received) == 1
    email = await _delivery(notification, EMAIL)
    assert len(await _attempts(email)) == 1


# --- SMS ----------------------------------------------------------------------------------------


async def test_sms_through_the_gateway_retries_after_a_503(
    database: None, settings: Settings
) -> None:
    maria = await make_user()
    await User.filter(id=maria.id).update(phone="+15551234567")
    await _only(maria, SMS)
    notification = await _message_for(maria)
    async with running_http_service(default_status=202) as gateway:
        gateway.statuses.append(503)
        config = with_(
            settings, sms_gateway_url=f"{gateway.url}/send", sms_gateway_token="gw-secret"
        )
        await run_jobs(config)
        sms = await _delivery(notification, SMS)
        assert (sms.status, sms.attempts) == (DeliveryStatus.PENDING, 1)
        assert sms.last_error == "the SMS gateway answered HTTP 503"
        await make_jobs_due()
        started = time.perf_counter()
        await run_jobs(config)
        elapsed = time.perf_counter() - started
    print(f"SMS attempt against the local gateway: {elapsed * 1000:.1f} ms")
    first, second = gateway.received
    assert first.path == "/send"
    assert first.headers["authorization"] == "Bearer gw-secret"
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
    assert first.json() == second.json()
    body = first.json()
    assert set(body) == {"to", "body"}
    assert body["to"] == "+15551234567"
    assert body["body"] == "Relief: You have a new message in Relief. http://testserver/messages/7"
    sms = await _delivery(notification, SMS)
    assert (sms.status, sms.attempts, sms.last_error) == (DeliveryStatus.SENT, 2, "")
    assert [(a.succeeded, a.detail) for a in await _attempts(sms)] == [
        (False, "the SMS gateway answered HTTP 503"),
        (True, "HTTP 202 from the SMS gateway"),
    ]


async def test_sms_gateway_unreachable_is_a_failure_to_retry(
    database: None, settings: Settings
) -> None:
    from tests.smtp_server import free_port

    maria = await make_user()
    await User.filter(id=maria.id).update(phone="+15551234567")
    await _only(maria, SMS)
    notification = await _message_for(maria)
    await run_jobs(with_(settings, sms_gateway_url=f"http://127.0.0.1:{free_port()}/send"))
    sms = await _delivery(notification, SMS)
    assert sms.status == DeliveryStatus.PENDING
    assert sms.last_error.startswith("no answer from the SMS gateway")
    (job,) = await Job.filter(kind=DELIVER_JOB)
    assert job.finished_at is None
    assert job.run_at > datetime.now(UTC)


async def test_without_a_gateway_sms_goes_to_the_development_outbox(
    database: None, settings: Settings, client: Any
) -> None:
    maria = await make_user()
    await User.filter(id=maria.id).update(phone="+15551234567")
    await _only(maria, SMS)
    notification = await _message_for(maria)
    await run_jobs(settings)
    (row,) = await OutboxSms.all()
    assert (row.to_number, row.sent_at) == ("+15551234567", None)
    assert (await _delivery(notification, SMS)).status == DeliveryStatus.SENT
    page = await client.get("/dev/outbox")
    assert page.status_code == 200
    assert "+15551234567" in page.text
    assert "You have a new message in Relief" in page.text


# --- Web Push -----------------------------------------------------------------------------------


async def test_push_is_encrypted_for_the_browser_and_signed_with_vapid(
    database: None, settings: Settings
) -> None:
    maria = await make_user()
    await _only(maria, PUSH)
    vapid = make_vapid_keys()
    browser = make_browser_keys()
    async with running_http_service(default_status=201) as push_service:
        await add_push_subscription(maria.id, f"{push_service.url}/push/abc", browser)
        notification = await _message_for(maria, urgent=True)
        config = with_(
            settings,
            vapid_public_key=vapid.public,
            vapid_private_key=vapid.private,
            vapid_subject="mailto:ops@clinic.example",
        )
        started = time.perf_counter()
        await run_jobs(config)
        elapsed = time.perf_counter() - started
    print(f"push attempt against the local push service: {elapsed * 1000:.1f} ms")
    (request,) = push_service.received
    assert request.path == "/push/abc"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["urgency"] == "high"
    claims = verify_vapid(request.headers["authorization"], vapid.public)
    assert claims["aud"] == push_service.url
    assert claims["sub"] == "mailto:ops@clinic.example"
    assert claims["exp"] > time.time()
    clear = http_ece.decrypt(
        request.body,
        private_key=browser.private_key,
        auth_secret=browser.auth,
        version="aes128gcm",
    )
    assert json.loads(clear) == {
        "title": "Relief",
        "body": "You have a new message in Relief",
        "link": "http://testserver/messages/7",
    }
    push = await _delivery(notification, PUSH)
    assert (push.status, push.attempts) == (DeliveryStatus.SENT, 1)
    (attempt,) = await _attempts(push)
    assert (attempt.succeeded, attempt.detail) == (True, "push service: HTTP 201")
    subscription = await PushSubscription.get(user_id=maria.id)
    assert subscription.last_success_at is not None


async def test_a_gone_push_subscription_is_deleted(database: None, settings: Settings) -> None:
    maria = await make_user()
    await _only(maria, PUSH)
    vapid = make_vapid_keys()
    async with running_http_service(default_status=201) as push_service:
        push_service.statuses.append(410)
        await add_push_subscription(maria.id, f"{push_service.url}/gone", make_browser_keys())
        await add_push_subscription(maria.id, f"{push_service.url}/alive", make_browser_keys())
        notification = await _message_for(maria)
        config = with_(settings, vapid_public_key=vapid.public, vapid_private_key=vapid.private)
        await run_jobs(config)
    assert [r.path for r in push_service.received] == ["/gone", "/alive"]
    remaining = await PushSubscription.filter(user_id=maria.id).values_list("endpoint")
    assert [row[0] for row in remaining] == [f"{push_service.url}/alive"]
    push = await _delivery(notification, PUSH)
    assert push.status == DeliveryStatus.SENT
    (attempt,) = await _attempts(push)
    assert attempt.detail == "push service: HTTP 410, HTTP 201"


async def test_push_to_only_gone_subscriptions_is_skipped(
    database: None, settings: Settings
) -> None:
    maria = await make_user()
    await _only(maria, PUSH)
    vapid = make_vapid_keys()
    async with running_http_service(default_status=404) as push_service:
        await add_push_subscription(maria.id, f"{push_service.url}/gone", make_browser_keys())
        notification = await _message_for(maria)
        await run_jobs(
            with_(settings, vapid_public_key=vapid.public, vapid_private_key=vapid.private)
        )
    assert not await PushSubscription.exists()
    push = await _delivery(notification, PUSH)
    assert push.status == DeliveryStatus.SKIPPED
    assert push.last_error.startswith("no push subscription")
    (job,) = await Job.filter(kind=DELIVER_JOB)
    assert job.outcome == "DONE"


async def test_push_without_vapid_keys_is_skipped(database: None, settings: Settings) -> None:
    maria = await make_user()
    await _only(maria, PUSH)
    await add_push_subscription(maria.id, "https://push.example/x", make_browser_keys())
    notification = await _message_for(maria)
    await run_jobs(settings)
    push = await _delivery(notification, PUSH)
    assert (push.status, push.last_error) == (
        DeliveryStatus.SKIPPED,
        "push is not configured (no VAPID keys)",
    )


# --- the API --------------------------------------------------------------------------------------

DELIVERIES = """query($id: ID!) { node(id: $id) { ... on Notification {
  urgent deliveries { channel status attempts sentAt lastError notBefore } } } }"""


async def test_deliveries_are_shown_to_the_owner_only(
    gql: GraphQLClient, settings: Settings
) -> None:
    maria = await make_user()
    bob = await make_user("bob@example.org", name="Bob Stone")
    notification = await _message_for(maria)
    await run_jobs(settings)
    body = await gql.execute(
        DELIVERIES, {"id": gid("Notification", notification.id)}, as_user=maria.id
    )
    node = body["data"]["node"]
    assert node["urgent"] is False
    by_channel = {d["channel"]: d for d in node["deliveries"]}
    assert by_channel["EMAIL"]["status"] == "SENT"
    assert by_channel["EMAIL"]["attempts"] == 1
    assert by_channel["EMAIL"]["sentAt"] is not None
    assert by_channel["PUSH"] == {
        "channel": "PUSH",
        "status": "SKIPPED",
        "attempts": 0,
        "sentAt": None,
        "lastError": "no push subscription",
        "notBefore": by_channel["PUSH"]["notBefore"],
    }
    other = await gql.execute(
        DELIVERIES, {"id": gid("Notification", notification.id)}, as_user=bob.id
    )
    assert other["data"]["node"] is None


REGISTER = """mutation($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) {
  __typename ... on PushSubscription { endpoint createdAt }
  ... on NotificationErrors { errors { code field message } } } }"""
UNREGISTER = "mutation($endpoint: String!) { unregisterPushSubscription(endpoint: $endpoint) }"
KEY = "{ pushPublicKey }"


async def test_registering_a_push_subscription_checks_it(gql: GraphQLClient) -> None:
    maria = await make_user()
    bob = await make_user("bob@example.org", name="Bob Stone")
    keys = make_browser_keys()
    good = {
        "endpoint": "https://fcm.example/send/abc",
        "p256dh": keys.p256dh,
        "auth": keys.auth_b64,
    }
    body = await gql.execute(REGISTER, {"input": good}, as_user=maria.id)
    assert body["data"]["registerPushSubscription"]["endpoint"] == good["endpoint"]
    again = await gql.execute(REGISTER, {"input": good}, as_user=maria.id)
    assert again["data"]["registerPushSubscription"]["__typename"] == "PushSubscription"
    assert await PushSubscription.filter(user_id=maria.id).count() == 1

    bad = {
        "endpoint": "http://fcm.example/send/abc",
        "p256dh": keys.p256dh[:-4],
        "auth": keys.auth_b64 + "AAAA",
    }
    errors = (await gql.execute(REGISTER, {"input": bad}, as_user=maria.id))["data"][
        "registerPushSubscription"
    ]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("INVALID_ENDPOINT", "endpoint"),
        ("INVALID_KEY", "p256dh"),
        ("INVALID_KEY", "auth"),
    ]
    not_a_point = {**good, "p256dh": "BA" + "A" * 85}  # 65 bytes, 0x04 prefix, off the curve
    errors = (await gql.execute(REGISTER, {"input": not_a_point}, as_user=maria.id))["data"][
        "registerPushSubscription"
    ]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID_KEY", "p256dh")]

    # Bob cannot remove Maria's; Maria can, once.
    assert (await gql.execute(UNREGISTER, {"endpoint": good["endpoint"]}, as_user=bob.id))[
        "data"
    ] == {"unregisterPushSubscription": False}
    assert (await gql.execute(UNREGISTER, {"endpoint": good["endpoint"]}, as_user=maria.id))[
        "data"
    ] == {"unregisterPushSubscription": True}
    assert not await PushSubscription.exists()
    anonymous = await gql.execute(REGISTER, {"input": good})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://169.254.169.254/latest/meta-data",  # a cloud metadata service
        "https://127.0.0.1/push",
        "https://[::1]/push",
        "https://127.1/push",
        "https://0x7f.1/push",
        "https://2130706433/push",
        "https://localhost/push",
        "https://db.localhost/push",
        "https://intranet/push",
        "https://admin.clinic.internal/push",
        "https://push.example.com:8443/push",  # an internal port on a public name
    ],
)
async def test_a_push_endpoint_inside_the_network_is_refused(
    gql: GraphQLClient, endpoint: str
) -> None:
    maria = await make_user()
    keys = make_browser_keys()
    body = await gql.execute(
        REGISTER,
        {"input": {"endpoint": endpoint, "p256dh": keys.p256dh, "auth": keys.auth_b64}},
        as_user=maria.id,
    )
    errors = body["data"]["registerPushSubscription"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID_ENDPOINT", "endpoint")]
    assert not await PushSubscription.exists()


async def test_push_public_key_is_null_until_configured(
    gql: GraphQLClient, settings: Settings
) -> None:
    maria = await make_user()
    assert await gql.execute(KEY, as_user=maria.id) == {"data": {"pushPublicKey": None}}
    vapid = make_vapid_keys()
    configured = with_(settings, vapid_public_key=vapid.public, vapid_private_key=vapid.private)
    app = create_app(configured, scope_for_request=scope_from_test_header)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        body = await GraphQLClient(http).execute(KEY, as_user=maria.id)
    assert body == {"data": {"pushPublicKey": vapid.public}}


LIST_WITH_DELIVERIES = """{ notifications(first: 20) { edges { node {
  title deliveries { channel status } } } } }"""


async def test_deliveries_of_a_page_load_in_one_statement(gql: GraphQLClient) -> None:
    maria = await make_user()
    for n in range(5):
        await notify(
            NewNotification(user_id=maria.id, kind=NotificationKind.NEW_MESSAGE, title=f"N{n}")
        )
    with count_sql() as counter:
        body = await gql.execute(LIST_WITH_DELIVERIES, as_user=maria.id)
    edges = body["data"]["notifications"]["edges"]
    assert len(edges) == 5
    assert all(len(edge["node"]["deliveries"]) == 2 for edge in edges)
    delivery_reads = [s for s in counter.statements if "notifications_delivery" in s]
    assert len(delivery_reads) == 1, delivery_reads


async def test_a_sender_that_raises_fails_the_delivery_after_the_last_attempt(
    database: None, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def __init__(self, settings: Settings) -> None:
            del settings

        async def send(self, recipient: Recipient, message: ChannelMessage) -> SendResult:
            raise RuntimeError(f"boom for {recipient.email}")

    monkeypatch.setitem(delivering.SENDERS, EMAIL, Broken)
    maria = await make_user()
    await _only(maria, EMAIL)
    notification = await _message_for(maria)
    await Job.filter(kind=DELIVER_JOB).update(max_attempts=2)
    for _ in range(2):
        await make_jobs_due()
        await run_jobs(settings)
    email = await _delivery(notification, EMAIL)
    assert (email.status, email.attempts) == (DeliveryStatus.FAILED, 2)
    assert email.last_error == "the EMAIL sender raised RuntimeError"  # no address
    (job,) = await Job.filter(kind=DELIVER_JOB)
    assert job.outcome == "FAILED"
