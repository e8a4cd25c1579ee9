"""An OAuth client nobody here wrote (requests-oauthlib) against the test host over HTTP:
discovery → dynamic registration → authorization code + PKCE with the learner's consent →
``GET /credentials`` paging → refresh → revocation. Credentials come back verified."""

import re
from html import unescape

import pytest
import requests
from django.conf import settings as django_settings
from requests_oauthlib import OAuth2Session

from credplugin import api
from credplugin.delivery.ob_api_scopes import SCOPE_CREDENTIAL_READ, SCOPE_PROFILE_READ
from credplugin.issuing.issuance import resolve_for_verification
from credplugin.models import IssuedBadge
from credplugin.openbadges.verify import verify_credential
from tests.backpacks import REDIRECT_URI, discover, register_backpack, site  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def browser_for(client, user):
    """A requests session carrying ``user``'s LMS login, standing in for their browser."""
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies["sessionid"].value)
    return session


def consent(browser, authorization_url):
    """Open the consent page and click Allow; return where the LMS sends the browser."""
    page = browser.get(authorization_url)
    assert page.status_code == 200, page.text
    fields = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text
        )
    }
    fields["allow"] = "Authorize"
    answer = browser.post(
        authorization_url.split("?")[0],
        data=fields,
        headers={"Referer": authorization_url, "X-CSRFToken": browser.cookies.get("csrftoken", "")},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def test_a_backpack_pulls_a_learners_badges_through_the_ob_api(
    site,  # noqa: F811 - fixture
    earn,
    client,
    django_capture_on_commit_callbacks,
):
    badges = [earn("ada"), earn("grace")]
    ada = badges[0].user
    with django_capture_on_commit_callbacks(execute=True):  # ada: three badges, two revoked
        api.reissue_badge(str(badges[0].uuid), reason="Corrected.", actor_id=None)
    with django_capture_on_commit_callbacks(execute=True):
        newest = IssuedBadge.objects.filter(user=ada).latest("issued_at", "id")
        api.reissue_badge(str(newest.uuid), reason="Corrected again.", actor_id=None)
    discovery, scheme = discover(site)
    flow = scheme["flows"]["authorizationCode"]
    registered = register_backpack(scheme)

    oauth = OAuth2Session(
        registered["client_id"],
        redirect_uri=REDIRECT_URI,
        scope=[SCOPE_CREDENTIAL_READ, SCOPE_PROFILE_READ],
        pkce="S256",
    )
    authorization_url, _state = oauth.authorization_url(flow["authorizationUrl"])
    callback = consent(browser_for(client, ada), authorization_url)
    assert callback.startswith(REDIRECT_URI)
    oauth.fetch_token(
        flow["tokenUrl"], authorization_response=callback, client_secret=registered["client_secret"]
    )
    base = discovery["servers"][0]["url"]
    first = oauth.get(f"{base}/credentials", params={"limit": 2})
    assert first.status_code == 200, first.text
    assert first.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in first.headers["Link"]
    second = oauth.get(f"{base}/credentials", params={"limit": 2, "offset": 2})
    received = first.json()["credential"] + second.json()["credential"]
    assert len(received) == 3 and 'rel="next"' not in second.headers["Link"]
    newest = IssuedBadge.objects.filter(user=ada).latest("issued_at", "id")
    assert received[0]["id"] == newest.credential["id"]
    for credential in received:
        report = verify_credential(credential, resolve=resolve_for_verification)
        assert {check.name for check in report.checks if not check.passed} <= {"status"}
    assert verify_credential(received[0], resolve=resolve_for_verification).verified
    assert badges[1].credential["id"] not in {c["id"] for c in received}
    assert oauth.get(f"{base}/profile").json()["email"] == ada.email

    old_access = oauth.token["access_token"]
    oauth.refresh_token(
        flow["refreshUrl"], auth=(registered["client_id"], registered["client_secret"])
    )
    assert oauth.token["access_token"] != old_access
    assert (
        requests.get(
            f"{base}/credentials", headers={"Authorization": f"Bearer {old_access}"}, timeout=10
        ).status_code
        == 401
    )
    revoked = requests.post(
        flow["x-imssf-revocationUrl"],
        data={"token": oauth.token["access_token"], "token_type_hint": "access_token"},
        auth=(registered["client_id"], registered["client_secret"]),
        timeout=10,
    )
    assert revoked.status_code == 200
    after = oauth.get(f"{base}/credentials")
    assert after.status_code == 401
    assert after.json()["imsx_codeMajor"] == "failure"
