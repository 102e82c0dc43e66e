"""Probes, security headers and the single-page app."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from api import db
from api.app import create_app
from api.settings import Settings


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


async def test_readyz_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "up"}}


async def test_readyz_is_503_when_the_database_does_not_answer(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down() -> None:
        raise ConnectionRefusedError("database is down")

    monkeypatch.setattr(db, "ping", down)
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "down"}}


async def _readyz_with_redis(settings: Settings, redis_url: str) -> httpx.Response:
    app = create_app(settings.model_copy(update={"redis_url": redis_url}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return await http.get("/readyz")


@pytest.mark.redis
async def test_readyz_checks_redis_when_configured(settings: Settings, database: None) -> None:
    redis_url = os.environ.get("PORTAL_TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("PORTAL_TEST_REDIS_URL is not set")
    up = await _readyz_with_redis(settings, redis_url)
    assert up.status_code == 200
    assert up.json()["checks"] == {"database": "up", "redis": "up"}


async def test_readyz_reports_an_unreachable_redis(settings: Settings, database: None) -> None:
    down = await _readyz_with_redis(settings, "redis://127.0.0.1:1/0")
    assert down.status_code == 503
    assert down.json()["checks"] == {"database": "up", "redis": "down"}


EXPECTED_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@pytest.mark.parametrize("path", ["/graphql", "/healthz", "/", "/appointments"])
async def test_security_headers_everywhere(client: httpx.AsyncClient, path: str) -> None:
    if path == "/graphql":
        response = await client.post(path, json={"query": "{ __typename }"})
    else:
        response = await client.get(path)
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "strict-transport-security" not in response.headers


async def test_hsts_only_over_https(app: Starlette) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as https:
        response = await https.get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=")


@pytest.fixture
def built_spa(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Relief</title><div id=root></div>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('relief')")
    (dist / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("outside the bundle")
    return dist


async def _spa_client(settings: Settings, dist: Path) -> httpx.AsyncClient:
    app = create_app(settings.model_copy(update={"frontend_dist": dist}))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_spa_serves_files_and_falls_back_to_index(
    settings: Settings, database: None, built_spa: Path
) -> None:
    async with await _spa_client(settings, built_spa) as http:
        index = await http.get("/")
        assert index.status_code == 200
        assert "<title>Relief</title>" in index.text
        assert index.headers["cache-control"] == "no-cache"

        route = await http.get("/appointments/42")
        assert route.status_code == 200
        assert route.text == index.text

        asset = await http.get("/assets/index-abc123.js")
        assert asset.text == "console.log('relief')"
        assert "immutable" in asset.headers["cache-control"]

        assert (await http.get("/favicon.svg")).status_code == 200
        assert (await http.get("/assets/missing-999.js")).status_code == 404
        escaped = await http.get("/..%2Fsecret.txt")
        assert "outside the bundle" not in escaped.text
        assert (await http.post("/appointments")).status_code == 405


async def test_missing_bundle_explains_how_to_build_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 503
    assert "npm run build" in response.text
    assert "make run" in response.text
