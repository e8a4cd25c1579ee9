"""The issuer's DID and the public URLs embedded in credentials."""

import pytest
from django.test import override_settings

from credplugin.exceptions import CredPluginError
from credplugin.issuer import identity


def test_the_did_web_derives_from_the_lms_root_url():
    with override_settings(LMS_ROOT_URL="http://127.0.0.1:8000"):
        assert identity.issuer_did() == "did:web:127.0.0.1%3A8000"
    with override_settings(LMS_ROOT_URL="https://lms.example.com/"):
        assert identity.issuer_did() == "did:web:lms.example.com"
    with override_settings(CREDPLUGIN_ISSUER_DID="did:key:z6Mkabc"):
        assert identity.issuer_did() == "did:key:z6Mkabc"


@override_settings(LMS_ROOT_URL="http://lms.example.com")
def test_an_unusable_root_url_says_what_to_set():
    with pytest.raises(CredPluginError, match="CREDPLUGIN_ISSUER_DID"):
        identity.issuer_did()


@override_settings(LMS_ROOT_URL="https://lms.example.com/")
def test_public_urls_use_the_routed_names():
    uuid = "6f1c7a52-54a4-4f1e-9d0a-0d3f7f1f9b11"
    assert identity.badge_credential_url(uuid) == (
        f"https://lms.example.com/credplugin/badges/{uuid}/credential.json"
    )
    assert identity.badge_page_url(uuid) == f"https://lms.example.com/credplugin/badges/{uuid}/"
    assert identity.status_list_url("suspension", 3) == (
        "https://lms.example.com/credplugin/status/suspension/3.json"
    )


# This module doubles as a URLconf of a host that does not mount credplugin's URLs.
urlpatterns = []


@override_settings(ROOT_URLCONF=__name__)
def test_the_documented_paths_are_used_where_the_names_are_not_routed():
    assert identity.status_list_url("revocation", 1).endswith(
        "/credplugin/status/revocation/1.json"
    )


@override_settings(
    CREDPLUGIN_ISSUER_NAME="Academy",
    CREDPLUGIN_ISSUER_EMAIL="badges@academy.example",
    CREDPLUGIN_ISSUER_IMAGE="https://academy.example/logo.png",
)
def test_the_issuer_profile_comes_from_settings():
    profile = identity.issuer_profile().to_json()
    assert profile["name"] == "Academy" and profile["email"] == "badges@academy.example"
    assert profile["image"]["id"] == "https://academy.example/logo.png"
