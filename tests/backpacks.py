"""A backpack's side of the OB 3.0 API for tests: the live test host as the site, and the
registration a backpack sends."""

import pytest
import requests

from credplugin.delivery.ob_api_scopes import SCOPE_CREDENTIAL_READ, SCOPE_PROFILE_READ

REDIRECT_URI = "http://127.0.0.1:8765/callback"


@pytest.fixture
def site(live_server, settings, monkeypatch):
    """The live server is the site; the client library is told plain HTTP is fine here."""
    settings.LMS_ROOT_URL = live_server.url
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    return live_server


def discover(site):
    """The discovery document and its OAuth 2.0 security scheme."""
    discovery = requests.get(f"{site.url}/ims/ob/v3p0/discovery", timeout=10).json()
    return discovery, discovery["components"]["securitySchemes"]["OAuth2ACG"]


def register_backpack(scheme):
    """Register a backpack asking for both scopes; returns the RFC 7591 answer."""
    response = requests.post(
        scheme["x-imssf-registrationUrl"],
        json={
            "client_name": "Backpack",
            "client_uri": "https://backpack.example",
            "tos_uri": "https://backpack.example/tos",
            "policy_uri": "https://backpack.example/privacy",
            "redirect_uris": [REDIRECT_URI],
            "scope": f"{SCOPE_CREDENTIAL_READ} {SCOPE_PROFILE_READ}",
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()
