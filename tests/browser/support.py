"""A real portal server for browser tests, and the keyboard and axe helpers they share."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

# axe-playwright-python ships no type information.
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "lupine harbour ferry 42"
MARIA = "maria.gonzalez@demo.relief.test"
OKAFOR = "dr.okafor@demo.relief.test"
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 720}
# WCAG 2.0 to 2.2, A and AA (target-size is a 2.2 AA rule), and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22a",
            "wcag22aa",
            "best-practice",
        ],
    },
    "resultTypes": ["violations"],
}


@dataclass(frozen=True)
class Server:
    url: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PORTAL = str(Path(sys.executable).with_name("portal"))


def portal(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PORTAL, *args], cwd=ROOT, env=env, check=True, capture_output=True)


@contextmanager
def running_server(workdir: Path) -> Iterator[Server]:
    """`portal serve` on a free port with a fresh SQLite file database, migrated and seeded."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": f"sqlite:///{workdir / 'browser.sqlite3'}",
        "PORTAL_PUBLIC_URL": url,
        "PORTAL_ENV": "development",
        # Every test signs in from 127.0.0.1: the whole suite outgrows the per-IP budget of
        # 30 sign-ins in 10 minutes (the limit itself is tested in tests/test_accounts_*).
        "PORTAL_SIGN_IN_RATE_LIMIT": "300/10 minutes",
    }
    env.pop("PORTAL_REDIS_URL", None)
    env.pop("PORTAL_SMTP_URL", None)
    portal("migrate", env=env)
    portal("seed-demo", env=env)
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [PORTAL, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the server did not start: {(workdir / 'server.log').read_text()}"
                    ) from None
                time.sleep(0.1)  # polling a port that is not listening yet: nothing to await
        yield Server(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def focused_description(page: Page) -> str:
    """The focused element's accessible-ish name: its label, aria-label or text."""
    result = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return '';
            const labelled = el.id && document.querySelector(`label[for="${el.id}"]`);
            return (labelled && labelled.textContent) || el.getAttribute('aria-label') || el.textContent || '';
        }"""
    )
    return str(result).strip()


def tab_to(page: Page, name: str, *, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab until the focused control's name starts with `name` (keyboard only)."""
    pattern = re.compile(rf"^{re.escape(name)}", re.IGNORECASE)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if pattern.search(focused_description(page)):
            return
    raise AssertionError(f"Tab never reached {name!r}; last focus: {focused_description(page)!r}")


def type_into(page: Page, name: str, text: str) -> None:
    tab_to(page, name)
    page.keyboard.type(text)


def assert_accessible(page: Page, label: str) -> None:
    """axe-core finds no violations on the page as it is now."""
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
