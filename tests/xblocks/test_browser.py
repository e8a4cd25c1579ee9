"""Headless Chromium drives the assessment block in the SDK workbench on a live server.

An author saves a rubric in the Studio editor; a learner writes, uploads a file and submits;
a mentor grades in the review queue; the learner sees the levels and the feedback. The ethics
flow: a learner answers the scenarios, writes the reflection and sees the mentor's feedback.
Screenshots: see ``tests/browser_support.py``.
"""

import pytest

from tests.browser_support import chromium_page, save_screenshot
from xblocks.assessment.demo import PROJECT_VALUES

from .conftest import ANSWER, EMPTY_SCENARIO, ETHICS_SCENARIO, PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFLECTION = " ".join(
    ["Applicants with career breaks lose interviews, so we add human review and track rates."] * 25
)


@pytest.fixture
def browser(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


def screenshot(page, name, *, publish=False, element=None):
    """The whole page, or only ``element`` (a selector) — docs images leave out the workbench."""
    if element:
        page.add_style_tag(content=".wrapper-workbench .banner { display: none; }")
    save_screenshot(page, name, for_docs=publish, element=element)


def open_scenario(page, live_server, scenario, user, view=""):
    view_part = f"{view}/" if view else ""
    page.goto(f"{live_server.url}/workbench/scenario/{scenario}/{view_part}?student={user}")


def fill_criterion(box, criterion):
    """Type one criterion into the structured rubric editor, as an author would."""
    box.locator(".cpa-criterion-name").fill(criterion["name"])
    box.locator(".cpa-criterion-description").fill(criterion["description"])
    competency = criterion["competency"]
    box.locator(".cpa-competency-name").fill(competency["name"])
    box.locator(".cpa-competency-framework").fill(competency["framework"])
    box.locator(".cpa-competency-code").fill(competency["code"])
    box.locator(".cpa-competency-url").fill(competency["url"])
    for _ in range(len(criterion["levels"]) - 2):
        box.get_by_role("button", name="Add level").click()
    rows = box.locator(".cpa-level-editor")
    for index, level in enumerate(criterion["levels"]):
        row = rows.nth(index)
        row.locator(".cpa-level-name").fill(level["name"])
        row.locator(".cpa-level-points").fill(str(level["points"]))
        if level["id"] == criterion["required_level"]:
            row.get_by_label("Required to meet this criterion").check()


def author_project(page, live_server):
    open_scenario(page, live_server, EMPTY_SCENARIO, "staff_author", "studio_view")
    page.get_by_label("Display name").fill(PROJECT_VALUES["display_name"])
    page.get_by_label("Project part: applied work judged against a rubric").check()
    page.get_by_label("Learners assess themselves").uncheck()
    page.get_by_label("Project prompt (HTML").fill(PROJECT_VALUES["prompt"])
    page.get_by_label("Minimum words").first.fill("20")
    page.get_by_label("Allowed file types").fill("pdf, png, ipynb")
    editor = page.locator('.cpa-rubric-editor[data-field="rubric"]')
    for criterion in PROJECT_VALUES["rubric"]["criteria"]:
        editor.get_by_role("button", name="Add criterion").click()
        fill_criterion(editor.locator(".cpa-criterion-editor").last, criterion)
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('.cpa-studio input, .cpa-studio textarea,"
        " .cpa-studio select')].filter(el => !el.labels.length).length"
    )
    assert unlabelled == 0
    page.get_by_label("Badge slug").fill("applied-ml-practitioner")
    page.get_by_label("Badge name").fill("Applied ML Practitioner")
    page.get_by_label("Hours").fill("12")
    page.get_by_role("button", name="Save").click()
    page.locator(".cpa-studio .cpa-live").get_by_text("Saved.").wait_for()


def test_author_learner_and_mentor_in_the_browser(live_server, workbench, browser, tmp_path):
    page = browser
    open_scenario(page, live_server, EMPTY_SCENARIO, "staff_author", "studio_view")
    page.get_by_label("Display name").fill("x")
    page.get_by_label("Project part: applied work judged against a rubric").check()
    page.get_by_label("Project prompt (HTML").fill("<p>Prompt</p>")
    page.get_by_role("button", name="Save").click()
    error = page.locator(".cpa-studio-errors")
    error.get_by_text("Badge slug is required.").wait_for()
    screenshot(page, "assessment-studio-validation")

    author_project(page, live_server)
    screenshot(page, "assessment-studio-editor")
    screenshot(
        page,
        "assessment-studio-rubric-criterion",
        publish=True,
        element='.cpa-rubric-editor[data-field="rubric"] .cpa-criterion-editor',
    )

    open_scenario(page, live_server, EMPTY_SCENARIO, "learner_1")
    page.locator(".cpa-prompt").get_by_text("Train a classifier").wait_for()
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_label("Link 1").fill("https://git.example.org/learner/tickets")
    upload = tmp_path / "report.pdf"
    upload.write_bytes(PDF)
    page.get_by_label("Attach a file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()
    page.locator(".cpa-file-list").get_by_role("link", name="report.pdf").wait_for()
    page.get_by_role("button", name="Submit for review").click()
    page.locator(".cpa-status-label").get_by_text("Submitted").wait_for()
    live = page.locator(".cpa > .cpa-live")
    assert live.inner_text() == "Submitted. A mentor will review your work."
    assert page.evaluate("document.activeElement.classList.contains('cpa-status')")
    screenshot(page, "assessment-learner-submitted", publish=True, element=".cpa")

    open_scenario(page, live_server, EMPTY_SCENARIO, "staff_mentor")
    page.get_by_role("button", name="Open submission 1").click()
    review = page.locator(".cpa-review-form")
    review.get_by_role("link", name="report.pdf").wait_for()
    review.locator(".cpa-judge", has_text="Data preparation").get_by_label("Proficient").check()
    review.locator(".cpa-judge", has_text="Model evaluation").get_by_label("Advanced").check()
    review.get_by_label("Feedback to the learner").fill("Clear split and honest metrics.")
    screenshot(page, "assessment-mentor-review", publish=True, element=".cpa-staff")
    review.get_by_role("button", name="Grade").click()
    page.locator(".cpa-review").get_by_text("Graded: passed.").wait_for()

    open_scenario(page, live_server, EMPTY_SCENARIO, "learner_1")
    result = page.locator(".cpa-result")
    result.get_by_text("Clear split and honest metrics.").wait_for()
    assert "Passed." in result.inner_text()
    levels = page.locator(".cpa-project .cpa-achieved")
    assert levels.nth(0).inner_text().startswith("Proficient")
    assert levels.nth(1).inner_text().startswith("Advanced")
    screenshot(page, "assessment-learner-graded", publish=True, element=".cpa")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workbench/view/{EMPTY_SCENARIO}/?student=learner_1")
    page.locator(".cpa-result").wait_for()
    screenshot(page, "assessment-learner-phone", publish=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_author_starts_from_the_hiring_bias_template(live_server, workbench, browser):
    from tests.workbench_driver import WorkbenchDriver  # noqa: PLC0415

    page = browser
    open_scenario(page, live_server, EMPTY_SCENARIO, "staff_author", "studio_view")
    page.get_by_role("button", name="Start from the template").click()
    scenarios = page.locator(".cpa-scenarios-editor .cpa-scenario-editor")
    scenarios.nth(2).wait_for()
    assert scenarios.count() == 3
    first = scenarios.nth(0)
    assert first.locator(".cpa-option-editor").count() == 3
    assert first.locator(".cpa-option-correct").nth(0).is_checked()
    first.get_by_role("button", name="Add option").click()
    new_option = first.locator(".cpa-option-editor").nth(3)
    assert page.evaluate("document.activeElement.classList.contains('cpa-option-text')")
    new_option.locator(".cpa-option-text").fill("Ask the vendor for a fairness certificate.")
    new_option.locator(".cpa-edit-option-feedback").fill(
        "A certificate is not evidence of outcomes."
    )
    page.get_by_role("button", name="Save").click()
    page.locator(".cpa-studio .cpa-live").get_by_text("Saved.").wait_for()
    screenshot(page, "ethics-studio-scenario", publish=True, element=".cpa-scenario-editor")

    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(EMPTY_SCENARIO))
    block = driver.block("staff_author")
    assert block.ethics_enabled and len(block.scenarios) == 3
    assert block.scenarios[0]["options"][3]["text"] == "Ask the vendor for a fairness certificate."
    assert len(block.reflection_rubric["criteria"]) == 3
    assert block.ethics_alignment["code"] == "ETHICS-AI"


def test_ethics_case_in_the_browser(live_server, workbench, browser):
    page = browser
    open_scenario(page, live_server, ETHICS_SCENARIO, "learner_1")
    page.locator(".cpa-case").get_by_text("TalentSift").wait_for()
    assert "Proxy discrimination" not in page.locator(".cpa").inner_html()

    first = page.locator('[data-scenario-id="proxy-features"]')
    first.get_by_label("It cannot; the gap must be random noise.").check()
    first.get_by_role("button", name="Check answer").click()
    page.locator(".cpa > .cpa-live").get_by_text("Not quite.").wait_for()
    first = page.locator('[data-scenario-id="proxy-features"]')
    assert "not noise" in first.inner_text()
    first.get_by_label("Other inputs").check()
    first.get_by_role("button", name="Check answer").click()
    page.locator('[data-scenario-id="proxy-features"] .cpa-explanation').wait_for()

    second = page.locator('[data-scenario-id="adverse-impact"]')
    second.get_by_label("The selection-rate ratio").check()
    second.get_by_label("The model filters thousands").check()
    second.get_by_role("button", name="Check answer").click()
    page.locator('[data-scenario-id="adverse-impact"] .cpa-explanation').wait_for()
    # Keyboard only: Space picks the option, Tab leaves the radio group for the button.
    page.locator('[data-scenario-id="mitigation"]').get_by_label("Route every applicant").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Check answer"
    page.keyboard.press("Enter")
    page.locator('[data-scenario-id="mitigation"] .cpa-explanation').wait_for()
    focused = "document.activeElement.dataset.scenarioId"
    assert page.evaluate(focused) == "mitigation"
    screenshot(page, "ethics-scenarios-answered", publish=True, element=".cpa-ethics")

    page.get_by_label("Your ethical-impact assessment").fill(REFLECTION)
    page.get_by_role("button", name="Submit for review").click()
    page.locator(".cpa-status-label").get_by_text("Submitted").wait_for()

    open_scenario(page, live_server, ETHICS_SCENARIO, "staff_mentor")
    page.get_by_role("button", name="Open submission 1").click()
    review = page.locator(".cpa-review-form")
    review.get_by_text("scored automatically").wait_for()
    for criterion, level in (
        ("stakeholders-harms", "Solid"),
        ("fairness-analysis", "Exemplary"),
        ("mitigation-monitoring", "Solid"),
    ):
        review.locator(f'[data-criterion-id="{criterion}"]').get_by_label(level).check()
    review.get_by_label("Feedback to the learner").fill("Name who owns the weekly monitoring.")
    review.get_by_role("button", name="Grade").click()
    page.locator(".cpa-review").get_by_text("Graded: passed.").wait_for()

    open_scenario(page, live_server, ETHICS_SCENARIO, "learner_1")
    page.locator(".cpa-result").get_by_text("Name who owns the weekly monitoring.").wait_for()
    achieved = page.locator(".cpa-ethics .cpa-achieved")
    assert achieved.nth(1).inner_text().startswith("Exemplary")
    screenshot(page, "ethics-learner-feedback", publish=True, element=".cpa")
