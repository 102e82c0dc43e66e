"""Two-step sign-in end to end: enrol with the QR code, recovery codes, the second-factor step."""

from __future__ import annotations

import pyotp
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import DEMO_PASSWORD, assert_accessible, screenshot, tab_to, type_into

GRACE = "grace.chen@demo.relief.test"


def password_step(page: Page) -> None:
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_focused()
    type_into(page, "Email address", GRACE)
    type_into(page, "Password", DEMO_PASSWORD)
    page.keyboard.press("Enter")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()


def test_two_step_sign_in_enrolment_recovery_code_and_remembered_device(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    password_step(page)
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()

    page.goto("/account")
    expect(page.get_by_text("Two-step sign-in is off.")).to_be_visible()
    type_into(page, "Your current password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    qr = page.get_by_role("img", name="QR code to add Relief to your authenticator app")
    expect(qr).to_be_visible()
    # The image really decoded under the strict CSP (data: images only).
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.locator("code.secret").inner_text()
    assert_accessible(page, "two-step enrolment")
    type_into(page, "6-digit code", pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")

    codes = page.locator(".recovery-codes code")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    assert_accessible(page, "recovery codes")
    screenshot(page, "security-recovery-codes")
    sign_out(page)

    # The password alone no longer signs in: the second step asks for a code.
    password_step(page)
    expect(page.get_by_role("heading", level=1, name="Enter your sign-in code")).to_be_focused()
    assert_accessible(page, "second-factor step")
    type_into(page, "Code", "000000")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("That code did not work")
    page.locator("#code").fill("")
    page.keyboard.type(recovery)
    tab_to(page, "Remember this device")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()
    screenshot(page, "security-signed-in-with-recovery-code")

    page.goto("/account")
    expect(page.get_by_text("Two-step sign-in is on")).to_be_visible()
    expect(page.get_by_role("region", name="Your last ten sign-in attempts")).to_contain_text(
        "Signed in"
    )
    sign_out(page)

    # This browser was remembered: the password is enough here for 30 days.
    password_step(page)
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()
