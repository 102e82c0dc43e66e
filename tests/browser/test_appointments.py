"""Appointments in Chromium against a real server: book with the keyboard alone, see it, cancel it;
a slot taken meanwhile; axe on every Appointments view at 1280 and 320 CSS px."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    MARIA,
    NARROW,
    OKAFOR,
    assert_accessible,
    screenshot,
    tab_to,
)

SLOTS = """
query ($filter: SlotFilter!) {
  availableSlots(filter: $filter) {
    ... on AvailableSlots { slots { startsAt telehealth therapist { id } location { id } } }
  }
}
"""
BOOK = """
mutation ($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    __typename
    ... on AppointmentPayload { appointment { id } }
    ... on BookingErrors { errors { code } }
  }
}
"""
CANCEL = """
mutation ($id: ID!) {
  cancelAppointment(input: {appointmentId: $id}) { __typename }
}
"""


def sign_in(page: Page, email: str = MARIA) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#site-nav")).to_be_attached()


def graphql(page: Page, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The same API the SPA uses, with the page's session cookie."""
    response = page.request.post(
        "/graphql",
        data={"query": query, "variables": variables},
        headers={"X-Relief-CSRF": "1"},
    )
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def settled(page: Page) -> None:
    expect(page.locator(".loading")).to_have_count(0)


def focus_is_radio(page: Page) -> bool:
    return bool(page.evaluate("document.activeElement?.type === 'radio'"))


def test_book_with_the_keyboard_see_it_upcoming_then_cancel(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page)
    page.goto("/appointments/book")
    expect(page.get_by_role("heading", level=1, name="Book an appointment")).to_be_focused()
    expect(page.get_by_text("Times are shown in your time zone: New York time")).to_be_visible()
    expect(page.locator(".slot-day").first).to_be_visible()

    # Keyboard alone from here: Tab to the first free time, Space chooses it.
    for _ in range(40):
        page.keyboard.press("Tab")
        if focus_is_radio(page) and page.evaluate("document.activeElement.name") == "slot":
            break
    else:
        raise AssertionError("Tab never reached a free time")
    page.keyboard.press("Space")
    chosen = page.locator(".chosen")
    expect(chosen).to_contain_text("Chosen:")
    chosen_text = chosen.inner_text()
    tab_to(page, "What would you like to talk about")
    page.keyboard.type("Knee stiffness after running")
    tab_to(page, "Confirm booking")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="Your appointment is booked")).to_be_focused()
    expect(page.get_by_role("button", name="Undo this booking")).to_be_visible()
    screenshot(page, "appointments-booked")

    tab_to(page, "See all your appointments")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Appointments")).to_be_focused()
    settled(page)
    upcoming = page.get_by_role("list", name="Upcoming")
    expect(upcoming.get_by_role("article")).to_have_count(1)
    when = chosen_text.removeprefix("Chosen: ").split(" with ")[0]
    expect(upcoming).to_contain_text(when)
    expect(upcoming).to_contain_text("Questionnaire: due")

    tab_to(page, "Details")
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("You can move or cancel an appointment here until 24 hours")
    ).to_be_visible()
    expect(page.get_by_text("Knee stiffness after running")).to_be_visible()
    tab_to(page, "Why are you cancelling")
    page.keyboard.type("Booked by mistake")
    tab_to(page, "Cancel this appointment")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Appointment cancelled")).to_be_focused()

    page.goto("/appointments")
    settled(page)
    expect(page.get_by_text("You have no upcoming appointments.")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["1280px", "320px"])
def test_every_appointments_view_has_no_axe_violations(
    context: BrowserContext, viewport: dict[str, int]
) -> None:
    page = context.new_page()
    page.set_viewport_size(viewport)  # type: ignore[arg-type]
    label = f"{viewport['width']}px"
    sign_in(page)

    def no_sideways_scroll(view: str) -> None:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{view} scrolls sideways by {overflow}px at {label}"

    page.goto("/appointments")
    expect(page.get_by_role("heading", level=1, name="Appointments")).to_be_visible()
    settled(page)
    assert_accessible(page, f"{label} appointments")

    # Choose a time, then someone else takes it before confirming: the plain-words refusal.
    page.goto("/appointments/book")
    expect(page.locator(".slot-day").first).to_be_visible()
    settled(page)
    assert_accessible(page, f"{label} book")
    no_sideways_scroll("book")
    page.locator(".slot-day input[type=radio]").first.check()
    found = graphql(
        page,
        SLOTS,
        {
            "filter": {
                "sessionType": "follow_up",
                "from": page.evaluate("new Date().toISOString()"),
                "to": page.evaluate("new Date(Date.now() + 7 * 864e5).toISOString()"),
            }
        },
    )["availableSlots"]["slots"]
    chosen = page.locator(".slot-day input[type=radio]:checked").get_attribute("value") or ""
    therapist_id, starts_at, place = chosen.split("|")
    slot = next(
        s for s in found if s["therapist"]["id"] == therapist_id and s["startsAt"] == starts_at
    )
    taken = graphql(
        page,
        BOOK,
        {
            "input": {
                "therapistId": therapist_id,
                "sessionType": "follow_up",
                "startsAt": starts_at,
                "telehealth": slot["telehealth"],
                "locationId": None if place == "video" else place,
            }
        },
    )["bookAppointment"]
    assert taken["__typename"] == "AppointmentPayload", taken
    appointment_id = taken["appointment"]["id"]
    try:
        page.get_by_role("button", name="Confirm booking").click()
        # Taken meanwhile: refused in plain words, the choice cleared and the list refreshed.
        expect(page.get_by_role("alert")).to_contain_text("That time was just taken")
        expect(page.locator(".slot-day input[type=radio]:checked")).to_have_count(0)
        assert_accessible(page, f"{label} book refused")

        page.goto(f"/appointments/{appointment_id}")
        expect(page.get_by_role("heading", level=2, name="Before your session")).to_be_visible()
        settled(page)
        slider = page.get_by_label("Pain right now")
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(slider).to_have_attribute("aria-valuetext", "2 out of 10, mild")
        page.get_by_label("Your symptoms now").fill("Stiff in the morning")
        page.get_by_role("button", name="Send my answers").click()
        expect(page.get_by_text("your answers are sent to your therapist")).to_be_visible()
        expect(page.get_by_role("article").get_by_text("Questionnaire: sent")).to_be_visible()
        assert_accessible(page, f"{label} appointment detail")
        no_sideways_scroll("appointment detail")
        screenshot(page, f"appointments-detail-{label}")

        if viewport == DESKTOP:
            page.get_by_role("link", name="Move to another time").click()
            expect(
                page.get_by_role("heading", level=1, name="Move your appointment")
            ).to_be_focused()
            expect(page.get_by_text("You can move or cancel an appointment here")).to_be_visible()
            expect(page.locator(".slot-day").first).to_be_visible()
            settled(page)
            assert_accessible(page, f"{label} reschedule")
            page.locator(".slot-day[open] input[type=radio]").last.check()
            page.get_by_role("button", name="Move to this time").click()
            expect(
                page.get_by_role("heading", level=1, name="Your appointment is moved")
            ).to_be_focused()
            link = page.get_by_role("link", name="Answer the questionnaire before the session")
            appointment_id = unquote((link.get_attribute("href") or "").rsplit("/", 1)[1])
            page.goto("/appointments")
            settled(page)
            expect(page.get_by_role("list", name="Upcoming").get_by_role("article")).to_have_count(
                1
            )
    finally:
        graphql(page, CANCEL, {"id": appointment_id})

    page.goto("/appointments/calendar")
    expect(page.get_by_role("heading", level=1, name="Calendar feed and reminders")).to_be_visible()
    settled(page)
    page.get_by_role("button", name="Turn on the calendar feed").or_(
        page.get_by_role("button", name="Make a new address")
    ).click()
    feed = page.get_by_label("Your feed address")
    expect(feed).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/calendar/[^/]+\.ics$"))
    expect(page.get_by_text("Active, made")).to_be_visible()
    assert_accessible(page, f"{label} calendar")
    no_sideways_scroll("calendar")

    page.goto("/appointments/waitlist")
    expect(page.get_by_role("heading", level=1, name="Waiting list")).to_be_visible()
    settled(page)
    page.get_by_label("Any therapist of a specialty").check()
    page.get_by_label("Specialty", exact=True).select_option(index=1)
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_text("You are on the waiting list.")).to_be_visible()
    leave = page.get_by_role("button", name="Leave the waiting list")
    expect(leave).to_have_count(1)
    assert_accessible(page, f"{label} waitlist")
    no_sideways_scroll("waitlist")
    leave.click()
    expect(page.get_by_text("You left that waiting list.")).to_be_visible()
    expect(page.get_by_text("You are not on any waiting list.")).to_be_visible()


def test_a_therapist_sees_their_own_schedule(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, OKAFOR)
    page.goto("/appointments")
    expect(page.get_by_role("heading", level=2, name="Your schedule")).to_be_visible()
    settled(page)
    expect(page.get_by_role("link", name="Book an appointment")).to_have_count(0)
    assert_accessible(page, "therapist schedule")
