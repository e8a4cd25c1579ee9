"""Headless Chromium on the verify page given a learner record (CLR 2.0): by keyboard alone, at
phone width, the record's verdict and then each credential inside it with its own verdict, with
no serious accessibility violation."""

import json

import pytest
from django.urls import reverse

from credplugin import api
from credplugin.issuing import lifecycle
from credplugin.stacking import pathways
from credplugin.stacking import record as clr
from tests.browser_support import axe_violations, chromium_page, save_screenshot, tab_to
from tests.factories import UserFactory
from tests.pathway_badges import award, components, pathway_class  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def record(components, pathway_class, award):  # noqa: F811
    """A signed record of two components and their pathway badge; the first is revoked since."""
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components[:2]]
    )
    user = UserFactory()
    award(user, components[0])
    award(user, components[1])
    document = clr.learner_record(user.id)
    lifecycle.revoke(lifecycle.get(api.list_badges(user.id)[0]["uuid"]), reason="X", actor_id=None)
    return document


def test_a_record_is_verified_by_keyboard_at_phone_width(live_server, monkeypatch, record):
    with chromium_page(monkeypatch, width=390, height=844) as page:
        page.goto(live_server.url + reverse("credplugin:verify-page"))
        tab_to(page, "el.tagName === 'TEXTAREA'")
        page.keyboard.insert_text(json.dumps(record))
        tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit'")
        page.keyboard.press("Enter")
        page.wait_for_selector("#record-verdict-heading")

        heading = " ".join(page.locator("#record-verdict-heading").inner_text().split())
        assert heading.endswith("Learner record verified")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.get_by_role("heading", level=2, name="The 3 credentials in this record")
        credentials = page.locator(".credplugin-record-credential h3").all_inner_texts()
        assert len(credentials) == 3
        assert sum(text.strip().endswith("Revoked") for text in credentials) == 1
        assert sum(text.strip().endswith("Verified") for text in credentials) == 2

        # Each credential's checks open from the keyboard.
        tab_to(page, "el.tagName === 'SUMMARY' && el.closest('.credplugin-record-credential')")
        page.keyboard.press("Enter")
        opened = page.locator(".credplugin-record-credential details[open]")
        assert opened.count() == 1
        assert "Passed: The signature matches the content" in opened.inner_text()
        assert axe_violations(page) == []
        save_screenshot(page, "verify-record-390")
