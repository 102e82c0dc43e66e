"""The plan editor: a demo therapist writes a draft for a demo patient, activates it, and the
patient reads it on their Treatment Plan page.

Johan Lindqvist writes for Liam Chen (his primary patient, who has no plan in the demo): the
other browser tests share this server and read Maria's demo plan, which activating a new plan
of hers would complete.
"""

from __future__ import annotations

import re
from typing import Literal

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    NARROW,
    Server,
    assert_accessible,
    screenshot,
)

THERAPIST = "j.lindqvist@demo.relief.test"
PATIENT = "liam.chen@demo.relief.test"
TITLE = "Hip strength for steady walking"


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_visible()


def loaded(page: Page) -> None:
    # Data-driven parts have arrived once no loading status is left.
    expect(page.locator(".loading")).to_have_count(0)


def check_views(page: Page, label: str) -> None:
    """axe finds nothing at desktop, 320 px and in the dark; nothing scrolls sideways at 320 px."""
    views: list[tuple[dict[str, int], Literal["light", "dark"]]] = [
        (DESKTOP, "light"),
        (NARROW, "light"),
        (DESKTOP, "dark"),
    ]
    for viewport, scheme in views:
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"{label} {viewport['width']}px {scheme}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label} scrolls sideways by {overflow}px at {viewport['width']}px"
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    page.emulate_media(color_scheme="light")


def test_therapist_writes_and_activates_a_plan_the_patient_then_reads(
    browser: Browser, context: BrowserContext, server: Server
) -> None:
    page = context.new_page()
    sign_in(page, THERAPIST)
    loaded(page)
    caseload = page.get_by_role("table")
    caseload.get_by_role("row").filter(has_text="Liam").get_by_role(
        "link", name=re.compile("Liam")
    ).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Liam"))).to_be_focused()
    loaded(page)

    # The record leads to the editor; the editor's heading takes the focus.
    page.get_by_role("link", name="Open the plan editor").click()
    expect(
        page.get_by_role("heading", level=1, name="Treatment plan for Liam Chen")
    ).to_be_focused()
    assert re.fullmatch(r".*/patients/[^/]+/plan", page.url)
    loaded(page)
    expect(page.get_by_role("heading", level=2, name="Write a new plan")).to_be_visible()
    check_views(page, "new plan form")

    # A missing title is named next to its field, and the field takes the focus.
    page.get_by_label("Condition").fill("Hip weakness after a fall")
    page.get_by_role("button", name="Create draft").click()
    title = page.get_by_label("Title")
    expect(title).to_be_focused()
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description(re.compile("Please enter a title"))

    title.fill(TITLE)
    page.get_by_label("Goals (optional)").fill("Walk to the shops without a stick.")
    expect(page.get_by_label("Start date")).not_to_have_value("")
    page.get_by_role("button", name="Create draft").click()
    status_heading = page.get_by_role("heading", level=2, name=re.compile(TITLE))
    expect(status_heading).to_be_focused()
    expect(status_heading).to_contain_text("Draft")
    expect(page.get_by_role("status").filter(has_text="created")).to_be_visible()

    # Activating an empty draft is refused in words, before any dialog.
    page.get_by_role("button", name="Activate plan").click()
    expect(
        page.get_by_text("Add at least one exercise before activating the plan.")
    ).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # A phase: the form suggests weeks 1 to 4; a last week before the first is named.
    add_phase = page.get_by_role("form", name="New phase")
    expect(add_phase.get_by_label("First week")).to_have_value("1")
    expect(add_phase.get_by_label("Last week")).to_have_value("4")
    add_phase.get_by_label("Phase name").fill("Hip strength")
    add_phase.get_by_label("Last week").fill("0")
    add_phase.get_by_role("button", name="Add phase").click()
    last_week = add_phase.get_by_label("Last week")
    expect(last_week).to_be_focused()
    expect(last_week).to_have_accessible_description(re.compile("from 1 to 104"))
    last_week.fill("4")
    add_phase.get_by_label("Focus (optional)").fill("Strength around the hip, a little every day.")
    # Keyboard only from here: Enter in a field submits its form.
    add_phase.get_by_label("Phase name").press("Enter")
    phase_heading = page.get_by_role("heading", level=3, name="Hip strength")
    expect(phase_heading).to_be_focused()
    loaded(page)

    # Renamed in place: the form opens under its button and focus returns to the phase.
    page.get_by_role("button", name="Rename or change weeks of Hip strength").click()
    rename = page.get_by_role("form", name="Change the phase Hip strength")
    rename.get_by_label("Phase name").fill("Hip strength, first month")
    rename.get_by_role("button", name="Save phase").click()
    phase_heading = page.get_by_role("heading", level=3, name="Hip strength, first month")
    expect(phase_heading).to_be_focused()
    loaded(page)

    # An exercise from the library, at its harder version, with its own sets and a note.
    page.get_by_role("button", name="Add an exercise to Hip strength, first month").click()
    page.get_by_label("Search the exercise library").fill("clamshell")
    page.get_by_role("button", name="Search", exact=True).click()
    loaded(page)
    results = page.get_by_role("list", name="Exercises found")
    expect(results.get_by_role("listitem")).to_have_count(2)
    check_views(page, "exercise search")
    page.get_by_role("button", name="Choose Clamshell", exact=True).click()
    version = page.get_by_label("Version")
    expect(version).to_be_focused()
    version.select_option(label="Harder: Clamshell with band")
    page.get_by_label("Sets").fill("3")
    page.get_by_label("Notes for the patient (optional)").fill("Slow and controlled, both sides.")
    page.get_by_role("button", name="Add to phase").click()
    exercise = page.get_by_role("heading", level=4, name="Clamshell with band")
    expect(exercise).to_be_focused()
    loaded(page)
    item = page.locator(".rx-item").filter(has=exercise)
    expect(item).to_contain_text("Harder version of Clamshell")
    expect(item).to_contain_text("3 sets of 10, hold 2 s, once a day, 4 days a week")
    # The refusal to activate an empty draft is gone now that it has an exercise.
    expect(page.get_by_text("Add at least one exercise before activating")).to_have_count(0)

    check_views(page, "plan editor")
    screenshot(page, "plan-editor")
    page.set_viewport_size(NARROW)  # type: ignore[arg-type]
    screenshot(page, "plan-editor-320px")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]

    # Activation asks first: Cancel is focused, Escape closes and focus goes back.
    activate = page.get_by_role("button", name="Activate plan")
    activate.click()
    dialog = page.get_by_role("dialog", name="Activate this plan?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    assert_accessible(page, "activation dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(activate).to_be_focused()
    activate.click()
    dialog.get_by_role("button", name="Activate plan").click()
    expect(dialog).to_be_hidden()
    expect(status_heading).to_contain_text("Active")
    expect(page.get_by_role("status").filter(has_text="now sees it")).to_be_visible()
    expect(page.get_by_role("button", name="Complete plan")).to_be_visible()

    # The active plan still changes; the patient is told. Reps of the exercise go up.
    page.get_by_role("button", name="Change Clamshell with band").click()
    change = page.get_by_role("form", name="Change Clamshell with band")
    change.get_by_label("Reps").fill("12")
    change.get_by_role("button", name="Save exercise").click()
    expect(exercise).to_be_focused()
    loaded(page)
    expect(item).to_contain_text("3 sets of 12, hold 2 s")

    # The patient, in a browser of their own, reads the new plan with the chosen version.
    patient_context = browser.new_context(
        base_url=server.url,
        viewport=DESKTOP,  # type: ignore[arg-type]
        locale="en-US",
        timezone_id="America/New_York",
    )
    try:
        patient = patient_context.new_page()
        sign_in(patient, PATIENT)
        patient.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Treatment Plan"
        ).click()
        expect(patient.get_by_role("heading", level=1, name="Treatment Plan")).to_be_focused()
        loaded(patient)
        expect(patient.get_by_role("heading", level=2, name=TITLE)).to_be_visible()
        card = patient.get_by_role("article", name="Clamshell with band")
        expect(card).to_be_visible()
        expect(card).to_contain_text("Harder version")
        expect(card).to_contain_text("3 sets of 12")
        expect(card).to_contain_text("Slow and controlled, both sides.")
        screenshot(patient, "plan-editor-patient-view")
    finally:
        patient_context.close()

    # Completing the active plan asks too; then the editor offers a new draft.
    page.get_by_role("button", name="Complete plan").click()
    dialog = page.get_by_role("dialog", name="Complete this plan?")
    expect(dialog).to_contain_text("can no longer be changed")
    dialog.get_by_role("button", name="Complete plan").click()
    expect(page.get_by_role("heading", level=2, name="Write a new plan")).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="is completed")).to_be_visible()
