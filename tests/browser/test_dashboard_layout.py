"""The dashboard's layout: a demo patient hides and moves widgets with the keyboard only, saves,
and finds the same layout after a reload and after signing in again elsewhere."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    MARIA,
    NARROW,
    Server,
    assert_accessible,
    screenshot,
    tab_to,
    type_into,
)

SAVED_ORDER = [
    "Quick actions",
    "Upcoming appointments",
    "Recent messages",
    "Your pain chart",
    "Today's exercises",
]
DEFAULT_ORDER = [
    "Upcoming appointments",
    "Recent messages",
    "Your pain chart",
    "Today's exercises",
    "Notifications",
    "Quick actions",
]
RESET = "mutation { resetDashboardLayout { isDefault } }"


def sign_in_with_keyboard(page: Page) -> None:
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_focused()
    type_into(page, "Email address", MARIA)
    type_into(page, "Password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()


def loaded(page: Page) -> None:
    # Data-driven parts (and the lazily loaded chart) have arrived once no loading status is left.
    expect(page.locator(".loading")).to_have_count(0)


def widget_titles(page: Page) -> list[str]:
    return [title.strip() for title in page.locator(".widgets > section > h2").all_text_contents()]


def expect_saved_layout(page: Page) -> None:
    expect(page.locator(".widgets > section > h2")).to_have_text(SAVED_ORDER)
    expect(page.get_by_role("region", name="Notifications")).to_have_count(0)


def reset_through_the_api(page: Page) -> None:
    """Leaves Maria's layout as the other browser tests expect it, whatever happened above."""
    page.request.post(
        "/graphql",
        data={"query": RESET, "variables": {}},
        headers={"X-Relief-CSRF": "1"},
    )


def test_patient_hides_and_moves_widgets_with_the_keyboard_and_the_layout_stays(
    context: BrowserContext, browser: Browser, server: Server
) -> None:
    page = context.new_page()
    sign_in_with_keyboard(page)
    try:
        loaded(page)
        assert widget_titles(page) == DEFAULT_ORDER

        tab_to(page, "Customise dashboard")
        page.keyboard.press("Enter")
        expect(
            page.get_by_role("heading", level=2, name="Customise your dashboard")
        ).to_be_focused()
        status = page.locator(".customise-status")

        # Hide one widget: the button says Show now, and the live region says what happened.
        tab_to(page, "Hide: Notifications")
        page.keyboard.press("Enter")
        expect(status).to_have_text(re.compile(r"^Notifications hidden\."))
        expect(page.get_by_role("button", name="Show: Notifications")).to_be_focused()

        # Move another from last to first, one place per Enter; focus stays on the button.
        tab_to(page, "Move up: Quick actions")
        for place in range(5, 0, -1):
            page.keyboard.press("Enter")
            expect(status).to_have_text(f"Quick actions moved up: now {place} of 6.")
        expect(page.get_by_role("button", name="Move up: Quick actions")).to_be_focused()
        page.keyboard.press("Enter")
        expect(status).to_have_text(re.compile(r"^Quick actions is already first\."))

        # Customise mode has no axe violations at desktop width and at 320 px.
        loaded(page)
        expect(page.locator(".widgets > section > h2")).to_have_text(SAVED_ORDER)
        assert_accessible(page, "dashboard customise mode desktop")
        screenshot(page, "dashboard-customise")
        page.set_viewport_size(NARROW)  # type: ignore[arg-type]
        assert_accessible(page, "dashboard customise mode 320px")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the customise mode scrolls sideways by {overflow}px at 320px"
        screenshot(page, "dashboard-customise-320px")
        page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
        page.emulate_media(color_scheme="dark")
        assert_accessible(page, "dashboard customise mode desktop dark")
        page.emulate_media(color_scheme="light")

        tab_to(page, "Save layout")
        page.keyboard.press("Enter")
        expect(page.locator(".dashboard-note")).to_have_text(
            "Your dashboard is saved. 5 of 6 widgets shown."
        )
        expect(page.get_by_role("button", name="Customise dashboard")).to_be_focused()
        expect_saved_layout(page)
        loaded(page)
        screenshot(page, "dashboard-saved-layout")

        page.reload()
        expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_visible()
        expect_saved_layout(page)

        # Signed in again in a new browser context: the layout lives on the server.
        other = browser.new_context(base_url=server.url, viewport=DESKTOP)  # type: ignore[arg-type]
        try:
            again = other.new_page()
            sign_in_with_keyboard(again)
            expect_saved_layout(again)

            # Reset to default, keyboard only: every widget is back in the default order.
            tab_to(again, "Customise dashboard")
            again.keyboard.press("Enter")
            tab_to(again, "Reset to default")
            again.keyboard.press("Enter")
            expect(again.locator(".dashboard-note")).to_have_text(
                "Your dashboard is back to the default. 6 of 6 widgets shown."
            )
            expect(again.locator(".widgets > section > h2")).to_have_text(DEFAULT_ORDER)
        finally:
            other.close()
    finally:
        reset_through_the_api(page)


def test_a_save_that_fails_puts_the_earlier_layout_back_and_says_why(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    sign_in_with_keyboard(page)
    try:
        loaded(page)
        expect(page.locator(".widgets > section > h2")).to_have_text(DEFAULT_ORDER)
        page.get_by_role("button", name="Customise dashboard").click()
        page.get_by_role("button", name="Hide: Quick actions").click()
        # The connection drops just as the layout is sent.
        page.route(
            "**/graphql",
            lambda route: (
                route.abort()
                if "SaveDashboardLayout" in (route.request.post_data or "")
                else route.fallback()
            ),
        )
        page.get_by_role("button", name="Save layout").click()
        alert = page.get_by_role("alert").filter(has_text="could not be saved")
        expect(alert).to_have_text(
            "Your dashboard could not be saved, so it is back as it was. We could not reach "
            "Relief. Please check your internet connection and try again."
        )
        expect(page.locator(".widgets > section > h2")).to_have_text(DEFAULT_ORDER)
        page.unroute("**/graphql")
        page.reload()
        expect(page.locator(".widgets > section > h2")).to_have_text(DEFAULT_ORDER)
    finally:
        reset_through_the_api(page)
