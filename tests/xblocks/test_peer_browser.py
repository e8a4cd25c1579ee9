"""Three learners and a mentor work the peer step in headless Chromium, keyboard only, at 390 px.

learner_2 reviews (a refused save lists every problem, focused; then levels by arrow keys and
feedback), learner_1 reads the anonymous feedback received and rates it, and the mentor opens
learner_1's work, sees the peers' reviews and median, and confirms it. Every page is audited
with axe-core and nothing scrolls sideways.
"""

import pytest

from credplugin.models import AssessmentResult
from tests.workbench_driver import WorkbenchDriver

from .conftest import PROJECT_SCENARIO
from .peer_support import LEVELS, author_peer_block, review_next, submission_of, submit
from .test_browser import (
    PHONE,
    assert_accessible,
    assert_fits,
    browser,  # noqa: F401 - pytest fixture
    browser_page,  # noqa: F401 - pytest fixture
    choose_option,
    open_scenario,
    press,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def peer_block(workbench):
    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO))
    author_peer_block(driver, peer_result_mode="peer_confirmed")
    for user in ("learner_1", "learner_2", "learner_3"):
        submit(driver, user)
    return driver


def test_three_learners_and_a_mentor_keyboard_only_on_a_phone(
    live_server,
    peer_block,
    browser,  # noqa: F811
):
    page = browser
    page.set_viewport_size(PHONE)
    open_scenario(page, live_server, PROJECT_SCENARIO, "learner_2")
    step = page.locator(".cpa-peer-step")
    form = step.locator('form[data-handler="peer_review"]')
    form.wait_for()
    assert "0 of 2 reviews given" in step.inner_text()
    assert "learner_1" not in step.inner_text()
    assert_fits(page)
    assert_accessible(page, ".cpa")

    press(page, form.get_by_role("button", name="Save review"))
    summary = form.locator(".cpa-error-summary")
    summary.get_by_text("Choose a level for “Model evaluation”.").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('cpa-error-summary')")
    assert summary.get_by_role("link").count() == 3  # two criteria and the feedback

    data = form.locator('[data-criterion-id="data-preparation"]')
    press(page, data.get_by_label("Proficient"), "Space")
    evaluation = form.locator('[data-criterion-id="evaluation"]')
    press(page, evaluation.get_by_label("Advanced"), "Space")
    type_into(page, form.get_by_label("Feedback to the author (required)"), "Say why macro F1.")
    press(page, form.get_by_role("button", name="Save review"))
    step.get_by_text("1 of 2 reviews given").wait_for()
    assert page.evaluate("document.activeElement.tagName") == "H3"
    assert_fits(page)

    review_next(peer_block, "learner_3")  # learner_2's work first: fewest reviews
    review_next(peer_block, "learner_3", LEVELS, "Good split by date.")

    open_scenario(page, live_server, PROJECT_SCENARIO, "learner_1")
    received = page.locator(".cpa-peer-received")
    received.nth(1).wait_for()
    text = page.locator(".cpa-peer-step").inner_text()
    assert "Say why macro F1." in text and "Good split by date." in text
    assert "learner_2" not in text and "learner_3" not in text
    first = received.nth(0)
    choose_option(page, first.get_by_label("How helpful was this feedback?"), "5 — very helpful")
    press(page, first.get_by_role("button", name="Rate"))
    page.locator(".cpa-live").get_by_text("Thank you for rating the feedback.").wait_for()
    assert_fits(page)
    assert_accessible(page, ".cpa")

    open_scenario(page, live_server, PROJECT_SCENARIO, "staff_mentor")
    staff = page.locator(".cpa-staff")
    press(page, staff.get_by_role("button", name="Review work by learner_1"))
    panel = staff.locator(".cpa-peer-staff")
    panel.wait_for()
    assert "2 of 2 peer reviews" in panel.inner_text()
    assert "learner_2" in panel.inner_text()  # staff see who reviewed
    review = staff.locator(".cpa-review-form")
    press(
        page,
        review.locator('[data-criterion-id="data-preparation"]').get_by_label("Proficient"),
        "Space",
    )
    press(
        page, review.locator('[data-criterion-id="evaluation"]').get_by_label("Advanced"), "Space"
    )
    type_into(page, review.get_by_label("Feedback to the learner"), "Agreed with your peers.")
    press(page, review.get_by_role("button", name="Grade"))
    staff.locator(".cpa-decided").wait_for()
    assert_fits(page)
    assert_accessible(page, ".cpa")
    uuid = submission_of(peer_block, "learner_1")["uuid"]
    assert uuid
    result = AssessmentResult.objects.get(user__username="learner_1")
    assert result.judgement == {"mode": "peer_confirmed", "peer_reviews": 2}
