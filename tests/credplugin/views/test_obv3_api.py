"""The OB 3.0 API's edges: hostile registrations, redirect URI tricks, PKCE downgrades, and
tokens that read only their own learner's badges within their scope. Each refusal says why
and stores nothing."""

import base64
import hashlib
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)

from credplugin.delivery import ob_api
from credplugin.delivery.ob_api_scopes import SCOPE_CREDENTIAL_READ, SCOPE_PROFILE_READ
from credplugin.models import ObApiClient
from tests.openbadges.test_credential import schema_validator  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
REDIRECT = "https://backpack.example/callback"
VERIFIER = "a-code-verifier-that-is-long-enough-for-rfc-7636-0123456789"
CHALLENGE = (
    base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
)


def metadata(**change):
    return {
        "client_name": "Backpack",
        "client_uri": "https://backpack.example",
        "tos_uri": "https://backpack.example/tos",
        "policy_uri": "https://backpack.example/privacy",
        "redirect_uris": [REDIRECT],
        "scope": SCOPE_CREDENTIAL_READ,
        **change,
    }


def register(client, body):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(reverse("credplugin:obv3-register"), data, content_type="application/json")


def test_discovery_names_every_oauth_endpoint(client, db):
    document = client.get(reverse("credplugin:obv3-discovery")).json()
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    flow = scheme["flows"]["authorizationCode"]
    assert scheme["x-imssf-registrationUrl"].endswith("/ims/ob/v3p0/register")
    assert flow["authorizationUrl"].endswith("/ims/ob/v3p0/authorize")
    assert flow["tokenUrl"] == flow["refreshUrl"]
    assert set(flow["scopes"]) == {SCOPE_CREDENTIAL_READ, SCOPE_PROFILE_READ}


def test_discovery_names_the_operators_terms_and_privacy_policy(client, settings):
    settings.CREDPLUGIN_OB_API_TERMS_URL = "https://lms.example.com/tos"
    settings.CREDPLUGIN_OB_API_PRIVACY_URL = "https://lms.example.com/privacy"
    info = client.get(reverse("credplugin:obv3-discovery")).json()["info"]
    assert info["termsOfService"] == "https://lms.example.com/tos"
    assert info["x-imssf-privacyPolicyUrl"] == "https://lms.example.com/privacy"


def test_registration_returns_credentials_and_stores_only_a_hash(client, db):
    response = register(client, metadata())
    assert response.status_code == 201
    body = response.json()
    application = get_application_model().objects.get(client_id=body["client_id"])
    assert application.client_secret != body["client_secret"]
    assert body["redirect_uris"] == [REDIRECT] and body["scope"] == SCOPE_CREDENTIAL_READ


@pytest.mark.parametrize(
    ("body", "error", "reason"),
    [
        (b"{", "invalid_client_metadata", "not JSON"),
        (b"[" * 20_000 + b"]" * 20_000, "invalid_client_metadata", "too large"),
        (b"[]", "invalid_client_metadata", "JSON object"),
        (metadata(jwks_uri="https://evil.example"), "invalid_client_metadata", "jwks_uri"),
        (metadata(client_name=""), "invalid_client_metadata", "client_name"),
        (metadata(client_name="x" * 300), "invalid_client_metadata", "client_name"),
        (metadata(client_uri="javascript:alert(1)"), "invalid_client_metadata", "client_uri"),
        (metadata(scope="openid email"), "invalid_client_metadata", "scope"),
        (metadata(scope=["x"]), "invalid_client_metadata", "scope"),
        (metadata(grant_types=["implicit"]), "invalid_client_metadata", "grant_types"),
        (metadata(token_endpoint_auth_method="none"), "invalid_client_metadata", "client_secret"),
        (metadata(response_types=["token"]), "invalid_client_metadata", "response_types"),
        (metadata(redirect_uris=[]), "invalid_redirect_uri", "redirect_uris"),
        (metadata(redirect_uris=REDIRECT), "invalid_redirect_uri", "redirect_uris"),
        (metadata(redirect_uris=["http://backpack.example/cb"]), "invalid_redirect_uri", "https"),
        (
            metadata(redirect_uris=["https://backpack.example/cb#x"]),
            "invalid_redirect_uri",
            "fragment",
        ),
        (metadata(redirect_uris=["https://*.example/cb"]), "invalid_redirect_uri", "wildcards"),
        (
            metadata(redirect_uris=["https://me@evil.example/cb"]),
            "invalid_redirect_uri",
            "user info",
        ),
        (metadata(redirect_uris=["javascript:alert(1)"]), "invalid_redirect_uri", "https"),
        (metadata(redirect_uris=["/relative"]), "invalid_redirect_uri", "https"),
        (metadata(redirect_uris=["https://b.example/a b"]), "invalid_redirect_uri", "characters"),
        (metadata(redirect_uris=[REDIRECT] * 6), "invalid_redirect_uri", "1 to 5"),
    ],
)
def test_bad_registration_metadata_is_refused_and_nothing_stored(client, db, body, error, reason):
    response = register(client, body)
    assert response.status_code in (400, 413)
    assert response.json()["error"] == error
    assert reason in response.json()["error_description"]
    assert not get_application_model().objects.exists()
    assert not ObApiClient.objects.exists()


def test_a_loopback_redirect_may_use_http(client, db):
    assert register(client, metadata(redirect_uris=["http://127.0.0.1:9000/cb"])).status_code == 201


@pytest.fixture
def registered(client, db):
    return register(client, metadata(scope=SCOPE_CREDENTIAL_READ)).json()


def authorize(client, registered, **change):
    query = {
        "response_type": "code",
        "client_id": registered["client_id"],
        "redirect_uri": REDIRECT,
        "scope": SCOPE_CREDENTIAL_READ,
        "state": "s1",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
        **change,
    }
    query = {key: value for key, value in query.items() if value is not None}
    return client.get(reverse("credplugin:obv3-authorize") + "?" + urlencode(query))


def test_the_consent_page_asks_the_signed_in_learner(client, registered, django_user_model):
    anonymous = authorize(client, registered)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(django_user_model.objects.create_user("ada", "ada@example.com"))
    page = authorize(client, registered)
    assert page.status_code == 200
    assert "Read your Open Badges credentials" in page.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        {"code_challenge": None, "code_challenge_method": None},
        {"code_challenge_method": "plain", "code_challenge": VERIFIER},
        {"code_challenge_method": None},
    ],
)
def test_pkce_downgrades_are_refused(client, registered, django_user_model, change):
    client.force_login(django_user_model.objects.create_user("ada"))
    response = authorize(client, registered, **change)
    assert response.status_code == 400
    assert "S256" in response.content.decode()


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/callback",
        "http://backpack.example/callback",
        "https://backpack.example/callback#steal",
        "https://backpack.example/callback/../evil",
        "https://backpack.example.evil.example/callback",
        "https://backpack.example/callback?next=https://evil.example",
    ],
)
def test_redirect_uri_tricks_never_redirect(client, registered, django_user_model, redirect_uri):
    client.force_login(django_user_model.objects.create_user("ada"))
    response = authorize(client, registered, redirect_uri=redirect_uri)
    assert response.status_code == 400
    assert "Location" not in response


def test_a_scope_the_client_did_not_register_is_refused(client, registered, django_user_model):
    client.force_login(django_user_model.objects.create_user("ada"))
    response = authorize(client, registered, scope=SCOPE_PROFILE_READ)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["invalid_scope"]


def _code(client, registered, user):
    client.force_login(user)
    page = authorize(client, registered)
    form = {key: value for key, value in page.context["form"].initial.items() if value is not None}
    answer = client.post(reverse("credplugin:obv3-authorize"), {**form, "allow": "Authorize"})
    return parse_qs(urlsplit(answer["Location"]).query)["code"][0]


def _exchange(client, registered, code, verifier):
    body = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if verifier is not None:
        body["code_verifier"] = verifier
    basic = base64.b64encode(f"{registered['client_id']}:{registered['client_secret']}".encode())
    return client.post(
        reverse("credplugin:obv3-token"), body, HTTP_AUTHORIZATION=f"Basic {basic.decode()}"
    )


@pytest.mark.parametrize("verifier", [None, "x" * 50, VERIFIER[:-1] + "!"])
def test_a_code_without_its_verifier_buys_no_token(client, registered, django_user_model, verifier):
    code = _code(client, registered, django_user_model.objects.create_user("ada"))
    response = _exchange(client, registered, code, verifier)
    assert response.status_code == 400
    assert not get_access_token_model().objects.exists()


def test_the_code_with_its_verifier_buys_one_token_once(client, registered, django_user_model):
    code = _code(client, registered, django_user_model.objects.create_user("ada"))
    assert _exchange(client, registered, code, VERIFIER).status_code == 200
    assert _exchange(client, registered, code, VERIFIER).status_code == 400
    assert not get_grant_model().objects.exists()


def bearer(user, scope, application=None):
    if application is None:
        application = ob_api.register_client(metadata(scope=scope))[0].application
    token = get_access_token_model().objects.create(
        user=user,
        application=application,
        token=f"token-{user.pk}-{application.pk}-{len(scope)}",
        scope=scope,
        expires=timezone.now() + timedelta(hours=1),
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {token.token}"}


def credentials(client, headers, **query):
    return client.get(reverse("credplugin:obv3-credentials") + "?" + urlencode(query), **headers)


def test_a_token_reads_only_its_own_learners_badges(client, earn):
    ada, grace = earn("ada"), earn("grace")
    response = credentials(client, bearer(ada.user, SCOPE_CREDENTIAL_READ))
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["credential"]] == [ada.credential["id"]]
    assert response["X-Total-Count"] == "1"
    assert grace.credential["id"] not in response.content.decode()


def test_scope_and_client_are_enforced(client, earn):
    badge = earn()
    profile_only = bearer(badge.user, SCOPE_PROFILE_READ)
    refused = credentials(client, profile_only)
    assert refused.status_code == 403
    assert "scope" in refused.json()["imsx_description"]
    assert client.get(reverse("credplugin:obv3-profile"), **profile_only).status_code == 200
    other_app = get_application_model().objects.create(
        name="platform app",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=REDIRECT,
    )
    foreign = bearer(badge.user, SCOPE_CREDENTIAL_READ, application=other_app)
    assert credentials(client, foreign).status_code == 403
    missing = credentials(client, {})
    assert missing.status_code == 401 and "Bearer" in missing["WWW-Authenticate"]
    assert credentials(client, {"HTTP_AUTHORIZATION": "Bearer forged"}).status_code == 401


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"offset": -1},
        {"since": "yesterday"},
        {"since": "2026-01-01T00:00:00"},
    ],
)
def test_bad_paging_is_refused_with_a_reason(client, earn, query):
    response = credentials(client, bearer(earn().user, SCOPE_CREDENTIAL_READ), **query)
    assert response.status_code == 400
    assert response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


def test_since_filters_and_links_page_through(client, earn):
    badge = earn()
    headers = bearer(badge.user, SCOPE_CREDENTIAL_READ)
    later = (badge.issued_at + timedelta(seconds=1)).isoformat()
    assert credentials(client, headers, since=later).json()["credential"] == []
    response = credentials(client, headers, limit=1, offset=0)
    assert 'rel="last"' in response["Link"] and 'rel="next"' not in response["Link"]


def test_served_credentials_match_the_1edtech_schema(client, earn, schema_validator):  # noqa: F811
    response = credentials(client, bearer(earn().user, SCOPE_CREDENTIAL_READ))
    for credential in response.json()["credential"]:
        schema_validator.validate(credential)


def test_my_badges_lists_connected_apps_and_disconnecting_revokes_at_once(client, earn):
    badge, other = earn("ada"), earn("grace")
    headers = bearer(badge.user, SCOPE_CREDENTIAL_READ)
    others = bearer(other.user, SCOPE_CREDENTIAL_READ)
    token = get_access_token_model().objects.get(user=badge.user)
    refresh = get_refresh_token_model().objects.create(
        user=badge.user, application=token.application, token="refresh-ada", access_token=token
    )
    client.force_login(badge.user)
    page = client.get(reverse("credplugin:my-badges"))
    [connection] = page.context["connections"]
    assert connection["name"] == "Backpack" and connection["last_read"] is None
    assert credentials(client, headers).status_code == 200
    page = client.get(reverse("credplugin:my-badges"))
    assert page.context["connections"][0]["last_read"] is not None
    assert "Read your Open Badges credentials" in page.content.decode()

    ob_client = connection["client"]
    answer = client.post(reverse("credplugin:my-app-disconnect", args=[ob_client.pk]))
    assert answer.status_code == 302
    assert credentials(client, headers).status_code == 401
    refresh.refresh_from_db()
    assert refresh.revoked is not None
    assert client.get(reverse("credplugin:my-badges")).context["connections"] == []
    assert credentials(client, others).status_code == 200  # another learner's access stays
    missing = client.post(reverse("credplugin:my-app-disconnect", args=[ob_client.pk + 99]))
    assert missing.status_code == 404
