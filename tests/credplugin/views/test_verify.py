"""The verify page and ``POST /credplugin/api/v1/verify``: formats, bad input, limits, SSRF."""

import json
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from credplugin import api
from tests.credplugin.views.verify_pages import report_part, verdict_heading

pytestmark = pytest.mark.django_db

VERIFY_API = "credplugin:verify-api"


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly if anything opens a network connection while the test runs."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"the server tried to open a connection: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def post_json(client, document):
    return client.post(reverse(VERIFY_API), json.dumps(document), content_type="application/json")


def test_api_verifies_a_posted_credential(client, earn):
    response = post_json(client, earn().credential)
    assert response.status_code == 200
    report = response.json()
    assert (report["verdict"], report["verified"]) == ("verified", True)
    assert {check["name"] for check in report["checks"]} == {
        "structure",
        "proof",
        "issuer",
        "proof_purpose",
        "validity",
        "status",
    }
    assert "no-store" in response["Cache-Control"]


def test_api_reports_revocation_live(client, earn):
    badge = earn()
    api.revoke_badge(str(badge.uuid), reason="Misconduct.", actor_id=None)
    assert post_json(client, badge.credential).json()["verdict"] == "revoked"


def test_api_accepts_a_multipart_file_and_a_raw_image(client, earn):
    badge = earn()
    png = client.get(reverse("credplugin:badge-png", args=[badge.uuid])).content
    upload = SimpleUploadedFile("badge.png", png, content_type="image/png")
    assert client.post(reverse(VERIFY_API), {"badge": upload}).json()["verified"] is True
    response = client.post(reverse(VERIFY_API), png, content_type="application/octet-stream")
    assert response.json()["verified"] is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Nothing was submitted"),
        ("{broken", "not valid JSON"),
        ('"a string"', "not an object"),
    ],
)
def test_api_refuses_malformed_input_with_400(client, body, message):
    response = client.post(reverse(VERIFY_API), body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_api_multipart_without_a_badge_field_is_400(client):
    response = client.post(reverse(VERIFY_API), {"other": "x"})
    assert response.status_code == 400
    assert "badge" in response.json()["error"]


def test_api_json_that_is_not_a_credential_gets_a_failed_report(client, db):
    response = post_json(client, {"hello": "world"})
    assert response.status_code == 200
    assert response.json()["verdict"] == "invalid"


@override_settings(CREDPLUGIN_VERIFY_MAX_BYTES=1000)
def test_api_refuses_oversized_input_with_413(client, earn):
    response = post_json(client, earn().credential)
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["error"]


def test_api_is_post_only(client):
    assert client.get(reverse(VERIFY_API)).status_code == 405


def test_api_needs_no_csrf_token_but_the_page_does(earn):
    badge = earn()
    strict = Client(enforce_csrf_checks=True)
    assert post_json(strict, badge.credential).status_code == 200
    form = {"credential_text": json.dumps(badge.credential)}
    assert strict.post(reverse("credplugin:verify-page"), form).status_code == 403


def test_page_shows_the_form_uncached(client, db):
    response = client.get(reverse("credplugin:verify-page"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_page_verifies_pasted_json(client, earn):
    badge = earn()
    response = client.post(
        reverse("credplugin:verify-page"), {"credential_text": json.dumps(badge.credential)}
    )
    assert response.status_code == 200
    assert response.context["verdict"].state == "verified"


def test_page_verifies_an_uploaded_svg(client, earn):
    badge = earn()
    svg = client.get(reverse("credplugin:badge-svg", args=[badge.uuid])).content
    upload = SimpleUploadedFile("badge.svg", svg, content_type="image/svg+xml")
    response = client.post(reverse("credplugin:verify-page"), {"badge_file": upload})
    assert response.context["verdict"].state == "verified"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Upload a badge file or paste its JSON."),
        ({"credential_text": "{nope"}, "not valid JSON"),
        (
            {"credential_text": "{}", "badge_file": SimpleUploadedFile("a.json", b"{}")},
            "not both",
        ),
    ],
)
def test_page_explains_bad_input_with_400(client, db, data, message):
    response = client.post(reverse("credplugin:verify-page"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()


@override_settings(CREDPLUGIN_VERIFY_MAX_BYTES=500)
def test_page_refuses_an_oversized_upload(client, db):
    upload = SimpleUploadedFile("big.json", b"{" + b" " * 2000 + b"}")
    response = client.post(reverse("credplugin:verify-page"), {"badge_file": upload})
    assert response.status_code == 400
    assert "larger than 500 bytes" in response.content.decode()


SSRF_TARGETS = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://localhost:6379/",
    "http://127.0.0.1:3306/status.json",
    "file:///etc/passwd",
    "gopher://127.0.0.1:11211/_stats",
    "http://[::1]:8080/list.json",
]


@pytest.mark.parametrize("target", SSRF_TARGETS)
def test_a_status_list_url_elsewhere_is_never_fetched(client, earn, no_network, target):
    credential = earn().credential
    credential["credentialStatus"] = dict(
        credential["credentialStatus"], statusListCredential=target
    )
    report = post_json(client, credential).json()
    status = next(check for check in report["checks"] if check["name"] == "status")
    assert status["passed"] is False
    assert no_network == []


@pytest.mark.parametrize(
    "issuer",
    ["did:web:169.254.169.254", "did:web:localhost%3A6379", "did:web:127.0.0.1%3A22:admin"],
)
def test_a_did_web_issuer_elsewhere_is_never_fetched(client, earn, no_network, issuer):
    credential = earn().credential
    credential["issuer"] = dict(credential["issuer"], id=issuer)
    proof = credential["proof"][0]
    proof["verificationMethod"] = f"{issuer}#key-1"
    report = post_json(client, credential).json()
    assert report["verdict"] == "invalid"
    assert "not fetched" in json.dumps(report)
    assert no_network == []


def test_page_shows_nothing_a_forged_badge_claims(client, earn):
    credential = earn().credential
    credential["issuer"] = dict(credential["issuer"], name="A Famous University")
    response = client.post(
        reverse("credplugin:verify-page"), {"credential_text": json.dumps(credential)}
    )
    html = response.content.decode()
    assert response.context["verdict"].state == "invalid"
    heading = verdict_heading(html)
    assert heading == "Not verified: the signature does not match the document and key"
    assert "A Famous University" not in report_part(html)
