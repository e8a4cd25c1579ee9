"""Headless Chromium drives the assessment block in the SDK workbench, keyboard only.

One browser for the module; each test walks one role's day at 1280 px and checks the same
page again at 390 px: the learner (the lost-work regression, every problem listed and focused,
the pass banner with its badge link, "not passed" with a next step, a revision resubmitted
beside its feedback), the mentor (queue first, grade, next), the author (sections, every error
linked to its field) and the ethics case. Every page is audited with axe-core: no serious or
critical violation. Screenshots: see ``tests/browser_support.py``.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from credplugin import api
from tests.browser_support import (
    axe_violations,
    chromium_page,
    save_screenshot,
)
from tests.workbench_driver import WorkbenchDriver
from xblocks.assessment.demo import PROJECT_VALUES

from .conftest import ANSWER, EMPTY_SCENARIO, ETHICS_SCENARIO, PDF, PROJECT_SCENARIO, submit_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LEVELS = {"data-preparation": "proficient", "evaluation": "advanced"}
REFLECTION = " ".join(
    ["Applicants with career breaks lose interviews, so we add human review and track rates."] * 25
)


@pytest.fixture(scope="module")
def browser_page():
    with pytest.MonkeyPatch.context() as patch, chromium_page(patch) as page:
        yield page


@pytest.fixture
def browser(browser_page):
    """The module's page at 1280 px; a script error on any page fails the test."""
    errors = []

    def record(error):
        errors.append(str(error))

    browser_page.on("pageerror", record)
    browser_page.set_viewport_size(DESKTOP)
    yield browser_page
    browser_page.remove_listener("pageerror", record)
    browser_page.goto("about:blank")
    assert errors == []


def screenshot(page, name, *, publish=False, element=None):
    """The whole page, or only ``element`` (a selector) — docs images leave out the workbench."""
    if element:
        page.add_style_tag(content=".wrapper-workbench .banner { display: none; }")
    save_screenshot(page, name, for_docs=publish, element=element)


def open_scenario(page, live_server, scenario, user, view=""):
    """The block alone, as the LMS shows it (no workbench chrome around it)."""
    view_part = f"{view}/" if view else ""
    page.goto(f"{live_server.url}/workbench/view/{scenario}/{view_part}?student={user}")
    page.locator(".cpa, .cpa-studio").first.wait_for()


def focused(page, locator):
    return page.evaluate("el => document.activeElement === el", locator.element_handle())


def tab_to(page, locator, limit=400):
    """Press Tab (or Shift+Tab) until ``locator`` has focus: proof it is reachable by keyboard.

    A radio button is reached as browsers do it: Tab into its group, then the arrow keys.
    """
    target = locator.element_handle()
    backwards = page.evaluate(
        "el => !!(el.compareDocumentPosition(document.activeElement)"
        " & Node.DOCUMENT_POSITION_FOLLOWING)",
        target,
    )
    key = "Shift+Tab" if backwards else "Tab"
    in_group = (
        "el => document.activeElement === el || (el.type === 'radio'"
        " && document.activeElement.name === el.name)"
    )
    for _ in range(limit):
        if page.evaluate(in_group, target):
            break
        page.keyboard.press(key)
    else:
        raise AssertionError(f"{locator} cannot be reached with {key}")
    for _ in range(10):
        if page.evaluate("el => document.activeElement === el", target):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{locator} cannot be reached with the arrow keys")


def type_into(page, locator, text):
    """Tab to a field, clear it and type ``text`` (long text arrives as one insertion)."""
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if len(text) > 40:
        page.keyboard.insert_text(text)
    else:
        page.keyboard.type(text)


def press(page, locator, key="Enter"):
    tab_to(page, locator)
    page.keyboard.press(key)


def choose_option(page, select, label):
    """Pick ``label`` in a <select> with the arrow keys."""
    tab_to(page, select)
    for _ in range(10):
        if select.evaluate("el => el.options[el.selectedIndex].text") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label} is not an option")


def assert_accessible(page, context):
    assert axe_violations(page, context) == []


def open_on_a_phone(page, live_server, scenario, user, view=""):
    """The block at 390 px: nothing may scroll sideways."""
    page.set_viewport_size(PHONE)
    open_scenario(page, live_server, scenario, user, view)
    assert_fits(page)


def assert_fits(page):
    """Nothing scrolls sideways at the page's width."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_learner_keeps_typed_work_when_a_link_has_no_scheme(
    live_server, project, browser, tmp_path, viewport
):
    """The lost-work regression: an answer and links typed, a link without https://, then Upload
    and reload. Nothing typed disappears; the bad link is named beside its field, and a refused
    submission lists every problem, focused, each linked to its field."""
    page = browser
    page.set_viewport_size(viewport)
    open_scenario(page, live_server, PROJECT_SCENARIO, "learner_1")
    assert_fits(page)
    work = page.locator(".cpa-work")
    answer = work.get_by_label("Your answer")
    type_into(page, answer, ANSWER)
    type_into(page, work.get_by_label("Link 1"), "github.com/me/x")
    type_into(page, work.get_by_label("Link 2"), "my notebook")
    saved = work.locator(".cpa-save-state")
    saved.get_by_text("Draft saved.").wait_for()
    problem = work.locator(".cpa-field-error")
    problem.get_by_text("“my notebook” is not a web address").wait_for()
    link_2 = work.get_by_label("Link 2")
    assert link_2.get_attribute("aria-invalid") == "true"
    assert problem.get_attribute("id") in link_2.get_attribute("aria-describedby")

    upload = tmp_path / "report.pdf"
    upload.write_bytes(PDF)
    work.get_by_label("Attach a file").set_input_files(str(upload))
    press(page, work.get_by_role("button", name="Upload"))
    work.locator(".cpa-file-list").get_by_role("link", name="report.pdf").wait_for()
    assert answer.input_value() == ANSWER
    assert work.get_by_label("Link 1").input_value() == "github.com/me/x"
    assert work.get_by_label("Link 2").input_value() == "my notebook"

    page.reload()
    assert answer.input_value() == ANSWER
    assert work.get_by_label("Link 1").input_value() == "https://github.com/me/x"
    assert work.get_by_label("Link 2").input_value() == "my notebook"

    press(page, work.get_by_role("button", name="Submit for review"))
    summary = work.locator(".cpa-error-summary")
    summary.get_by_role("link").nth(2).wait_for()
    assert page.evaluate("document.activeElement.classList.contains('cpa-error-summary')")
    assert summary.get_by_role("link").all_inner_texts() == [
        "“my notebook” is not a web address such as https://example.org/work.",
        "Self-assessment: choose where your work stands on “Data preparation”.",
        "Self-assessment: choose where your work stands on “Model evaluation”.",
    ]
    assert work.locator(".cpa-field-error").count() == 3
    assert answer.input_value() == ANSWER
    if viewport is DESKTOP:
        screenshot(page, "assessment-learner-problems", publish=True, element=".cpa-work")
    assert_accessible(page, ".cpa")

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page, link_2)
    type_into(page, link_2, "gitlab.com/me/y")
    choose_option(page, work.get_by_label("Data preparation"), "Proficient")
    choose_option(page, work.get_by_label("Model evaluation"), "Advanced")
    press(page, work.get_by_role("button", name="Submit for review"))
    page.locator(".cpa-status-label").get_by_text("Submitted").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('cpa-status')")
    assert "Saved as you type" not in page.locator(".cpa-work").inner_text()
    if viewport is DESKTOP:
        screenshot(page, "assessment-learner-submitted", publish=True, element=".cpa")
    assert_fits(page)
    assert_accessible(page, ".cpa")


def test_learner_loop_pass_not_passed_and_revision(live_server, project, browser):
    """Pass: a banner links to the badge. Not passed: the next step, and a new attempt.
    Revision: the feedback, and Resubmit right beside it."""
    call_command("credplugin_keys", "generate", verbosity=0)
    for user in ("learner_pass", "learner_fail", "learner_revise"):
        submit_project(project, user, with_file=False)
    uuids = dict(
        zip(("pass", "fail", "revise"), project.submission_uuids("staff_mentor"), strict=True)
    )
    assert project.grade("staff_mentor", uuids["pass"], LEVELS, "Clear split.")[0] == 200
    low = {"data-preparation": "developing", "evaluation": "advanced"}
    assert project.grade("staff_mentor", uuids["fail"], low, "Leakage in the split.")[0] == 200
    status, _body = project.grade(
        "staff_mentor", uuids["revise"], {}, "Report per-queue recall.", decision="revision"
    )
    assert status == 200
    learner = project.block("learner_pass").actor()
    get_user_model().objects.filter(pk=learner.user_id).update(email="pass@example.org")
    api.course_passing_status_changed(
        user_id=learner.user_id,
        course_key=str(project.block("learner_pass").course_key()),
        is_passing=True,
    )

    page = browser
    open_scenario(page, live_server, PROJECT_SCENARIO, "learner_pass")
    banner = page.locator(".cpa-banner-pass")
    link = banner.get_by_role("link", name="View your badge “Applied ML Practitioner”")
    assert "/badges/" in link.get_attribute("href")
    tab_to(page, link)
    assert "Clear split." in banner.inner_text()
    screenshot(page, "assessment-learner-graded", publish=True, element=".cpa")
    assert_accessible(page, ".cpa")
    open_on_a_phone(page, live_server, PROJECT_SCENARIO, "learner_pass")
    screenshot(page, "assessment-learner-phone", publish=True)

    page.set_viewport_size(DESKTOP)
    open_scenario(page, live_server, PROJECT_SCENARIO, "learner_fail")
    banner = page.locator(".cpa-banner-fail")
    assert "Next step:" in banner.inner_text()
    press(page, banner.get_by_role("link", name="Go to your work"))
    assert focused(page, page.get_by_label("Your answer"))
    assert page.get_by_role("button", name="Submit a new attempt").is_visible()
    assert_accessible(page, ".cpa")

    open_scenario(page, live_server, PROJECT_SCENARIO, "learner_revise")
    banner = page.locator(".cpa-banner-revise")
    assert "Report per-queue recall." in banner.inner_text()
    resubmit = banner.get_by_role("button", name="Resubmit for review")
    feedback_bottom = banner.locator(".cpa-feedback").bounding_box()
    assert resubmit.bounding_box()["y"] - feedback_bottom["y"] < 300
    press(page, resubmit)
    page.locator(".cpa-status-label").get_by_text("Submitted").wait_for()
    assert_accessible(page, ".cpa")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_mentor_starts_at_the_queue_grades_and_moves_on(live_server, project, browser, viewport):
    for user in ("learner_a", "learner_b"):
        submit_project(project, user, with_file=False)
    page = browser
    page.set_viewport_size(viewport)
    open_scenario(page, live_server, PROJECT_SCENARIO, "staff_mentor")
    staff = page.locator(".cpa-staff")
    first = staff.get_by_role("button", name="Review work by learner_a")
    first.wait_for()
    assert page.evaluate(
        "document.querySelector('.cpa-staff').compareDocumentPosition("
        "document.querySelector('.cpa-learner')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert staff.get_by_role("button", name="Review work by learner_b").is_visible()
    assert_accessible(page, ".cpa")
    page.evaluate(
        "document.querySelector('.cpa').insertAdjacentHTML('beforeend', '<input id=probe>')"
    )
    assert any(found.startswith("label (") for found in axe_violations(page, ".cpa"))
    page.evaluate("document.getElementById('probe').remove()")
    press(page, first)
    review = staff.locator(".cpa-review-form")
    review.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('cpa-review')")

    press(page, review.get_by_role("button", name="Request revision"))
    summary = review.locator(".cpa-error-summary")
    summary.get_by_text("Tell the learner what to revise").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('cpa-error-summary')")
    press(page, review.get_by_role("button", name="Grade"))
    summary.get_by_text("Choose a level for “Model evaluation”.").wait_for()
    assert summary.get_by_role("link").count() == 2
    assert review.locator(".cpa-field-error").all_inner_texts() == [
        "Choose a level for “Data preparation”.",
        "Choose a level for “Model evaluation”.",
    ]

    data = review.locator('[data-criterion-id="data-preparation"]')
    press(page, data.get_by_label("Proficient"), "Space")
    preview = review.locator(".cpa-preview")
    assert preview.inner_text().startswith("Running total: 2 of 6 points.")
    evaluation = review.locator('[data-criterion-id="evaluation"]')
    press(page, evaluation.get_by_label("Advanced"), "Space")
    assert preview.inner_text() == (
        "Running total: 5 of 6 points. With these levels the work passes."
    )
    type_into(
        page, evaluation.get_by_label("Comment on Model evaluation (optional)"), "Macro F1 fits."
    )
    type_into(
        page, review.get_by_label("Feedback to the learner"), "Clear split and honest metrics."
    )
    if viewport is DESKTOP:
        screenshot(page, "assessment-mentor-review", publish=True, element=".cpa-staff")
    assert_accessible(page, ".cpa")
    press(page, review.get_by_role("button", name="Grade"))
    decided = staff.locator(".cpa-decided")
    decided.get_by_text("Passed with 5 of 6 points.").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('cpa-decided')")
    press(page, decided.get_by_role("button", name="Next submission"))
    staff.locator(".cpa-review-form").get_by_text("Submission, attempt 1").wait_for()
    assert staff.get_by_role("button", name="Review work by learner_b").is_visible()
    assert_fits(page)
    assert_accessible(page, ".cpa")

    open_scenario(page, live_server, PROJECT_SCENARIO, "learner_a")
    comments = page.locator(".cpa-criterion-comments")
    assert comments.inner_text() == "Model evaluation: Macro F1 fits."


def test_ethics_case_in_the_browser(live_server, workbench, browser):
    page = browser
    open_scenario(page, live_server, ETHICS_SCENARIO, "learner_1")
    page.locator(".cpa-case").get_by_text("TalentSift").wait_for()
    assert "Proxy discrimination" not in page.locator(".cpa").inner_html()
    type_into(page, page.get_by_label("Your ethical-impact assessment"), "Draft reflection.")

    first = page.locator('[data-scenario-id="proxy-features"]')
    press(page, first.get_by_label("It cannot; the gap must be random noise."), "Space")
    press(page, first.get_by_role("button", name="Check answer"))
    page.locator(".cpa > .cpa-live").get_by_text("Not quite.").wait_for()
    first = page.locator('[data-scenario-id="proxy-features"]')
    assert "not noise" in first.inner_text()
    assert page.get_by_label("Your ethical-impact assessment").input_value() == "Draft reflection."
    press(page, first.get_by_label("Other inputs"), "Space")
    press(page, first.get_by_role("button", name="Check answer"))
    page.locator('[data-scenario-id="proxy-features"] .cpa-explanation').wait_for()

    press(page, page.get_by_role("button", name="Submit for review"))
    summary = page.locator(".cpa-error-summary")
    summary.get_by_text("Scenario 2 is not answered yet").wait_for()
    assert summary.get_by_role("link").count() == 3
    reflection_problem = page.locator(".cpa-field-error", has_text="ethical-impact assessment has")
    assert reflection_problem.count() == 1
    type_into(page, page.get_by_label("Your ethical-impact assessment"), REFLECTION)
    assert reflection_problem.count() == 0
    assert (
        "Answer every scenario judgment (required to submit)."
        in page.locator(".cpa-pass-rule").inner_text()
    )

    second = page.locator('[data-scenario-id="adverse-impact"]')
    press(page, second.get_by_label("The selection-rate ratio"), "Space")
    press(page, second.get_by_label("The model filters thousands"), "Space")
    press(page, second.get_by_role("button", name="Check answer"))
    page.locator('[data-scenario-id="adverse-impact"] .cpa-explanation').wait_for()
    press(
        page,
        page.locator('[data-scenario-id="mitigation"]').get_by_label("Route every applicant"),
        "Space",
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Check answer"
    page.keyboard.press("Enter")
    page.locator('[data-scenario-id="mitigation"] .cpa-explanation').wait_for()
    assert page.evaluate("document.activeElement.dataset.scenarioId") == "mitigation"
    screenshot(page, "ethics-scenarios-answered", publish=True, element=".cpa-ethics")
    assert_accessible(page, ".cpa")

    assert page.get_by_label("Your ethical-impact assessment").input_value() == REFLECTION
    press(page, page.get_by_role("button", name="Submit for review"))
    page.locator(".cpa-status-label").get_by_text("Submitted").wait_for()

    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(ETHICS_SCENARIO))
    [uuid] = driver.submission_uuids("staff_mentor")
    levels = {
        "stakeholders-harms": "solid",
        "fairness-analysis": "exemplary",
        "mitigation-monitoring": "solid",
    }
    status, body = driver.grade(
        "staff_mentor", uuid, levels, "Name who owns the weekly monitoring."
    )
    assert status == 200, body
    open_scenario(page, live_server, ETHICS_SCENARIO, "learner_1")
    page.locator(".cpa-result").get_by_text("Name who owns the weekly monitoring.").wait_for()
    achieved = page.locator(".cpa-ethics .cpa-achieved")
    assert achieved.nth(1).inner_text().startswith("Exemplary")
    screenshot(page, "ethics-learner-feedback", publish=True, element=".cpa")
    assert_accessible(page, ".cpa")


def fill_criterion(page, box, criterion):
    """Type one criterion into the structured rubric editor, keyboard only."""
    type_into(page, box.locator(".cpa-criterion-name"), criterion["name"])
    type_into(page, box.locator(".cpa-competency-name"), criterion["competency"]["name"])
    for _ in range(len(criterion["levels"]) - 2):
        press(page, box.get_by_role("button", name="Add level"))
    rows = box.locator(".cpa-level-editor")
    for index, level in enumerate(criterion["levels"]):
        row = rows.nth(index)
        type_into(page, row.locator(".cpa-level-name"), level["name"])
        type_into(page, row.locator(".cpa-level-points"), str(level["points"]))
        if level["id"] == criterion["required_level"]:
            press(page, row.get_by_label("Required to meet this criterion"), "Space")


def format_with_toolbar(page, editor):
    """Select the text, make it bold and a heading from the toolbar, keyboard only: the
    toolbar is one Tab stop before the text, its buttons are reached with the arrow keys."""
    toolbar = page.locator(f"[role=toolbar][aria-controls='{editor.get_attribute('id')}']")
    bold = toolbar.get_by_role("button", name="Bold")
    assert bold.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Control+A")
    page.keyboard.press("Shift+Tab")
    assert focused(page, bold), page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    page.keyboard.press("Enter")
    assert bold.get_attribute("aria-pressed") == "true"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    heading = toolbar.get_by_role("button", name="Heading", exact=True)
    assert focused(page, heading)
    page.keyboard.press("Enter")
    assert heading.get_attribute("aria-pressed") == "true"
    assert editor.evaluate("el => el.innerHTML").startswith("<h3><b>")
    page.keyboard.press("Tab")
    assert focused(page, editor)
    page.keyboard.press("Control+A")
    page.keyboard.press("Shift+Tab")
    assert focused(page, heading)
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    assert focused(page, toolbar.get_by_role("button", name="Link", exact=True))
    page.keyboard.press("Enter")
    address = page.get_by_role("textbox", name="Link address")
    assert focused(page, address)
    page.keyboard.type("https://example.org/brief")
    page.keyboard.press("Enter")
    assert focused(page, editor)
    assert 'href="https://example.org/brief"' in editor.evaluate("el => el.innerHTML")


def save_in_studio(page):
    """Press Save; the editor says "Saved." or lists what stops it (shown on failure)."""
    studio = page.locator(".cpa-studio")
    press(page, studio.get_by_role("button", name="Save"))
    summary = studio.locator(".cpa-studio-form > .cpa-error-summary")
    outcome = studio.locator(".cpa-live:has-text('Saved.')").or_(summary.locator("visible=true"))
    outcome.first.wait_for()
    assert summary.is_hidden(), summary.inner_text()


def test_author_sees_sections_and_every_problem_linked_to_its_field(
    live_server, workbench, browser
):
    page = browser
    open_scenario(page, live_server, EMPTY_SCENARIO, "staff_author", "studio_view")
    studio = page.locator(".cpa-studio")
    toc = studio.get_by_role("navigation", name="Sections")
    assert toc.get_by_role("link").all_inner_texts() == [
        "General",
        "Project",
        "Peer review",
        "Ethics case study",
        "Pass rule",
        "Badge",
        "Renewal",
    ]
    badge_section = studio.locator("#cpa-section-badge")
    press(page, badge_section.locator("summary"))
    assert badge_section.get_attribute("open") is None
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('.cpa-studio input, .cpa-studio textarea,"
        " .cpa-studio select')].filter(el => !el.labels.length).length"
    )
    assert unlabelled == 0

    type_into(page, studio.get_by_label("Display name"), "Capstone")
    project_part = studio.get_by_label("Project part: applied work judged against a rubric")
    if not project_part.is_checked():
        press(page, project_part, "Space")
    prompt = studio.get_by_role("textbox", name="Project prompt")
    type_into(page, prompt, "Train a classifier")
    format_with_toolbar(page, prompt)
    type_into(page, studio.get_by_label("Weight", exact=True), "-5")
    editor = studio.locator('.cpa-rubric-editor[data-field="rubric"]')
    press(page, editor.get_by_role("button", name="Add criterion"))
    assert focused(page, editor.locator(".cpa-criterion-name"))
    press(page, studio.get_by_role("button", name="Save"))

    summary = studio.locator(".cpa-error-summary")
    summary.get_by_role("link").first.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('cpa-error-summary')")
    links = summary.get_by_role("link").all_inner_texts()
    assert "Badge slug is required." in links
    assert "Badge name is required." in links
    assert "Project rubric › criterion 1 › name is required." in links
    assert "Project rubric › criterion 1 › level 2 › name is required." in links
    assert len(links) == studio.locator(".cpa-field-error").count() >= 6
    assert studio.locator("[aria-invalid=true]").count() == len(links)
    assert badge_section.get_attribute("open") is not None
    # A picture of the whole editor shows the Save bar where it ends, not stuck mid-page.
    unstick = page.add_style_tag(content=".cpa-sticky-actions { position: static; }")
    screenshot(page, "assessment-studio-problems", publish=True, element=".cpa-studio")
    unstick.evaluate("style => style.remove()")
    assert_accessible(page, ".cpa-studio")

    press(page, summary.get_by_role("link", name="Badge slug is required."))
    slug = studio.get_by_label("Badge slug")
    assert focused(page, slug)
    assert "Badge slug is required." in page.evaluate(
        "el => el.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).textContent).join(' ')",
        slug.element_handle(),
    )
    criterion_name = "Project rubric › criterion 1 › name is required."
    press(page, summary.get_by_role("link", name=criterion_name))
    assert focused(page, editor.locator(".cpa-criterion-name"))

    type_into(page, studio.get_by_label("Weight", exact=True), "")
    type_into(page, slug, "applied-ml-practitioner")
    type_into(page, studio.get_by_label("Badge name"), "Applied ML Practitioner")
    first, second = PROJECT_VALUES["rubric"]["criteria"]
    fill_criterion(page, editor.locator(".cpa-criterion-editor").nth(0), first)
    press(page, editor.get_by_role("button", name="Add criterion"))
    fill_criterion(page, editor.locator(".cpa-criterion-editor").nth(1), second)
    press(page, editor.get_by_role("button", name="Move criterion 2 up"))
    assert page.evaluate("document.activeElement.textContent") == "Move criterion 1 up"
    assert editor.locator(".cpa-criterion-name").nth(0).input_value() == second["name"]
    screenshot(
        page,
        "assessment-studio-rubric-criterion",
        publish=True,
        element='.cpa-rubric-editor[data-field="rubric"] .cpa-criterion-editor',
    )
    save_in_studio(page)
    assert studio.locator(".cpa-field-error").count() == 0
    save_bar = studio.locator(".cpa-sticky-actions").bounding_box()
    assert save_bar["y"] + save_bar["height"] <= DESKTOP["height"] + 1

    block = WorkbenchDriver(WorkbenchDriver.usage_id_for(EMPTY_SCENARIO)).block("staff_author")
    assert [c["name"] for c in block.rubric["criteria"]] == [second["name"], first["name"]]
    assert block.badge["slug"] == "applied-ml-practitioner"
    assert block.prompt == (
        '<h3><b><a href="https://example.org/brief" rel="noopener noreferrer nofollow">'
        "Train a classifier</a></b></h3>"
    )
    open_on_a_phone(page, live_server, EMPTY_SCENARIO, "staff_author", "studio_view")
    assert_accessible(page, ".cpa-studio")


def test_author_starts_from_the_hiring_bias_template(live_server, workbench, browser):
    page = browser
    open_scenario(page, live_server, EMPTY_SCENARIO, "staff_author", "studio_view")
    press(page, page.get_by_role("button", name="Start from the template"))
    scenarios = page.locator(".cpa-scenarios-editor .cpa-scenario-editor")
    scenarios.nth(2).wait_for()
    ids = scenarios.evaluate_all("boxes => boxes.map(box => box.dataset.scenarioId)")
    first = scenarios.nth(0)
    assert first.locator(".cpa-option-editor").count() == 3
    assert first.locator(".cpa-option-correct").nth(0).is_checked()
    press(page, first.get_by_role("button", name="Add option"))
    option_text = first.locator(".cpa-option-editor").nth(3).locator(".cpa-option-text")
    assert focused(page, option_text)
    assert option_text.evaluate("el => el.tagName") == "TEXTAREA"
    press(page, page.get_by_role("button", name="Save"))
    summary = page.locator(".cpa-studio .cpa-error-summary")
    press(page, summary.get_by_role("link", name="Scenario 1 › option 4 › text is required."))
    assert focused(page, option_text)
    type_into(page, option_text, "Ask the vendor for a fairness certificate.")
    press(page, page.get_by_role("button", name="Move scenario 3 up"))
    assert page.evaluate("document.activeElement.textContent") == "Move scenario 2 up"
    save_in_studio(page)
    screenshot(page, "ethics-studio-scenario", publish=True, element=".cpa-scenario-editor")

    block = WorkbenchDriver(WorkbenchDriver.usage_id_for(EMPTY_SCENARIO)).block("staff_author")
    assert [scenario["id"] for scenario in block.scenarios] == [ids[0], ids[2], ids[1]]
    assert block.scenarios[0]["options"][3]["text"] == "Ask the vendor for a fairness certificate."
    assert block.ethics_alignment["code"] == "ETHICS-AI"
