"""Headless Chromium: the learner sees the renewal reminder on My badges, renews, and the public
page shows the badge's history.

The badge is issued (by the real pipeline) 23 months ago with a 24-month validity, so its
renewal window is open today. The renewal assessment's judged result is recorded through
``credplugin.api`` as the assessment block does when the mentor grades it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credplugin import api
from tests.browser_support import axe_violations, chromium_page, save_screenshot
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures
from tests.renewals import record_renewal_result, register_renewal_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


def test_the_learner_follows_the_reminder_renews_and_the_page_shows_the_history(
    live_server,
    earn,  # noqa: F811
    browser,
    client,
    django_capture_on_commit_callbacks,
):
    badge = earn(issued_at=timezone.now() - timedelta(days=24 * 30 + 5))  # expires in ~25 days
    api.set_renewal_policy(str(badge.badge_class.uuid), window_days=60, grace_days=30)
    rubric_hash = register_renewal_assessment()["rubric_hash"]
    client.force_login(badge.user)
    browser.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    browser.goto(live_server.url + reverse("credplugin:my-badges"))
    notice = browser.locator(".credplugin-renewal")
    assert "Expires in" in notice.inner_text() and "renew" in notice.inner_text()
    link = notice.get_by_role("link", name="renew")
    assert "/courses/course-v1:credplugin+ethics+2027/jump_to/" in link.get_attribute("href")
    assert axe_violations(browser) == []
    save_screenshot(browser, "my-badges-renewal-reminder", for_docs=True)

    with django_capture_on_commit_callbacks(execute=True):
        record_renewal_result(badge.user, rubric_hash)
    badge.refresh_from_db()
    assert badge.version == 2

    browser.reload()
    assert browser.locator(".credplugin-renewal").count() == 0
    browser.get_by_role("link", name="Public page").click()
    browser.wait_for_load_state()
    assert "Verified" in browser.locator("#verdict-heading").inner_text()
    history = browser.locator("#versions-heading + ol").inner_text()
    assert "First awarded" in history and "Renewed" in history
    assert axe_violations(browser) == []
    save_screenshot(browser, "badge-page-renewed", for_docs=True)
