"""Headless Chromium on outcomes: a learner answers a survey, staff see the dashboard change,
and the public page shows the figure once the cohort is large enough and final."""

import types
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credplugin.models import IssuedBadge, OutcomePlan, SurveyInvitation, SurveyResponse
from credplugin.outcomes import statements
from tests.browser_support import axe_violations, chromium_page, save_screenshot
from tests.factories import UserFactory
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


@pytest.fixture
def sign_in(browser, live_server, client):
    """``sign_in(user)``: the browser carries ``user``'s session from now on."""

    def signed_in(user):
        client.force_login(user)
        session = client.cookies["sessionid"].value
        browser.context.add_cookies(
            [{"name": "sessionid", "value": session, "url": live_server.url}]
        )

    return signed_in


@pytest.fixture
def outcome_settings(settings):
    settings.CREDPLUGIN_SURVEY_DAYS = [30]
    settings.CREDPLUGIN_OUTCOMES_MIN_COHORT = 10


def invite(badge):
    return SurveyInvitation.objects.create(
        badge=badge, offset_days=30, status=SurveyInvitation.Status.SENT
    )


def answered_by_nine_of_ten(earn):  # noqa: F811
    """Ten earners 35 days ago; nine answered the 30-day survey. Returns the tenth's badge."""
    awarded_at = timezone.now() - timedelta(days=35)
    badges = [earn(f"earner{n}", issued_at=awarded_at + timedelta(minutes=n)) for n in range(10)]
    for badge in badges[:9]:
        SurveyResponse.objects.create(
            invitation=invite(badge),
            job_change="new_role",
            applies_competencies=3,
            consent=True,
            submitted_at=timezone.now(),
            updated_at=timezone.now(),
        )
    return IssuedBadge.objects.select_related("badge_class", "user").get(pk=badges[9].pk)


def respondents(page):
    row = page.locator("tr", has_text="Survey respondents who agreed to be counted")
    return row.locator("td").first.inner_text()


@pytest.mark.usefixtures("outcome_settings")
def test_a_survey_answer_reaches_the_dashboard_and_the_public_page(
    live_server,
    earn,  # noqa: F811
    browser,
    sign_in,
    monkeypatch,
):
    badge = answered_by_nine_of_ten(earn)
    invitation = invite(badge)
    OutcomePlan.objects.create(badge_class=badge.badge_class, published=True)
    dashboard = live_server.url + reverse(
        "credplugin:outcomes-dashboard", args=[str(badge.badge_class.course_key)]
    )
    sign_in(UserFactory(username="staff", is_staff=True))
    browser.goto(dashboard)
    assert "No quarter is final yet" in browser.content()

    sign_in(badge.user)
    browser.goto(live_server.url + reverse("credplugin:survey", args=[invitation.token]))
    assert axe_violations(browser) == []
    browser.get_by_label("A new role with the same employer").check()
    browser.get_by_label("I was promoted").check()
    browser.get_by_label("Weekly").check()
    browser.get_by_label("Count my answers in the outcome figures").check()
    browser.get_by_role("button", name="Send my answer").click()
    assert "Your answer is saved" in browser.locator("[role=status]").inner_text()
    save_screenshot(browser, "survey-answered")

    # Months later the quarter's answers are final: the roll-up's clock moves, sessions stay.
    later = timezone.now() + timedelta(days=300)
    monkeypatch.setattr(statements, "timezone", types.SimpleNamespace(now=lambda: later))
    sign_in(UserFactory(username="staff2", is_staff=True))
    browser.goto(dashboard)
    assert respondents(browser) == "10"
    assert axe_violations(browser) == []
    save_screenshot(browser, "outcomes-dashboard")

    browser.context.clear_cookies()
    browser.goto(
        live_server.url + reverse("credplugin:outcomes-page", args=[badge.badge_class.uuid])
    )
    assert respondents(browser) == "10"
    assert axe_violations(browser) == []
    save_screenshot(browser, "outcomes-public-page")
