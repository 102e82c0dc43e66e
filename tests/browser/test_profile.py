"""The Profile view in Chromium against a real server: Maria adds a medication and an
emergency contact with the keyboard alone (a phone number the API refuses first, its error
next to the field) and sees both after a reload; Grace Chen, guardian of Liam (13), acts for
him and sees his profile with the health history kept confidential. axe at 1280 and 320 CSS
px, light and dark, in reading and editing states.

Grace signs in with her password alone: tests/browser/test_security_flows.py turns two-step
sign-in on for her (with a secret only that test knows) on the same server, so this file must
run before it, as pytest's alphabetical order does. Maria's health history and emergency
contacts are put back as they were at the end, whatever happens.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    MARIA,
    NARROW,
    assert_accessible,
    screenshot,
    tab_to,
    type_into,
)

GRACE = "grace.chen@demo.relief.test"
SNAPSHOT = """
{
  myPatient {
    id
    healthHistory {
      chronicConditions { name since notes }
      previousInjuries { description occurredOn notes }
      surgeries { procedure performedOn notes }
      medications { name dose frequency notes }
      allergies { substance reaction severity }
    }
    emergencyContacts { name relationship phone email isPrimary }
  }
}
"""
RESTORE_HISTORY = """
mutation ($input: UpdateHealthHistoryInput!) {
  updateHealthHistory(input: $input) { __typename }
}
"""
RESTORE_CONTACTS = """
mutation ($input: UpdateEmergencyContactsInput!) {
  updateEmergencyContacts(input: $input) { __typename }
}
"""


def graphql(page: Page, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The API the SPA uses, with the page's session cookie."""
    response = page.request.post(
        "/graphql",
        data={"query": query, "variables": variables or {}},
        headers={"X-Relief-CSRF": "1"},
    )
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def settled(page: Page) -> None:
    expect(page.locator(".loading")).to_have_count(0)


def check_accessible(page: Page, label: str) -> None:
    """axe at desktop and 320 px, light and dark: no violations, no sideways scrolling."""
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


def restore(page: Page, before: dict[str, Any]) -> None:
    """Maria's health history and contacts as the test found them."""
    patient_id = before["id"]
    graphql(page, RESTORE_HISTORY, {"input": {"patientId": patient_id, **before["healthHistory"]}})
    contacts = [
        {**contact, "email": contact["email"] or ""} for contact in before["emergencyContacts"]
    ]
    graphql(page, RESTORE_CONTACTS, {"input": {"patientId": patient_id, "contacts": contacts}})


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def test_patient_adds_a_medication_and_an_emergency_contact_with_the_keyboard(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_focused()
    type_into(page, "Email address", MARIA)
    type_into(page, "Password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_focused()
    before = graphql(page, SNAPSHOT)["myPatient"]
    try:
        # To the Profile entry of the navigation, backwards from the page's heading.
        tab_to(page, "Profile", backwards=True)
        page.keyboard.press("Enter")
        heading = page.get_by_role("heading", level=1, name="Your profile")
        expect(heading).to_be_focused()
        assert page.title() == "Your profile · Relief"
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Profile")).to_have_attribute("aria-current", "page")
        settled(page)
        for section in (
            "Personal details and contact",
            "Health history",
            "Current condition",
            "Goals",
            "Emergency contacts",
            "Insurance",
            "Scheduling preferences",
            "Communication preferences",
        ):
            expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
        history = page.get_by_test_id("section-history")
        expect(history.get_by_role("heading", level=3, name="Medications")).to_be_visible()
        expect(history).to_contain_text("Albuterol inhaler")
        expect(page.get_by_test_id("section-insurance")).to_contain_text("Blue Harbor Health")
        expect(page.get_by_test_id("section-withheld")).to_have_count(0)
        check_accessible(page, "/profile")
        screenshot(page, "profile")

        # (a) A medication, keyboard only: the new row's first field takes focus.
        tab_to(page, "Edit health history")
        page.keyboard.press("Enter")
        expect(history.get_by_role("form", name="Change health history")).to_be_visible()
        expect(page.locator("#history-chronicConditions-0-name")).to_be_focused()
        tab_to(page, "Add a medication")
        page.keyboard.press("Enter")
        expect(page.locator("#history-medications-2-name")).to_be_focused()
        page.keyboard.type("Vitamin D")
        type_into(page, "Dose", "1000 IU")
        type_into(page, "How often", "Once a day")
        check_accessible(page, "/profile editing the health history")
        page.locator("#history-medications-2-name").focus()
        tab_to(page, "Save health history")
        page.keyboard.press("Enter")
        expect(history.get_by_test_id("section-saved")).to_have_text(
            "Health history: your changes are saved."
        )
        expect(history.get_by_role("button", name="Edit health history")).to_be_focused()
        expect(history).to_contain_text("Vitamin D")
        expect(history).to_contain_text("1000 IU, Once a day")

        # (b) An emergency contact: the API refuses the phone number first, in words, at the field.
        contacts = page.get_by_test_id("section-contacts")
        tab_to(page, "Edit emergency contacts")
        page.keyboard.press("Enter")
        tab_to(page, "Add a contact")
        page.keyboard.press("Enter")
        expect(page.locator("#contacts-emergencyContacts-1-name")).to_be_focused()
        page.keyboard.type("Ana Gonzalez")
        type_into(page, "Relationship", "Sister")
        type_into(page, "Phone", "12")
        tab_to(page, "Save emergency contacts")
        page.keyboard.press("Enter")
        phone = page.locator("#contacts-emergencyContacts-1-phone")
        expect(phone).to_be_focused()
        expect(phone).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#contacts-emergencyContacts-1-phone-error")).to_have_text(
            "Please enter the phone number with its country code, for example +1 555 010 0199."
        )
        expect(contacts.get_by_role("alert")).to_contain_text(
            "Nothing was saved: please correct the field marked below."
        )
        check_accessible(page, "/profile with a contact's typed error")
        screenshot(page, "profile-contact-error")
        phone.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("+1 617 555 0142")
        page.keyboard.press("Enter")
        expect(contacts.get_by_test_id("section-saved")).to_have_text(
            "Emergency contacts: your changes are saved."
        )
        expect(contacts.get_by_role("button", name="Edit emergency contacts")).to_be_focused()

        # Both are kept: a reload reads them from the server.
        page.reload()
        expect(page.get_by_role("heading", level=1, name="Your profile")).to_be_focused()
        settled(page)
        expect(page.get_by_test_id("section-history")).to_contain_text("Vitamin D")
        saved = page.get_by_test_id("section-contacts")
        expect(saved).to_contain_text("Ana Gonzalez")
        expect(saved).to_contain_text("Sister")
        expect(saved).to_contain_text("+16175550142")
        expect(saved).to_contain_text("Carlos Gonzalez")
        expect(page.get_by_role("region", name="Recent changes")).to_contain_text(
            "Emergency contacts, changed by Maria Gonzalez (the patient)"
        )
        page.set_viewport_size(NARROW)  # type: ignore[arg-type]
        screenshot(page, "profile-320px")
        page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    finally:
        restore(page, before)
    assert graphql(page, SNAPSHOT)["myPatient"] == before


def test_guardian_sees_a_teenagers_profile_with_the_health_history_kept_confidential(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(GRACE)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_step = page.get_by_role("heading", level=1, name="Enter your sign-in code")
    dashboard = page.get_by_role("heading", level=1, name="Your dashboard")
    expect(second_step.or_(dashboard)).to_be_visible()
    if second_step.is_visible():
        pytest.fail(
            "Grace Chen has two-step sign-in on: tests/browser/test_security_flows.py ran "
            "before this file on the same server (run this file first)."
        )
    expect(dashboard).to_be_focused()

    # The Acting-for switcher in the header.
    page.get_by_label("Acting for").select_option(label="Liam Chen")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", level=1, name="Helping Liam Chen")).to_be_focused()
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", level=1, name="Liam Chen's profile")).to_be_focused()
    expect(page.get_by_test_id("acting-banner")).to_contain_text("You are acting for Liam Chen")
    settled(page)

    confidential = "Kept confidential between Liam Chen and their care team."
    for section in ("history", "condition"):
        part = page.get_by_test_id(f"section-{section}")
        expect(part.get_by_test_id("section-withheld")).to_have_text(confidential)
        expect(part.get_by_role("button")).to_have_count(0)
    expect(page.get_by_test_id("section-history").get_by_role("heading", level=3)).to_have_count(0)
    # The rest is his guardian's to see and (with every scope) to change.
    personal = page.get_by_test_id("section-personal")
    expect(personal.get_by_test_id("section-withheld")).to_have_count(0)
    expect(personal).to_contain_text("Liam")
    expect(personal).to_contain_text("America/Chicago")
    expect(personal.get_by_role("button", name="Edit personal details and contact")).to_be_visible()
    expect(page.get_by_test_id("section-withheld")).to_have_count(2)
    # The history of changes is the patient's and the care team's: not asked for.
    expect(page.get_by_role("region", name="Recent changes")).to_have_count(0)
    check_accessible(page, "/profile acting for an adolescent")
    screenshot(page, "profile-guardian-confidential")
    page.set_viewport_size(NARROW)  # type: ignore[arg-type]
    screenshot(page, "profile-guardian-confidential-320px")
