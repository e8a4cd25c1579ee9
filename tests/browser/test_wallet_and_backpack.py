"""Headless Chromium: the learner's consent to a backpack is clicked in the browser, the
consent and "Add to wallet" pages pass axe-core, and the wallet page shows its QR code."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from requests_oauthlib import OAuth2Session

from credplugin.delivery.ob_api_scopes import SCOPE_CREDENTIAL_READ, SCOPE_PROFILE_READ
from tests.backpacks import REDIRECT_URI, discover, register_backpack, site  # noqa: F401
from tests.browser.test_employer_and_operator import sign_in
from tests.browser_support import axe_violations, chromium_page
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_learner_clicks_allow_and_the_backpack_reads_their_badge(
    site,  # noqa: F811
    earn,  # noqa: F811
    client,
    monkeypatch,
):
    badge = earn()
    discovery, scheme = discover(site)
    flow = scheme["flows"]["authorizationCode"]
    registered = register_backpack(scheme)
    oauth = OAuth2Session(
        registered["client_id"],
        redirect_uri=REDIRECT_URI,
        scope=[SCOPE_CREDENTIAL_READ, SCOPE_PROFILE_READ],
        pkce="S256",
    )
    authorization_url, state = oauth.authorization_url(flow["authorizationUrl"])
    callbacks = []
    with chromium_page(monkeypatch) as page:
        page.route(
            f"{REDIRECT_URI}**",
            lambda route: (callbacks.append(route.request.url), route.fulfill(body="ok")),
        )
        sign_in(page, site, client, badge.user)
        page.goto(authorization_url)
        assert "Backpack" in page.locator("h1").inner_text()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Allow").click()
        page.wait_for_url(f"{REDIRECT_URI}**")
        page.goto(site.url + reverse("credplugin:my-badges"))
        page.get_by_role("button", name="Add to wallet").click()
        page.wait_for_selector("img.credplugin-qr")
        assert axe_violations(page) == []
    [callback] = callbacks
    assert parse_qs(urlsplit(callback).query)["state"] == [state]
    oauth.fetch_token(
        flow["tokenUrl"], authorization_response=callback, client_secret=registered["client_secret"]
    )
    served = oauth.get(discovery["servers"][0]["url"] + "/credentials").json()["credential"]
    assert [credential["id"] for credential in served] == [badge.credential["id"]]
