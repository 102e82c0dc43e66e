"""axe-core finds no violations on any view: desktop and 320 CSS px, light and dark."""

from __future__ import annotations

import struct
import zlib
from typing import Literal

import pytest
from playwright.sync_api import BrowserContext, FilePayload, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    NARROW,
    assert_accessible,
    screenshot,
)

PUBLIC_VIEWS = [
    ("/sign-in", "Sign in"),
    ("/register", "Create your account"),
    ("/forgot-password", "Forgot your password"),
    ("/reset-password?token=not-a-real-token", "Choose a new password"),
    ("/verify-email", "Confirming your email address"),
]

PRIVATE_VIEWS = [
    ("/", "Your dashboard"),
    ("/messages", "Messages"),
    ("/messages/new", "New message"),
    ("/notifications", "Notifications"),
    ("/account", "Account and security"),
    ("/account/notifications", "Notification settings"),
    ("/appointments", "Appointments"),
    ("/appointments/book", "Book an appointment"),
    ("/appointments/calendar", "Calendar feed and reminders"),
    ("/appointments/waitlist", "Waiting list"),
    ("/plan", "Treatment Plan"),
    ("/progress", "Progress"),
    ("/no-such-page", "Page not found"),
]


def tiny_png() -> bytes:
    """A valid 1x1 PNG, so the server's type sniffing and metadata stripping accept it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_visible()


def check(page: Page, path: str, heading: str, label: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    # Data-driven parts have arrived once no loading status is left.
    expect(page.locator(".loading")).to_have_count(0)
    assert_accessible(page, f"{label} {path}")


@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(DESKTOP, "light"), (NARROW, "light"), (DESKTOP, "dark")],
    ids=["desktop", "320px", "desktop-dark"],
)
def test_every_view_has_no_axe_violations(
    context: BrowserContext, viewport: dict[str, int], scheme: Literal["light", "dark"]
) -> None:
    page = context.new_page()
    page.set_viewport_size(viewport)  # type: ignore[arg-type]
    page.emulate_media(color_scheme=scheme)
    label = f"{viewport['width']}px {scheme}"
    for path, heading in PUBLIC_VIEWS:
        check(page, path, heading, label)

    sign_in(page, "liam.chen@demo.relief.test")
    for path, heading in PRIVATE_VIEWS:
        check(page, path, heading, label)
        # Nothing scrolls sideways: usable at 320 px (and so at 200% zoom of 640 px).
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {label}"

    # A conversation with an attachment (uploaded as multipart GraphQL), and the open
    # notification panel, are views too.
    page.goto("/messages/new")
    page.get_by_label("Subject").fill("Question about my exercises")
    page.get_by_label("Message", exact=True).fill("How many sets of the wall slide?")
    page.get_by_label("Attach files").set_input_files(
        files=[FilePayload(name="swelling.png", mimeType="image/png", buffer=tiny_png())]
    )
    expect(page.get_by_role("list", name="Attached files")).to_contain_text("swelling.png")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1, name="Question about my exercises")).to_be_visible()
    expect(page.get_by_role("link", name="swelling.png")).to_be_visible()
    assert_accessible(page, f"{label} thread")

    if viewport == NARROW:
        menu = page.get_by_role("button", name="Menu")
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        menu.click()
        expect(page.get_by_role("link", name="Treatment Plan")).to_be_visible()
        assert_accessible(page, f"{label} open menu")
        page.keyboard.press("Escape")
    page.get_by_test_id("bell").click()
    expect(page.get_by_role("region", name="Notifications")).to_be_visible()
    assert_accessible(page, f"{label} notification panel")
    screenshot(page, f"accessibility-{viewport['width']}px-{scheme}")


def test_reduced_motion_stops_the_spinner(context: BrowserContext) -> None:
    page = context.new_page()
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()

    def spinner_animation() -> str:
        return str(
            page.evaluate(
                """() => {
                    const probe = document.createElement('span');
                    probe.className = 'spinner';
                    document.body.append(probe);
                    const name = getComputedStyle(probe).animationName;
                    probe.remove();
                    return name;
                }"""
            )
        )

    page.emulate_media(reduced_motion="no-preference")
    assert spinner_animation() == "spin"
    page.emulate_media(reduced_motion="reduce")
    assert spinner_animation() == "none"
