"""The issuer's public documents: DID document, profile, status lists."""

import pytest
from django.test import override_settings
from django.urls import reverse

from credplugin import api
from credplugin.openbadges import verify_credential
from credplugin.presentation.resolution import verification_resolver

pytestmark = pytest.mark.django_db


@override_settings(CREDPLUGIN_PUBLIC_CACHE_SECONDS=60)
def test_did_document_is_public_cacheable_and_lists_the_key(client, badge_setup):
    response = client.get(reverse("credplugin:did-document"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    document = response.json()
    assert document["id"] == api.issuer_did()
    assert document["assertionMethod"]


def test_did_document_path_is_the_did_web_path(client, badge_setup):
    assert reverse("credplugin:did-document") == "/.well-known/did.json"


@override_settings(CREDPLUGIN_ISSUER_DID="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
def test_no_did_document_when_the_issuer_is_a_did_key(client, db):
    assert client.get(reverse("credplugin:did-document")).status_code == 404


@override_settings(CREDPLUGIN_ISSUER_NAME="Demo Academy", CREDPLUGIN_ISSUER_EMAIL="a@b.example")
def test_issuer_profile(client, db):
    response = client.get(reverse("credplugin:issuer-profile"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    profile = response.json()
    assert profile["name"] == "Demo Academy"
    assert profile["email"] == "a@b.example"
    assert "public" in response["Cache-Control"]


def test_status_list_is_a_signed_credential_that_verifies(client, earn):
    badge = earn()
    url = reverse(
        "credplugin:status-list",
        kwargs={"purpose": "revocation", "sequence": badge.status_list_sequence},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    credential = response.json()
    assert credential["id"] == badge.credential["credentialStatus"]["statusListCredential"]
    site = verification_resolver()

    def served(reference):
        return credential if reference == credential["id"] else site(reference)

    # The verifier judges the badge's status on exactly the list served here.
    report = verify_credential(badge.credential, resolve=served)
    assert report.check("status").passed, report.check("status").reason


def test_suspension_list_is_published_too(client, earn):
    badge = earn()
    url = reverse(
        "credplugin:status-list",
        kwargs={"purpose": "suspension", "sequence": badge.status_list_sequence},
    )
    assert client.get(url).json()["credentialSubject"]["statusPurpose"] == "suspension"


def test_unknown_status_lists_are_404(client, earn):
    earn()
    url = reverse("credplugin:status-list", kwargs={"purpose": "revocation", "sequence": 999})
    assert client.get(url).status_code == 404
    assert client.get("/credplugin/status/other/1.json").status_code == 404
