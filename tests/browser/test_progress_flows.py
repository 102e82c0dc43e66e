"""The Progress view: pain logged with the keyboard alone shows in the chart's table."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    MARIA,
    NARROW,
    assert_accessible,
    screenshot,
    tab_to,
)


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_visible()


def todays_row(page: Page) -> list[str]:
    """The last row of the pain table: today in the patient's calendar (days up to now)."""
    row = page.locator(".series-table tbody tr").last
    return [cell.strip() for cell in row.locator("th, td").all_text_contents()]


def test_pain_logged_with_the_keyboard_shows_in_the_charts_table(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, MARIA)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1, name="Progress")).to_be_focused()
    expect(page.locator(".loading")).to_have_count(0)
    expect(page.get_by_role("img", name=re.compile(r"^Pain \(0 to 10\): "))).to_be_visible()
    # The demo's goal draws baseline, target and projected lines, named in words too.
    legend = page.get_by_role("list", name="How to read the chart")
    expect(legend).to_contain_text("Baseline (where you started): long dashes")
    expect(legend).to_contain_text("Target (your goal): dotted line")
    expect(legend).to_contain_text("Projected (expected path to the goal): dash and dot")

    for viewport in (DESKTOP, NARROW):
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        assert_accessible(page, f"progress {viewport['width']}px")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"/progress scrolls sideways by {overflow}px at {viewport['width']}px"
        screenshot(page, f"progress-{viewport['width']}px")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    entries_before = int(todays_row(page)[3])

    # Keyboard alone from the page heading: to the slider, Home, three steps right, save.
    page.get_by_role("heading", level=1, name="Progress").focus()
    tab_to(page, "Pain now")
    slider = page.get_by_role("slider", name="Pain now")
    expect(slider).to_be_focused()
    page.keyboard.press("End")
    expect(slider).to_have_attribute("aria-valuetext", "10: worst pain imaginable")
    page.keyboard.press("Home")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", "3: uncomfortable pain")
    tab_to(page, "Save pain score")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Saved: pain 3")).to_be_visible()

    # The chart's table alternative, opened with the keyboard, has today's new entry.
    tab_to(page, "Show as table")
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name=re.compile(r"^Pain \(0 to 10\): the numbers"))
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").last.locator("td").nth(2)).to_have_text(
        str(entries_before + 1)
    )
    period, value, *_ = todays_row(page)
    assert value == "3", (period, value)
    assert_accessible(page, "progress with the table open")

    # Weeks and months: the same chart and table by a longer bucket.
    page.get_by_label("Weeks (last 26)").check()
    expect(page.locator(".series-table tbody tr").first.locator("th")).to_contain_text("Week of")
    page.get_by_label("Months (last 12)").check()
    expect(page.locator(".series-table tbody tr")).to_have_count(12)

    # A complete questionnaire (PSFS), scored by the server.
    form = page.get_by_role("form", name="Patient-Specific Functional Scale")
    for index, (activity, rating) in enumerate(
        [("Climbing stairs", "4"), ("Running", "0: unable to do it"), ("Kneeling", "6")]
    ):
        group = form.get_by_role("group", name=f"Activity {index + 1}")
        group.get_by_label("What activity?").fill(activity)
        group.get_by_label("How well can you do it today?").select_option(label=rating)
    form.get_by_role("button", name="Send the questionnaire").click()
    expect(form.get_by_role("status")).to_have_text(
        re.compile(r"^Your score: 3\.3 out of 10\. Average 3\.3 out of 10 over 3 activities")
    )
    expect(page.get_by_text("Patient-Specific Functional Scale: 3.3 out of 10")).to_be_visible()
    assert_accessible(page, "progress after the questionnaire")
    screenshot(page, "progress-logged")
