"""Headless Chromium on the verify report an employer reads, which leads with its reason: the
verdict, whose badge it is and why it failed, in the first screen at desktop and phone widths."""

import json

import pytest
from django.urls import reverse

from credplugin.openbadges import generate_key
from tests import attacks
from tests.browser_support import chromium_page, save_screenshot
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(params=WIDTHS, ids=WIDTHS)
def browser(request, monkeypatch):
    width, height = WIDTHS[request.param]
    with chromium_page(monkeypatch, width=width, height=height) as page:
        yield page


def paste_and_verify(browser, live_server, credential):
    browser.goto(live_server.url + reverse("credplugin:verify-page"))
    browser.fill("textarea", json.dumps(credential))
    browser.get_by_role("button", name="Verify").click()
    heading = browser.locator("#verdict-heading")
    box = heading.bounding_box()
    viewport = browser.viewport_size
    assert box is not None
    assert box["y"] + box["height"] <= viewport["height"], "the verdict is below the first screen"
    scroll_width = browser.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"], "the report scrolls sideways"
    return " ".join(heading.inner_text().split())


def test_a_strangers_badge_under_our_name_says_unknown_issuer_first(
    live_server,
    earn,  # noqa: F811
    browser,
):
    forged = attacks.stranger_as_site(earn().credential, generate_key(), "credplugin demo academy")
    heading = paste_and_verify(browser, live_server, forged)
    assert heading.endswith("Signature intact, unknown issuer")
    issuer = browser.locator(".credplugin-verdict__issuer")
    assert "Unknown issuer: only the signature is confirmed" in issuer.inner_text()
    assert issuer.bounding_box()["y"] < browser.viewport_size["height"]
    save_screenshot(browser, f"verify-unknown-issuer-{browser.viewport_size['width']}")


def test_a_failed_signature_leads_with_its_reason(live_server, earn, browser):  # noqa: F811
    credential = earn().credential
    credential["credentialSubject"]["achievement"]["name"] = "Doctor of Medicine"
    heading = paste_and_verify(browser, live_server, credential)
    assert heading.endswith("Not verified: the signature does not match the document and key")
    browser.locator("details.credplugin-checks summary").click()
    checks = browser.locator(".credplugin-checks").inner_text()
    assert "Passed: The signing key belongs" not in checks
    assert "Not judged (the badge is not authentic): The signing key belongs" in checks
    assert "Doctor of Medicine" not in browser.locator(".credplugin-verdict").inner_text()
    assert browser.locator(".credplugin-checked-badge").count() == 0
    save_screenshot(browser, f"verify-failed-signature-{browser.viewport_size['width']}")
