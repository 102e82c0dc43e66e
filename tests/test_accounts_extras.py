"""The strength meter, the outbox for admins and in development, shared rate limits."""

from __future__ import annotations

import os
import secrets

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.models.accounts import Role
from api.services.background import wait_for_background
from api.settings import Settings
from tests.accounts_support import browser, codes_of, gql, make_user, sign_in
from tests.conftest import make_settings

METER = "query($p: String!, $e: String) { passwordStrength(password: $p, email: $e) { acceptable score problem suggestions } }"


@pytest.fixture
def portal(settings: Settings, database: None) -> Starlette:
    return create_app(settings)


async def test_the_strength_meter_uses_the_registration_rules(portal: Starlette) -> None:
    async with browser(portal) as web:
        weak = await gql(web, METER, {"p": "password1234"})
        strong = await gql(web, METER, {"p": "violet harbour lantern sky"})
        personal = await gql(
            web, METER, {"p": "mariagonzalez2024", "e": "maria.gonzalez@example.org"}
        )
    assert weak["data"]["passwordStrength"]["acceptable"] is False
    assert "common" in weak["data"]["passwordStrength"]["problem"]
    assert strong["data"]["passwordStrength"]["acceptable"] is True
    assert strong["data"]["passwordStrength"]["score"] >= 3
    assert personal["data"]["passwordStrength"]["acceptable"] is False


async def test_admins_read_the_outbox_others_do_not(portal: Starlette) -> None:
    await make_user("admin@clinic.example", roles=(Role.ADMIN,))
    await make_user("maria@example.org")
    query = "{ outbox(first: 5) { edges { node { toAddress template sentAt } } } }"
    async with browser(portal) as web:
        await gql(web, 'mutation { requestPasswordReset(email: "maria@example.org") { message } }')
        await wait_for_background()
        await sign_in(web, "maria@example.org")
        assert (await gql(web, query))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with browser(portal, ip="198.51.100.4") as admin:
        await sign_in(admin, "admin@clinic.example")
        edges = (await gql(admin, query))["data"]["outbox"]["edges"]
    assert [edge["node"] for edge in edges] == [
        {"toAddress": "maria@example.org", "template": "password_reset", "sentAt": None}
    ]


async def test_the_development_outbox_page(portal: Starlette, settings: Settings) -> None:
    async with browser(portal) as web:
        await gql(
            web,
            "mutation($i: RegisterInput!) { register(input: $i) { __typename } }",
            {
                "i": {
                    "email": "new@example.org",
                    "password": "violet harbour lantern sky",
                    "name": "New Person",
                    "dateOfBirth": "1990-01-01",
                    "phone": "+15550100100",
                    "timeZone": "UTC",
                }
            },
        )
        page = await web.get("/dev/outbox")
    assert page.status_code == 200
    assert '<a href="http://testserver/verify-email?token=' in page.text
    production = create_app(make_settings(env="production", database_url="postgres://x@h/d"))
    async with browser(production) as prod:
        assert (await prod.get("/dev/outbox")).status_code == 503  # the SPA mount, not the outbox


@pytest.mark.redis
async def test_workers_share_rate_limits_through_redis(settings: Settings, database: None) -> None:
    redis_url = os.environ.get("PORTAL_TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("PORTAL_TEST_REDIS_URL is not set")
    shared = settings.model_copy(update={"redis_url": redis_url, "sign_in_rate_limit": "3/minute"})
    # A client address of its own instead of emptying Redis: another suite may be using it.
    client_ip = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
    worker_a, worker_b = create_app(shared), create_app(shared)
    results = []
    for app in (worker_a, worker_b, worker_a, worker_b):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(client_ip, 1)),
            base_url="http://testserver",
        ) as http:
            results.append(await sign_in(http, "nobody@example.org"))
    assert [codes_of(result) for result in results[:3]] == [["INVALID_CREDENTIALS"]] * 3
    assert results[3]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
