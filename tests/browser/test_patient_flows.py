"""The patient's core flows in Debian's Chromium against a real server, keyboard only."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    MARIA,
    OKAFOR,
    Server,
    screenshot,
    tab_to,
    type_into,
)


def sign_in_with_keyboard(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_focused()
    type_into(page, "Email address", email)
    type_into(page, "Password", password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()


def test_register_verify_and_sign_in_with_the_keyboard(context: BrowserContext) -> None:
    page = context.new_page()
    email = f"new.patient.{uuid.uuid4().hex[:8]}@example.test"
    password = "cobalt meadow lantern 77"
    page.goto("/register")
    expect(page.get_by_role("heading", level=1, name="Create your account")).to_be_focused()
    assert page.title() == "Create your account · Relief"

    type_into(page, "Full name", "Ada Keyboard")
    type_into(page, "Email address", email)
    type_into(page, "Password", password)
    expect(page.get_by_text(re.compile(r"Strength: .*This password can be used"))).to_be_visible()
    type_into(page, "Date of birth", "03141986")
    type_into(page, "Mobile phone", "+1 617 555 0199")
    tab_to(page, "Time zone")
    expect(page.locator("#reg-timeZone")).to_have_value("America/New_York")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_focused()
    screenshot(page, "register-check-your-email")

    # The development outbox holds the mail; its link opens the SPA's verification page.
    outbox = context.new_page()
    outbox.goto("/dev/outbox")
    mail = outbox.locator("article", has_text=email).first
    link = mail.locator('a[href*="/verify-email?token="]').first.get_attribute("href")
    assert link
    outbox.close()

    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Email address confirmed")).to_be_visible()
    tab_to(page, "Sign in")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_focused()
    type_into(page, "Email address", email)
    type_into(page, "Password", password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()
    expect(page.get_by_text("Welcome back, Ada")).to_be_visible()
    screenshot(page, "register-signed-in-dashboard")


def test_message_sent_by_keyboard_and_live_reply_rings_the_bell(
    context: BrowserContext, browser: Browser, server: Server
) -> None:
    page = context.new_page()
    sign_in_with_keyboard(page, MARIA, DEMO_PASSWORD)
    # The widgets show the seeded plan and this week's adherence.
    today = page.get_by_role("region", name="Today's exercises")
    expect(today).to_contain_text("Right knee: strength and confidence after ACL reconstruction")
    expect(today.locator(".exercise-list li").first).to_be_visible()
    expect(page.get_by_role("region", name="This week")).to_contain_text(
        re.compile(r"\d+% of this week's sessions done")
    )
    screenshot(page, "patient-dashboard")
    bell = page.get_by_test_id("bell")
    expect(bell).to_have_attribute("aria-label", re.compile(r"^Notifications, "))
    before = bell.get_attribute("aria-label")

    # Messages through the navigation, then a new thread, keyboard only.
    tab_to(page, "Messages")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Messages")).to_be_focused()
    tab_to(page, "New message")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="New message")).to_be_focused()
    subject = f"Knee feels stiff {uuid.uuid4().hex[:6]}"
    type_into(page, "Subject", subject)
    type_into(page, "Message", "Is it fine to skip the bridges today?")
    tab_to(page, "Send message")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=subject)).to_be_focused()
    expect(page.get_by_text("Is it fine to skip the bridges today?")).to_be_visible()
    thread_path = page.url.removeprefix(server.url)

    # The therapist, in a second browser context, answers from the same app.
    therapist = browser.new_context(base_url=server.url, viewport=DESKTOP)  # type: ignore[arg-type]
    clinician = therapist.new_page()
    sign_in_with_keyboard(clinician, OKAFOR, DEMO_PASSWORD)
    clinician.goto(thread_path)
    expect(clinician.get_by_role("heading", level=1, name=subject)).to_be_visible()
    expect(clinician.get_by_text("Is it fine to skip the bridges today?")).to_be_visible()
    clinician.get_by_label("Your reply").fill("Yes, rest today and try again tomorrow.")
    clinician.get_by_role("button", name="Send reply").click()
    expect(clinician.get_by_text("Yes, rest today and try again tomorrow.")).to_be_visible()

    # Maria's page changes without a reload: the reply appears and the bell count moves.
    expect(page.get_by_text("Yes, rest today and try again tomorrow.")).to_be_visible()
    expect(bell).not_to_have_attribute("aria-label", before or "")
    expect(page.get_by_test_id("bell-count")).to_be_visible()
    screenshot(page, "patient-thread-live-reply")
    screenshot(clinician, "therapist-thread-reply")
    therapist.close()

    # The therapist opened the thread, so after a reload Maria's message shows the receipt.
    page.reload()
    expect(page.get_by_text("Seen by Dr. Amara Okafor, DPT")).to_be_visible()
