"""Headless Chromium: a learner watches a pathway fill up, earns the last component, sees the
pathway badge and downloads their record (CLR 2.0), which verifies with every badge inside.

Badges come from the real pipeline, issued between page loads as a mentor's grading would.
"""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from credplugin.issuing import issuance
from credplugin.openbadges.clr import verify_clr
from credplugin.stacking import pathways
from tests.browser_support import axe_violations, chromium_page, save_screenshot
from tests.factories import UserFactory
from tests.pathway_badges import award, components, pathway_class  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, client, user):
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


@pytest.fixture
def halfway(components, pathway_class, award):  # noqa: F811
    """A learner holding the first of a two-badge pathway's components, and how to award the
    second: ``(learner, award_last)``."""
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components[:2]]
    )
    user = UserFactory()
    award(user, components[0])
    return user, lambda: award(user, components[1])


def test_the_learner_completes_a_pathway_and_downloads_the_record(
    live_server, client, monkeypatch, tmp_path, halfway
):
    user, award_last = halfway
    with chromium_page(monkeypatch) as page:
        sign_in(page, live_server, client, user)
        my_badges = live_server.url + reverse("credplugin:my-badges")
        page.goto(my_badges)
        pathway = page.locator(".credplugin-pathway")
        assert "1 of 2 badges" in pathway.inner_text()
        assert "Milestone: you are 50% of the way there." in pathway.inner_text()
        assert "Component 1, in the course" in pathway.inner_text()
        assert axe_violations(page) == []
        save_screenshot(page, "pathway-progress")

        award_last()
        page.goto(my_badges)
        assert "Complete: the pathway badge is yours." in pathway.inner_text()
        names = page.locator("article.credplugin-card h2").all_inner_texts()
        assert "AI Champion" in names
        with page.expect_download() as download:
            page.get_by_role("button", name="Download my record (CLR 2.0)").click()
        path = Path(tmp_path / "record.json")
        download.value.save_as(path)
        save_screenshot(page, "pathway-complete")
    record = json.loads(path.read_text("utf-8"))
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    assert len(record["credentialSubject"]["verifiableCredential"]) == 3
    assert verify_clr(record, resolve=issuance.resolve_for_verification).verified
