"""Family access in Chromium against a real server: a patient invites a caregiver with the
keyboard alone; the invitee accepts from the mailed link with a new account and acts for the
patient, seeing only what was shared; the patient revokes and the caregiver's next page says
so. axe on /family and the invitation page at 1280 and 320 CSS px, light and dark."""

from __future__ import annotations

import re
import uuid
from typing import Any

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

MARIA_BORN = "1986-03-14"
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
  }
}
"""
CANCEL = """
mutation ($id: ID!) {
  cancelAppointment(input: {appointmentId: $id, reason: "Family access test done"}) { __typename }
}
"""


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


def sign_in_with_keyboard(page: Page, email: str, password: str, heading: str) -> None:
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_focused()
    type_into(page, "Email address", email)
    type_into(page, "Password", password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_focused()


def book_for_maria(page: Page) -> str | None:
    """One appointment a few days out, so the caregiver has something to see (and the
    cancellation window still allows cleaning up). Later slots first: other tests book early."""
    found = graphql(
        page,
        SLOTS,
        {
            "filter": {
                "sessionType": "follow_up",
                "from": page.evaluate("new Date(Date.now() + 3 * 864e5).toISOString()"),
                "to": page.evaluate("new Date(Date.now() + 10 * 864e5).toISOString()"),
            }
        },
    )["availableSlots"]["slots"]
    for slot in reversed(found[-5:]):
        booked = graphql(
            page,
            BOOK,
            {
                "input": {
                    "therapistId": slot["therapist"]["id"],
                    "sessionType": "follow_up",
                    "startsAt": slot["startsAt"],
                    "telehealth": slot["telehealth"],
                    "locationId": None if slot["telehealth"] else slot["location"]["id"],
                }
            },
        )["bookAppointment"]
        if booked["__typename"] == "AppointmentPayload":
            return str(booked["appointment"]["id"])
    return None


def check_accessible(page: Page, label: str) -> None:
    """axe at desktop and 320 px, in light and dark: no violations, no sideways scrolling."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, size in (("desktop", DESKTOP), ("320px", NARROW)):
            page.set_viewport_size(size)  # type: ignore[arg-type]
            settled(page)
            assert_accessible(page, f"{label} {name} {scheme}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"{label} {name}: {width}px wide"
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]


def invite_with_keyboard(page: Page, invitee: str) -> None:
    """Maria, on her dashboard, invites a friend to see her appointments: keyboard only."""
    tab_to(page, "Family access")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Family access")).to_be_focused()
    settled(page)
    check_accessible(page, "/family")
    page.get_by_role("heading", level=1, name="Family access").focus()

    type_into(page, "Their email address", invitee)
    tab_to(page, "Who they are to you")
    page.keyboard.type("Friend")  # a closed select picks the option typed
    expect(page.get_by_label("Who they are to you")).to_have_value("FRIEND")
    tab_to(page, "See appointments")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="See appointments")).to_be_checked()
    tab_to(page, "Message the care team")
    page.keyboard.press("Space")
    tab_to(page, "Send invitation")
    page.keyboard.press("Enter")

    expect(
        page.get_by_role("status").filter(has_text=f"Invitation sent to {invitee}")
    ).to_be_visible()
    grant = page.get_by_test_id("grant").filter(has_text=invitee)
    expect(grant).to_contain_text("Invitation sent, not accepted yet")
    expect(grant).to_contain_text("See appointments, Message the care team")
    expect(grant).to_contain_text("Friend")
    screenshot(page, "family-invited")


def mailed_link(browser: Browser, server: Server, invitee: str) -> str:
    outbox_context = browser.new_context(base_url=server.url)
    outbox = outbox_context.new_page()
    outbox.goto("/dev/outbox")
    mail = outbox.locator("article", has_text=invitee).first
    link = mail.locator('a[href*="/caregiver/accept?token="]').first.get_attribute("href")
    outbox_context.close()
    assert link, "the invitation mail has no link"
    return link


def accept_with_new_account(page: Page, link: str, name: str, password: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Help Maria with their care")).to_be_focused()
    expect(page.get_by_text("invited you", exact=False)).to_contain_text("Maria Gonzalez")
    expect(page.get_by_role("list", name="What you could see and do")).to_contain_text(
        "See appointments"
    )
    check_accessible(page, "accept page")
    screenshot(page, "caregiver-accept-invitation")

    page.get_by_label("Your full name").fill(name)
    page.get_by_label("Choose a password").fill(password)
    date_of_birth = page.get_by_label("Maria's date of birth")
    # A wrong answer first: refused in words, with the attempts left.
    date_of_birth.fill("1986-03-15")
    page.get_by_role("button", name="Create account and accept").click()
    expect(page.locator("#accept-dateOfBirth-error")).to_contain_text(
        "That is not the date of birth on the record. You can try 2 more times."
    )
    expect(page.get_by_test_id("attempts-left")).to_have_text("2 attempts left.")
    expect(date_of_birth).to_be_focused()
    assert_accessible(page, "accept page, wrong date of birth")

    date_of_birth.fill(MARIA_BORN)
    page.get_by_role("button", name="Create account and accept").click()
    expect(
        page.get_by_role("heading", level=1, name="You can now help Maria Gonzalez")
    ).to_be_focused()


def register_child_and_act_for_them(page: Page) -> None:
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Family access").click()
    expect(page.get_by_role("heading", level=1, name="Family access")).to_be_focused()
    page.get_by_label("Child's first name").fill("Mia")
    page.get_by_label("Child's last name").fill("Rivera")
    page.get_by_label("Child's date of birth").fill("2018-05-01")
    page.get_by_role("button", name="Register child").click()
    expect(page.get_by_role("status").filter(has_text="Mia Rivera is registered")).to_be_visible()
    page.get_by_role("button", name="Act for Mia Rivera").click()
    expect(page.get_by_role("heading", level=1, name="Helping Mia Rivera")).to_be_focused()
    expect(nav.get_by_role("link")).to_have_text(
        [
            "Home",
            "Appointments",
            "Messages",
            "Treatment Plan",
            "Progress",
            "Profile",
            "Family access",
            "Account",
        ]
    )
    nav.get_by_role("link", name="Family access").click()
    expect(
        page.get_by_role("heading", level=1, name="Family access for Mia Rivera")
    ).to_be_focused()
    expect(page.get_by_test_id("grant").filter(has_text="Sam Rivera")).to_contain_text(
        "Everything, as a parent or guardian"
    )
    check_accessible(page, "/family acting for a child")
    screenshot(page, "guardian-family-access")


def test_invite_accept_act_for_and_revoke(
    context: BrowserContext, browser: Browser, server: Server
) -> None:
    invitee = f"carer.{uuid.uuid4().hex[:8]}@example.test"
    carer_name = "Sam Rivera"
    carer_password = "saffron kettle harbour 58"

    # (a) Maria invites, keyboard only.
    patient = context.new_page()
    sign_in_with_keyboard(patient, MARIA, DEMO_PASSWORD, "Your dashboard")
    appointment_id = book_for_maria(patient)
    assert appointment_id, "no slot could be booked for Maria"
    try:
        patient.get_by_role("heading", level=1, name="Your dashboard").focus()
        invite_with_keyboard(patient, invitee)

        # (b) The invitee, in a browser of their own, accepts from the mail with a new account.
        carer_context = browser.new_context(
            base_url=server.url,
            viewport=DESKTOP,  # type: ignore[arg-type]
            locale="en-US",
            timezone_id="America/New_York",
            reduced_motion="reduce",
        )
        carer_context.set_default_timeout(10_000)
        carer = carer_context.new_page()
        accept_with_new_account(
            carer, mailed_link(browser, server, invitee), carer_name, carer_password
        )
        carer.get_by_role("link", name="Sign in").click()
        expect(carer.get_by_role("heading", level=1, name="Sign in")).to_be_focused()
        carer.get_by_label("Email address").fill(invitee)
        carer.get_by_label("Password").fill(carer_password)
        carer.get_by_role("button", name="Sign in").click()
        expect(carer.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()
        expect(carer.get_by_text("Welcome back, Sam.")).to_be_visible()

        # Maria's grant now shows the caregiver by name.
        patient.reload()
        grant = patient.get_by_test_id("grant").filter(has_text=carer_name)
        expect(grant).to_contain_text("Has access")

        # The switcher: acting for Maria shows her banner and only what she shared.
        carer.get_by_label("Acting for").select_option(label="Maria Gonzalez")
        carer.get_by_role("button", name="Switch").click()
        expect(carer.get_by_role("heading", level=1, name="Helping Maria Gonzalez")).to_be_focused()
        expect(carer.get_by_test_id("acting-banner")).to_contain_text(
            "You are acting for Maria Gonzalez"
        )
        check_accessible(carer, "caregiver home acting for Maria")
        carer.set_viewport_size(NARROW)  # type: ignore[arg-type]
        screenshot(carer, "caregiver-acting-home-320px")
        carer.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
        nav = carer.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link")).to_have_text(
            ["Home", "Appointments", "Messages", "Account"]
        )
        expect(nav.get_by_role("link", name="Progress")).to_have_count(0)
        expect(nav.get_by_role("link", name="Treatment Plan")).to_have_count(0)
        nav.get_by_role("link", name="Appointments").click()
        expect(carer.get_by_role("heading", level=1, name="Appointments")).to_be_focused()
        expect(carer.locator(".appointment-list li").first).to_be_visible()
        expect(carer.get_by_role("link", name="Book an appointment")).to_have_count(0)
        settled(carer)
        assert_accessible(carer, "caregiver appointments")
        screenshot(carer, "caregiver-acting-appointments")
        # Progress was not shared: typing its address shows why nothing is there.
        carer.goto("/progress")
        expect(carer.get_by_role("heading", level=1, name="Not shared with you")).to_be_visible()
        expect(carer.get_by_test_id("acting-banner")).to_be_visible()
        carer.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
        expect(carer.get_by_role("heading", level=1, name="Helping Maria Gonzalez")).to_be_focused()

        # (c) Maria stops the access; the caregiver's next page says it ended.
        grant = patient.get_by_test_id("grant").filter(has_text=carer_name)
        grant.get_by_role("button", name=re.compile(r"^Stop access")).click()
        question = grant.locator(".confirm p").first
        expect(question).to_contain_text(f"Stop {carer_name}'s access now?")
        expect(question).to_be_focused()
        patient.get_by_role("button", name="Yes, stop access").click()
        ended = patient.get_by_test_id("grant").filter(has_text=carer_name)
        expect(ended).to_contain_text("Access ended (you stopped it)")
        check_accessible(patient, "/family after revoking")
        screenshot(patient, "family-revoked")

        carer.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Appointments"
        ).click()
        expect(carer.get_by_role("alert")).to_contain_text(
            "Your access to Maria Gonzalez's record has ended."
        )
        expect(carer.get_by_role("heading", level=1, name="Your dashboard")).to_be_visible()
        expect(carer.get_by_test_id("acting-banner")).to_have_count(0)
        expect(carer.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(
            ["Home", "Family access", "Account"]
        )
        screenshot(carer, "caregiver-access-ended")

        # A parent registers their child and manages them fully, family access included.
        register_child_and_act_for_them(carer)
        carer_context.close()
    finally:
        graphql(patient, CANCEL, {"id": appointment_id})
