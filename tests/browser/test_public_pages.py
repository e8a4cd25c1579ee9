"""Headless Chromium on the public pages: verdict states and the verify page (the badge page by
keyboard, My badges and the accessibility audit are in ``test_employer_and_operator.py``).

Each test saves a screenshot (see ``tests/browser_support.py`` for which reach ``docs/images/``).
Badges come from the real pipeline, issued before the browser starts.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credplugin import api
from tests.browser_support import chromium_page, save_screenshot
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium page (1280×900)."""
    with chromium_page(monkeypatch) as page:
        yield page


def screenshot(page, name, *, publish=False):
    return save_screenshot(page, name, for_docs=publish)


def open_badge(page, live_server, badge):
    url = live_server.url + reverse("credplugin:badge-page", args=[badge.uuid])
    response = page.goto(url)
    assert response.status == 200
    return response


def verdict_text(page):
    return page.locator("#verdict-heading").inner_text()


def assert_accessible_basics(page):
    """What a page must have for WCAG 2.1 AA that a script can see for certain."""
    assert page.locator("html").get_attribute("lang")
    assert page.locator("h1").count() == 1
    levels = page.eval_on_selector_all(
        "main h1, main h2, main h3", "els => els.map(e => Number(e.tagName[1]))"
    )
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))
    assert page.eval_on_selector_all("img", "els => els.filter(e => !e.alt).length") == 0


def test_expired_badge_page(live_server, earn, browser):  # noqa: F811
    badge = earn(issued_at=timezone.now() - timedelta(days=365 * 3))
    open_badge(browser, live_server, badge)
    assert "Expired" in verdict_text(browser)
    screenshot(browser, "badge-page-expired", publish=True)


def test_revoked_badge_page(live_server, earn, browser):  # noqa: F811
    badge = earn()
    api.revoke_badge(
        str(badge.uuid), reason="The project was not the learner's own.", actor_id=None
    )
    open_badge(browser, live_server, badge)
    assert "Revoked" in verdict_text(browser)
    assert browser.locator("text=The project was not the learner's own.").is_visible()
    screenshot(browser, "badge-page-revoked", publish=True)


def test_verify_page_reports_an_uploaded_png(live_server, earn, browser, tmp_path):  # noqa: F811
    badge = earn()
    browser.goto(live_server.url + reverse("credplugin:badge-page", args=[badge.uuid]))
    with browser.expect_download() as download:
        browser.get_by_text("Badge image with credential (PNG)").click()
    png = tmp_path / "badge.png"
    download.value.save_as(png)
    browser.goto(live_server.url + reverse("credplugin:verify-page"))
    assert_accessible_basics(browser)
    browser.set_input_files("input[type=file]", str(png))
    browser.get_by_role("button", name="Verify").click()
    assert "Verified" in verdict_text(browser)
    browser.locator("details.credplugin-checks summary").click()
    screenshot(browser, "verify-page-report", publish=True)


def test_verify_page_explains_bad_input(live_server, browser):
    browser.goto(live_server.url + reverse("credplugin:verify-page"))
    browser.fill("textarea", "{this is not json")
    browser.get_by_role("button", name="Verify").click()
    assert "not valid JSON" in browser.get_by_role("alert").inner_text()
    screenshot(browser, "verify-page-error")
