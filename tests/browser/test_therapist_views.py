"""The therapist's views: Dr. Okafor finds Maria on the caseload and opens her record."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    NARROW,
    OKAFOR,
    assert_accessible,
    screenshot,
)


def loaded(page: Page) -> None:
    # Data-driven parts have arrived once no loading status is left.
    expect(page.locator(".loading")).to_have_count(0)


def test_therapist_sees_maria_on_the_caseload_and_opens_her_record(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(OKAFOR)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()
    expect(page.get_by_role("heading", level=2, name="Your caseload")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Caseload")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Treatment Plan")).to_have_count(0)

    caseload = page.get_by_role("table")
    maria_row = caseload.get_by_role("row").filter(has_text="Maria")
    expect(maria_row).to_have_count(1)
    expect(maria_row.get_by_role("cell").nth(0)).to_have_text(re.compile(r"^\d+/10$|^No pain"))
    loaded(page)
    for viewport in (DESKTOP, NARROW):
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        assert_accessible(page, f"caseload {viewport['width']}px")
    screenshot(page, "therapist-caseload")

    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    maria_row.get_by_role("link", name=re.compile("Maria")).click()
    heading = page.get_by_role("heading", level=1, name=re.compile("Maria"))
    expect(heading).to_be_focused()
    assert re.fullmatch(r".*/patients/[^/]+", page.url)
    loaded(page)
    for section in ("Profile", "Active plan", "Recent pain scores", "Goals"):
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
    for part in ("Conditions", "Medications", "Allergies"):
        expect(page.get_by_role("heading", level=3, name=part)).to_be_visible()
    # Maria's demo record has pain scores: they are a table with a header row and data rows.
    pain = page.get_by_role("table")
    expect(pain.get_by_role("columnheader", name="Pain (0 to 10)")).to_be_visible()
    expect(pain.get_by_role("row").nth(1)).to_contain_text("/10")
    for viewport in (DESKTOP, NARROW):
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        assert_accessible(page, f"patient detail {viewport['width']}px")
    screenshot(page, "therapist-patient-detail")

    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    # Back on the caseload through the link, focus is on the page heading again.
    page.get_by_role("link", name="Back to your caseload").click()
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()

    # The schedule and the inbox are one click away in the therapist's navigation.
    nav.get_by_role("link", name="Schedule").click()
    expect(page.get_by_role("heading", level=1, name="Your schedule")).to_be_focused()
    loaded(page)
    assert_accessible(page, "schedule 1280px")
    nav.get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1, name="Messages")).to_be_focused()
    loaded(page)
    expect(page.get_by_role("heading", level=2, name="Urgent, not yet read")).to_be_visible()
    # The demo conversation is not urgent: it is listed under the other conversations.
    others = page.get_by_role("list", name="Other conversations")
    # Other browser tests share this server and may add threads of Maria's: find the demo one.
    demo_thread = others.get_by_role("link", name=re.compile("Knee feels stiff after the bridges"))
    expect(demo_thread).to_have_count(1)
    assert_accessible(page, "inbox 1280px")
