"""The Treatment Plan view: the demo patient reads her plan and logs today's exercise."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_PASSWORD,
    DESKTOP,
    MARIA,
    NARROW,
    OKAFOR,
    Server,
    assert_accessible,
    screenshot,
)


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Your dashboard")).to_be_visible()


def open_plan(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Treatment Plan").click()
    expect(page.get_by_role("heading", level=1, name="Treatment Plan")).to_be_focused()
    expect(page.locator(".loading")).to_have_count(0)


def done_count(page: Page) -> int:
    text = page.get_by_role("region", name=re.compile(r"^This week")).inner_text()
    found = re.search(r"(\d+) done, ", text)
    assert found, text
    return int(found.group(1))


def test_patient_reads_her_plan_and_logs_todays_exercise_as_done(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, MARIA)
    open_plan(page)

    # Where she is: week 3 of the plan, in the "Build strength" phase, with its exercises.
    expect(page.get_by_text("You are in week 3 of")).to_be_visible()
    current = page.locator(".phase[data-state='current']")
    expect(current.get_by_role("heading", level=2)).to_contain_text("Now")
    expect(current.get_by_role("heading", level=3, name="Glute bridge")).to_be_visible()
    # The chosen modification in words, with the base exercise named.
    sit_to_stand = current.get_by_role("article", name="Sit-to-stand from a raised seat")
    expect(sit_to_stand).to_contain_text(
        'Easier version Your therapist chose "Sit-to-stand from a raised seat", a gentler form'
    )
    expect(current.get_by_role("article", name="Straight leg raise")).to_contain_text(
        "Harder version Your therapist chose"
    )
    expect(page.get_by_role("heading", name="Changes to your plan")).to_be_visible()
    expect(page.get_by_text("Version 1: Plan created")).to_be_visible()

    for viewport in (DESKTOP, NARROW):
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        assert_accessible(page, f"plan {viewport['width']}px")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"/plan scrolls sideways by {overflow}px at {viewport['width']}px"
        screenshot(page, f"plan-{viewport['width']}px")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]

    before = done_count(page)
    form = page.get_by_role("form", name="Log today's session of Glute bridge")
    form.get_by_label("Done", exact=True).check()
    form.get_by_label("Add how much pain I felt").check()
    slider = form.get_by_role("slider", name="Pain during the session")
    slider.focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    expect(slider).to_have_attribute("aria-valuetext", "9: very severe pain")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", "2: mild pain")
    form.get_by_label("Note for your therapist (optional)").fill("Felt steady today.")
    form.get_by_role("button", name="Save today's session of Glute bridge").click()

    expect(form.get_by_role("status")).to_have_text("Saved: Glute bridge, done today.")
    card = page.get_by_role("article", name="Glute bridge")
    expect(card.get_by_text(re.compile(r"^Logged today: .*Done\.$"))).to_be_visible()
    expect(page.get_by_role("region", name=re.compile(r"^This week"))).to_contain_text(
        f"{before + 1} done, "
    )
    assert_accessible(page, "plan after logging")
    screenshot(page, "plan-logged")


def test_plan_changes_arrive_live_with_a_polite_announcement(
    browser: Browser, context: BrowserContext, server: Server
) -> None:
    patient = context.new_page()
    sign_in(patient, MARIA)
    open_plan(patient)
    plan_id = patient.evaluate(
        """async () => {
            const r = await fetch('/graphql', {method: 'POST', credentials: 'same-origin',
              headers: {'Content-Type': 'application/json', 'X-Relief-CSRF': '1'},
              body: JSON.stringify({query: '{ myPatient { activePlan { id } } }'})});
            return (await r.json()).data.myPatient.activePlan.id;
        }"""
    )
    assert plan_id
    # The therapist works in a browser context of their own (their own session cookie).
    therapist_context = browser.new_context(base_url=server.url)
    try:
        therapist = therapist_context.new_page()
        sign_in(therapist, OKAFOR)
        result = therapist.evaluate(
            """async (planId) => {
                const r = await fetch('/graphql', {method: 'POST', credentials: 'same-origin',
                  headers: {'Content-Type': 'application/json', 'X-Relief-CSRF': '1'},
                  body: JSON.stringify({
                    query: 'mutation($input: UpdateTreatmentPlanInput!) { updateTreatmentPlan(input: $input) { __typename } }',
                    variables: {input: {planId, expectedOutcome: 'Walking and stairs without pain by week 5.'}}})});
                return (await r.json()).data.updateTreatmentPlan.__typename;
            }""",
            plan_id,
        )
        assert result == "TreatmentPlanPayload", result
    finally:
        therapist_context.close()

    status = patient.get_by_role("status").filter(has_text="Your therapist updated your plan")
    expect(status).to_be_visible()
    expect(status).to_have_attribute("aria-live", "polite")
    expect(
        patient.get_by_text("Walking and stairs without pain by week 5.", exact=True)
    ).to_be_visible()
    expect(patient.get_by_text(re.compile(r"^Version 2: "))).to_be_visible()
