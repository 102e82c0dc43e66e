"""Emergency access and "Who saw my record", end to end in a real browser.

Dr. Patel is not on Maria's care team: she finds Maria by family name and date of birth and
opens her record in an emergency with a reason, by keyboard alone, and reads it under a
banner that says until when. Maria then sees the emergency access, with the reason, in her
access log (and its CSV); the admin sees it in the review. Patel ends the access at the end,
so the other browser tests sharing the server see Maria's record as before.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, BrowserContext, Page, expect

from api.services.access_log import CSV_HEADER
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

PATEL = "s.patel@demo.relief.test"
ADMIN = "admin@demo.relief.test"
PATEL_NAME = "Sunita Patel"
REASON = "Maria collapsed in the waiting room; checking her medications and allergies."
# The GraphQL end of the cleanup: whatever happened above, Patel's open accesses end.
MY_OPEN = "{ myEmergencyAccesses { id } }"
CLOSE = "mutation Close($id: ID!) { closeEmergencyAccess(id: $id) { emergencyAccess { status } } }"


def loaded(page: Page) -> None:
    # Data-driven parts have arrived once no loading status is left.
    expect(page.locator(".loading")).to_have_count(0)


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def accessible_at_both_widths(page: Page, label: str) -> None:
    """axe finds nothing at 1280 and 320 CSS px (light), and at 1280 px dark; no sideways scroll."""
    for viewport in (DESKTOP, NARROW):
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        assert_accessible(page, f"{label} {viewport['width']}px")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label} scrolls sideways by {overflow}px at {viewport['width']}px"
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    page.emulate_media(color_scheme="dark")
    assert_accessible(page, f"{label} 1280px dark")
    page.emulate_media(color_scheme="light")


def close_open_accesses(page: Page) -> None:
    headers = {"X-Relief-CSRF": "1"}
    answer = page.request.post("/graphql", data={"query": MY_OPEN}, headers=headers).json()
    for access in answer["data"]["myEmergencyAccesses"]:
        page.request.post(
            "/graphql",
            data={"query": CLOSE, "variables": {"id": access["id"]}},
            headers=headers,
        )


@contextmanager
def someone_else(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    """Another person's browser, set up as the shared `context` fixture is."""
    made = browser.new_context(
        base_url=server.url,
        viewport=DESKTOP,  # type: ignore[arg-type]
        locale="en-US",
        timezone_id="America/New_York",
        reduced_motion="reduce",
        accept_downloads=True,
    )
    made.set_default_timeout(10_000)
    yield made
    made.close()


def test_emergency_access_is_reasoned_seen_by_the_patient_and_reviewed(
    context: BrowserContext, browser: Browser, server: Server
) -> None:
    patel = context.new_page()
    sign_in(patel, PATEL)
    try:
        open_marias_record_in_an_emergency(patel)
        with someone_else(browser, server) as maria:
            maria_sees_it_in_her_access_log(maria.new_page())
        with someone_else(browser, server) as admin:
            admin_reviews_it(admin.new_page())
        patel_ends_it(patel)
    finally:
        close_open_accesses(patel)


def open_marias_record_in_an_emergency(page: Page) -> None:
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Emergency access").click()
    expect(page.get_by_role("heading", level=1, name="Emergency access")).to_be_focused()
    expect(nav.get_by_role("link", name="Emergency access")).to_have_attribute(
        "aria-current", "page"
    )
    loaded(page)
    warning = page.get_by_role("note", name="Before you continue")
    expect(warning).to_contain_text("recorded")
    expect(warning).to_contain_text("administrators are alerted")
    expect(warning).to_contain_text("The patient (or their parent or guardian) is told")
    accessible_at_both_widths(page, "emergency access")

    # Keyboard only from here: find Maria, choose her, give the reason, open.
    type_into(page, "Family name", "gonzalez")
    tab_to(page, "Date of birth")
    page.keyboard.type("03141986")
    tab_to(page, "Find patient")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=3, name="1 patient found")).to_be_focused()
    tab_to(page, "Choose Maria Gonzalez")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="2. Why do you need Maria Gonzalez's record now?")
    ).to_be_focused()
    # Too short a reason is refused in words, before anything is sent.
    type_into(page, "Reason for emergency access", "urgent")
    tab_to(page, "Open the record in an emergency")
    page.keyboard.press("Enter")
    reason = page.get_by_label("Reason for emergency access")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#emergency-reason-error")).to_contain_text("at least 10 letters or digits")
    accessible_at_both_widths(page, "emergency reason with an error")
    page.keyboard.press("Control+A")
    page.keyboard.type(REASON)
    tab_to(page, "Open the record in an emergency")
    page.keyboard.press("Enter")

    opened = page.get_by_role("heading", level=2, name="Emergency access is open")
    expect(opened).to_be_focused()
    expect(page.locator(".emergency-open")).to_contain_text(
        "Maria Gonzalez: emergency access until"
    )
    accessible_at_both_widths(page, "emergency access opened")
    screenshot(page, "emergency-access-opened")

    tab_to(page, "Open Maria Gonzalez's record")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=re.compile("Maria"))).to_be_focused()
    assert re.fullmatch(r".*/patients/[^/]+", page.url)
    loaded(page)
    banner = page.get_by_role("region", name="Emergency access")
    expect(banner).to_contain_text(re.compile(r"Emergency access until \d{1,2}:\d{2}"))
    expect(banner).to_contain_text("Maria Gonzalez's record")
    expect(banner.get_by_role("button", name=re.compile("^End emergency access"))).to_be_visible()
    # The record itself: Patel reads what the care team reads.
    expect(page.get_by_role("heading", level=3, name="Allergies")).to_be_visible()
    accessible_at_both_widths(page, "patient record under emergency access")
    screenshot(page, "emergency-access-record-banner")


def maria_sees_it_in_her_access_log(page: Page) -> None:
    sign_in(page, MARIA)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Who saw my record").click()
    expect(page.get_by_role("heading", level=1, name="Who saw my record")).to_be_focused()
    assert page.url.endswith("/access-log")
    loaded(page)
    emergency = page.locator(".log-entry.emergency")
    expect(emergency).to_have_count(1)
    expect(emergency).to_contain_text("Emergency access")
    expect(emergency).to_contain_text(
        re.compile(rf"{PATEL_NAME}.*\(therapist\) opened your record in an emergency on ")
    )
    expect(emergency.locator("blockquote")).to_have_text(REASON)
    # Her search found Maria: that is in the log too, as a routine entry of the day.
    expect(page.locator(".log-entry").filter(has_text="emergency search")).to_have_count(1)
    emergency.get_by_text("What was opened").click()
    expect(emergency.get_by_role("listitem").first).to_contain_text(re.compile(r"Viewed your"))
    accessible_at_both_widths(page, "access log")
    screenshot(page, "access-log-emergency")

    # Her own views are left out until she asks for them.
    mine = page.locator(".log-entry").filter(has_text=re.compile(r"^You "))
    expect(mine).to_have_count(0)
    page.get_by_label("Include my own views").check()
    loaded(page)
    expect(
        page.locator(".log-entry").filter(has_text=re.compile(r"^You viewed"))
    ).not_to_have_count(0)
    expect(page.locator(".log-entry.emergency")).to_have_count(1)

    # The CSV of the same days holds the same entry, reason and all.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as CSV").click()
    download = info.value
    assert re.fullmatch(r"record-access-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    path = download.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == list(CSV_HEADER)
    emergency_rows = [
        row for row in rows[1:] if row[CSV_HEADER.index("grouped_by")] == "EMERGENCY_ACCESS"
    ]
    assert [row[CSV_HEADER.index("emergency_reason")] for row in emergency_rows] == [REASON]

    # A range that ends before it starts is refused in words, on the field to fix.
    page.get_by_label("From", exact=True).fill("2025-06-30")
    page.get_by_label("To", exact=True).fill("2025-06-01")
    page.get_by_role("button", name="Show these days").click()
    expect(page.get_by_label("From", exact=True)).to_be_focused()
    expect(page.get_by_role("alert")).to_have_text(
        "The first day must be on or before the last day."
    )
    assert_accessible(page, "access log with a range error")


def admin_reviews_it(page: Page) -> None:
    sign_in(page, ADMIN)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Emergency access review").click()
    expect(page.get_by_role("heading", level=1, name="Emergency access review")).to_be_focused()
    loaded(page)
    newest = page.locator(".review-item").first
    expect(newest.get_by_role("heading", level=2)).to_have_text(
        re.compile(rf"^{PATEL_NAME}.* opened Maria Gonzalez's record$")
    )
    expect(newest.locator("blockquote")).to_have_text(REASON)
    expect(newest.locator(".review-status")).to_have_text("Open")
    page.get_by_label("Show open accesses only").check()
    loaded(page)
    expect(page.locator(".review-item").first.locator("blockquote")).to_have_text(REASON)
    accessible_at_both_widths(page, "emergency access review")
    screenshot(page, "admin-emergency-access-review")

    # The review links to the patient's access log, which an admin may read.
    page.locator(".review-item").first.get_by_role(
        "link", name="Who saw Maria Gonzalez's record"
    ).click()
    expect(
        page.get_by_role("heading", level=1, name="Who saw this patient's record")
    ).to_be_focused()
    loaded(page)
    expect(page.locator(".log-entry.emergency").first.locator("blockquote")).to_have_text(REASON)


def patel_ends_it(page: Page) -> None:
    page.bring_to_front()
    banner = page.get_by_role("region", name="Emergency access")
    banner.get_by_role("button", name=re.compile("^End emergency access")).click()
    # Off the record she may no longer read, onto the page that lists what is open.
    expect(page.get_by_role("heading", level=1, name="Emergency access")).to_be_focused()
    loaded(page)
    expect(page.get_by_text("You have no emergency access open.")).to_be_visible()


GRACE = "grace.chen@demo.relief.test"
CAREGIVING = "{ caregiving { patientId patientName } }"


def test_a_guardian_reads_her_sons_access_log(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, GRACE)
    answer = page.request.post(
        "/graphql", data={"query": CAREGIVING}, headers={"X-Relief-CSRF": "1"}
    ).json()
    liam = next(
        item["patientId"]
        for item in answer["data"]["caregiving"]
        if item["patientName"] == "Liam Chen"
    )

    # A notification's link names Liam while Grace acts for herself: she is offered to act
    # for him first (a link cannot carry whom she acts for).
    page.goto(f"/access-log?patient={liam}")
    expect(page.get_by_role("heading", level=1, name="Who saw Liam's record")).to_be_visible()
    page.get_by_role("button", name="Act for Liam and show the log").click()
    expect(page.get_by_test_id("acting-banner")).to_contain_text("Liam Chen")
    expect(page.get_by_role("heading", level=1, name="Who saw Liam's record")).to_be_focused()
    loaded(page)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("Include Liam's own views")).not_to_be_checked()
    accessible_at_both_widths(page, "guardian's access log")
    screenshot(page, "access-log-guardian")

    # Her download names Liam in the link, as the header would.
    download_link = page.get_by_role("link", name="Download as CSV")
    expect(download_link).to_have_attribute("href", re.compile(rf"patient={re.escape(liam)}"))
    with page.expect_download() as info:
        download_link.click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0] == list(CSV_HEADER)

    # Account and security links to the same page while she acts for him.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Who saw Liam's record").click()
    expect(page.get_by_role("heading", level=1, name="Who saw Liam's record")).to_be_focused()
    assert page.url.endswith("/access-log")
