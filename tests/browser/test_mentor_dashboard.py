"""Headless Chromium, keyboard only, at desktop and phone widths: a mentor reads their queue
oldest first, reaches the oldest work's grading link, and turns reminders off; course staff
read every mentor's backlog. axe-core audits the page."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credplugin import api
from credplugin.models import LearnerPreference
from tests.browser.test_employer_and_operator import assert_no_sideways_scroll, sign_in
from tests.browser_support import axe_violations, chromium_page, save_screenshot, tab_to
from tests.factories import COURSE_KEY, UserFactory, usage_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
COURSE = str(COURSE_KEY)


@pytest.fixture(params=sorted(WIDTHS))
def sized_browser(request, monkeypatch):
    width, height = WIDTHS[request.param]
    with chromium_page(monkeypatch, width=width, height=height) as page:
        yield request.param, page


def waiting_work(mentor):
    """Three learners of ``mentor`` with work waiting 3, 50 and 20 hours; one without a mentor."""
    for name, hours, block in (("ada", 3, "project"), ("bo", 50, "ethics"), ("cy", 20, "project")):
        learner = UserFactory(username=name, first_name=name.title(), last_name="Learner")
        api.assign_mentor(course_key=COURSE, mentor=mentor.pk, learner=learner.pk)
        api.review_waiting(
            submission_uuid=uuid.uuid4(),
            course_key=COURSE_KEY,
            usage_key=usage_key_for(COURSE_KEY, block),
            title=f"{block.title()} assessment",
            learner_id=learner.pk,
            submitted_at=timezone.now() - timedelta(hours=hours),
        )
    loner = UserFactory(username="dee")
    api.review_waiting(
        submission_uuid=uuid.uuid4(),
        course_key=COURSE_KEY,
        usage_key=usage_key_for(COURSE_KEY, "project"),
        title="Project assessment",
        learner_id=loner.pk,
        submitted_at=timezone.now() - timedelta(hours=1),
    )


def test_a_mentor_works_through_their_queue_by_keyboard(
    live_server, client, sized_browser, settings
):
    settings.CREDPLUGIN_MENTOR_TURNAROUND_HOURS = 24
    size, page = sized_browser
    mentor = UserFactory(username="mentor", is_staff=True, first_name="Mo", last_name="Mentor")
    waiting_work(mentor)
    sign_in(page, live_server, client, mentor)
    page.goto(live_server.url + reverse("credplugin:mentor-dashboard", args=[COURSE]))

    mine = page.locator("section[aria-labelledby=credplugin-mine-title] tbody tr")
    assert [row.locator("th").inner_text() for row in mine.all()] == [
        "Bo Learner",
        "Cy Learner",
        "Ada Learner",
    ]
    assert "past the target" in mine.first.inner_text()
    assert "Dee" not in page.locator("section[aria-labelledby=credplugin-mine-title]").inner_text()
    assert (
        "dee" in page.locator("section[aria-labelledby=credplugin-unassigned-title]").inner_text()
    )
    mentors = page.locator("section[aria-labelledby=credplugin-mentors-title]").inner_text()
    assert "Mo Mentor" in mentors and "No mentor" in mentors

    # Skip to the content: the oldest work's grading link is the next stop.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert tab_to(page, "el.tagName === 'A'") == 1
    assert page.evaluate("document.activeElement.href").endswith(
        f"/jump_to/{usage_key_for(COURSE_KEY, 'ethics')}"
    )
    assert "by bo" in page.evaluate("document.activeElement.textContent")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    save_screenshot(page, f"mentor-dashboard-{size}")

    # Reminders off, from the keyboard.
    tab_to(page, "el.id === 'id_mentor_reminders'", limit=120)
    page.keyboard.press("Space")
    tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_selector("[role=status]")
    assert "no more e-mails" in page.locator("[role=status]").inner_text()
    assert not page.locator("#id_mentor_reminders").is_checked()
    assert LearnerPreference.objects.get(user=mentor).email_mentor_reminders is False
    assert axe_violations(page) == []


def test_a_learner_is_refused_the_dashboard(live_server, client, monkeypatch):
    with chromium_page(monkeypatch, width=390, height=844) as page:
        sign_in(page, live_server, client, UserFactory(username="curious"))
        response = page.goto(
            live_server.url + reverse("credplugin:mentor-dashboard", args=[COURSE])
        )
        assert response.status == 403
