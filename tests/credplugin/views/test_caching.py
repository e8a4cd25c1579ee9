"""Every error answer of every public endpoint says ``no-store``: no cache keeps a refusal.

Shared caches may keep a 404 or a 405 by heuristics, so a badge hidden (or a list not yet
published) could keep answering 404 from a cache after it is shown again — or a stale 200 could
outlive its revocation if an error page were cached in its place.
"""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from credplugin import api

pytestmark = pytest.mark.django_db

BADGE_ENDPOINTS = ["badge-page", "badge-credential", "badge-png", "badge-svg"]
SITE_ENDPOINTS = [
    ("did-document", {}),
    ("issuer-profile", {}),
    ("status-list", {"purpose": "revocation", "sequence": 0}),
]


def assert_not_stored(response, status):
    assert response.status_code == status, response.content[:300]
    assert "no-store" in response.get("Cache-Control", ""), (status, response.headers)
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("name", BADGE_ENDPOINTS)
def test_a_hidden_badge_a_missing_badge_and_a_wrong_method_are_not_stored(client, earn, name):
    badge = earn()
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, hidden=True)

    assert_not_stored(client.get(reverse(f"credplugin:{name}", args=[badge.uuid])), 404)
    assert_not_stored(client.get(reverse(f"credplugin:{name}", args=[uuid.uuid4()])), 404)
    assert_not_stored(client.post(reverse(f"credplugin:{name}", args=[badge.uuid])), 405)


@pytest.mark.parametrize(("name", "kwargs"), SITE_ENDPOINTS)
def test_a_wrong_method_on_the_issuers_documents_is_not_stored(client, name, kwargs):
    assert_not_stored(client.post(reverse(f"credplugin:{name}", kwargs=kwargs)), 405)
    assert_not_stored(client.delete(reverse(f"credplugin:{name}", kwargs=kwargs)), 405)


def test_a_missing_status_list_is_not_stored(client):
    url = reverse("credplugin:status-list", kwargs={"purpose": "suspension", "sequence": 999})
    assert_not_stored(client.get(url), 404)


def test_refusals_of_the_verify_api_are_not_stored(client):
    url = reverse("credplugin:verify-api")
    assert_not_stored(client.get(url), 405)
    assert_not_stored(client.post(url, b"{nope", content_type="application/json"), 400)
    assert_not_stored(client.post(url, {"other": "x"}), 400)
    broken_multipart = b"--b\r\nContent-Disposition: form-data; name=badge\r\n\r\nx"
    response = client.post(url, broken_multipart, content_type="multipart/form-data")
    assert_not_stored(response, 400)
    with override_settings(CREDPLUGIN_VERIFY_MAX_BYTES=10):
        big = json.dumps({"id": "x" * 100})
        assert_not_stored(client.post(url, big, content_type="application/json"), 413)


def test_refusals_of_the_verify_page_are_not_stored(client):
    url = reverse("credplugin:verify-page")
    assert_not_stored(client.put(url), 405)
    assert_not_stored(client.post(url, {"credential_text": "{nope"}), 400)
    upload = SimpleUploadedFile("a.json", b"{}")
    assert_not_stored(client.post(url, {"credential_text": "{}", "badge_file": upload}), 400)
    strict = Client(enforce_csrf_checks=True)
    assert_not_stored(strict.post(url, {"credential_text": "{}"}), 403)
