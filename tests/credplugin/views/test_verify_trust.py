"""What the verify page and API may say: the attacks of tests/attacks.py, whose badge it is, the
report an employer reads, bad input and the rate limit."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from credplugin import api
from credplugin.openbadges import generate_key, sign_credential
from credplugin.openbadges.keys import DID_KEY_PREFIX
from tests import attacks
from tests.credplugin.views.verify_pages import report_part, verdict_heading

pytestmark = pytest.mark.django_db

SITE_NAME = "credplugin demo academy"


def verify_by_api(client, document):
    response = client.post(
        reverse("credplugin:verify-api"), json.dumps(document), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def verify_by_page(client, document):
    response = client.post(
        reverse("credplugin:verify-page"), {"credential_text": json.dumps(document)}
    )
    assert response.status_code == 200, response.content
    return response.content.decode()


@pytest.fixture
def revoked(earn):
    badge = earn()
    api.revoke_badge(str(badge.uuid), reason="Misconduct.", actor_id=None)
    return badge.credential


@pytest.mark.parametrize(
    "rewrite", [attacks.status_behind_iri, attacks.fake_name_in_index], ids=["iri", "index"]
)
def test_attack_1_and_2_a_rewritten_revoked_badge_is_refused_by_the_api(client, revoked, rewrite):
    report = verify_by_api(client, rewrite(revoked))
    assert report["verdict"] == "invalid"
    assert "plain Open Badges 3.0 form" in report["reason"]
    assert report["facts"] is None
    assert report["issuer"] is None


def test_attack_1_a_revoked_badge_with_its_status_behind_an_iri_is_refused_by_the_page(
    client, revoked
):
    html = verify_by_page(client, attacks.status_behind_iri(revoked))
    assert verdict_heading(html).startswith("Not verified: not in the plain Open Badges 3.0 form")
    assert "Verified" not in verdict_heading(html)


def test_attack_1_an_expired_badge_with_a_hidden_expiry_is_refused(client, earn):
    now = timezone.now()
    expired = earn(issued_at=now.replace(year=now.year - 3)).credential
    assert verify_by_api(client, expired)["verdict"] == "expired"
    report = verify_by_api(client, attacks.expiry_behind_value_object(expired))
    assert report["verdict"] == "invalid"
    assert attacks.CREDENTIALS + "validUntil" in report["reason"]


def test_attack_2_the_page_never_shows_a_name_from_index(client, earn):
    html = verify_by_page(client, attacks.fake_name_in_index(earn().credential))
    assert attacks.FAKE_NAME not in report_part(html)
    assert verdict_heading(html).startswith("Not verified")


@pytest.mark.parametrize("k", [9, 12])
@pytest.mark.parametrize(
    "bomb", [attacks.canonicalization_bomb, attacks.plain_form_bomb], ids=["reported", "plain"]
)
def test_attack_3_the_canonicalization_bomb_is_refused_with_a_reason(client, db, bomb, k):
    report = verify_by_api(client, bomb(generate_key(), k))
    assert report["verdict"] == "invalid"
    assert "plain Open Badges 3.0 form" in report["reason"] or "work limit" in report["reason"]
    html = verify_by_page(client, bomb(generate_key(), k))
    assert verdict_heading(html).startswith("Not verified:")


def test_attack_4_a_strangers_badge_under_our_name_reads_as_an_unknown_issuer(client, earn):
    stranger = generate_key()
    forged = attacks.stranger_as_site(earn().credential, stranger, SITE_NAME)
    report = verify_by_api(client, forged)
    assert report["verdict"] == "verified"
    assert report["label"] == "Signature intact, unknown issuer"
    assert report["issuer"] == {
        "id": stranger.controller,
        "name": SITE_NAME,
        "standing": "unknown",
        "standing_label": "Unknown issuer: only the signature is confirmed",
    }
    assert "that is all this proves" in report["explanation"]
    html = verify_by_page(client, forged)
    assert verdict_heading(html) == "Signature intact, unknown issuer"
    issuer_line = html.index("Unknown issuer: only the signature is confirmed")
    assert issuer_line < html.index("that is all this proves") < html.index("What was checked")


def test_our_own_badge_names_this_site_and_links_its_page(client, earn):
    badge = earn()
    report = verify_by_api(client, badge.credential)
    assert report["issuer"]["standing"] == "this_site"
    entry = badge.credential["credentialStatus"]
    assert report["facts"]["status_entries"] == [
        {
            "status_list_credential": entry["statusListCredential"],
            "index": int(entry["statusListIndex"]),
            "purpose": "revocation",
        }
    ]
    html = verify_by_page(client, badge.credential)
    assert verdict_heading(html) == "Verified"
    assert "Issued by this site" in html
    assert f'href="{reverse("credplugin:badge-page", args=[badge.uuid])}"' in html
    assert "Identified by a hashed e-mail address" in html
    assert "Competencies demonstrated" in html
    assert "Design: Expert" in html


def test_a_hidden_badge_is_not_linked(client, earn):
    badge = earn()
    badge.hidden = True
    badge.save(update_fields=["hidden"])
    html = verify_by_page(client, badge.credential)
    assert f'href="{reverse("credplugin:badge-page", args=[badge.uuid])}"' not in html


def test_an_issuer_the_operator_trusts_is_named_as_such(client, earn):
    stranger = generate_key()
    partner = attacks.stranger_as_site(earn().credential, stranger, "Partner University")
    with override_settings(CREDPLUGIN_TRUSTED_ISSUERS=[stranger.controller]):
        report = verify_by_api(client, partner)
    assert (report["verdict"], report["label"]) == ("verified", "Verified")
    assert report["issuer"]["standing"] == "trusted"


def test_a_failed_signature_leads_with_its_reason_and_judges_nothing_else(client, earn):
    credential = earn().credential
    credential["credentialSubject"]["achievement"]["name"] = "Something else"
    html = verify_by_page(client, credential)
    heading = verdict_heading(html)
    assert heading == "Not verified: the signature does not match the document and key"
    assert "Passed:</span>\n          The signing key belongs" not in html
    assert html.count("Not judged (the badge is not authentic):") == 4
    assert "Something else" not in report_part(html)


def test_a_revoked_badge_says_so_with_what_it_is(client, revoked):
    html = verify_by_page(client, revoked)
    assert verdict_heading(html) == "Revoked"
    assert "Misconduct." not in html  # the issuer's reason is ours to show on our badge page
    assert "What the badge says, exactly as its issuer signed it" in html


def self_signed(document_changes):
    key = generate_key()
    return sign_credential({**attacks.unsigned_badge(key), **document_changes}, key)


def test_a_naive_valid_from_is_a_reason_not_a_crash(client, db):
    credential = self_signed({"validFrom": "2025-01-01T00:00:00"})
    report = verify_by_api(client, credential)
    assert report["verdict"] == "invalid"
    assert "not a dateTime with a timezone" in report["reason"]
    assert "Not verified" in verdict_heading(verify_by_page(client, credential))


def test_our_own_did_key_badges_are_ours(client, db):
    credential = self_signed({})
    issuer = credential["issuer"]["id"]
    assert issuer.startswith(DID_KEY_PREFIX)
    with override_settings(CREDPLUGIN_ISSUER_DID=issuer):
        assert verify_by_api(client, credential)["issuer"]["standing"] == "this_site"


PLAIN_CONTEXT = (
    '"@context": ["https://www.w3.org/ns/credentials/v2", '
    '"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]'
)
DEEP_OBJECT = "{" + PLAIN_CONTEXT + ', "a":' + '{"a":' * 900 + "1" + "}" * 901
LONE_SURROGATE = '{"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "\\ud800"}'


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (DEEP_OBJECT, "nested more than"),
        (LONE_SURROGATE, "@context"),
        ('{"@context": 1, "\\udc00": "x"}', "@context"),
    ],
    ids=["deep-list", "deep-object", "surrogate-value", "surrogate-key"],
)
def test_hostile_bodies_get_a_reason_never_a_500(client, db, body, words):
    api_response = client.post(
        reverse("credplugin:verify-api"), body, content_type="application/json"
    )
    assert api_response.status_code in (200, 400)
    assert words in api_response.content.decode()
    page_response = client.post(reverse("credplugin:verify-page"), {"credential_text": body})
    assert page_response.status_code in (200, 400)
    assert words in page_response.content.decode()


def test_a_surrogate_in_a_plain_credential_is_named(client, earn):
    credential = earn().credential
    credential["credentialSubject"]["achievement"]["name"] = "\ud800"
    report = verify_by_api(client, credential)
    assert "lone UTF-16 surrogate" in report["reason"]
    html = verify_by_page(client, credential)
    assert "lone UTF-16 surrogate" in html


def test_an_uploaded_non_badge_is_told_so_in_upload_words(client, db):
    upload = SimpleUploadedFile("notes.txt", b"Dear diary", content_type="text/plain")
    response = client.post(reverse("credplugin:verify-page"), {"badge_file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "This file is not a badge" in html
    assert "Paste" not in html.split('id="form-errors"')[1].split("</div>")[0]


def test_pasted_broken_json_says_where(client, db):
    response = client.post(reverse("credplugin:verify-page"), {"credential_text": '{"a": }'})
    assert response.status_code == 400
    assert "not valid JSON (line 1, column 7)" in response.content.decode()


@override_settings(CREDPLUGIN_VERIFY_RATE_LIMIT="2/min")
def test_each_client_is_limited_on_the_api_and_the_page(client, earn):
    credential = earn().credential
    verify_by_api(client, credential)
    verify_by_page(client, credential)
    refused = client.post(
        reverse("credplugin:verify-api"), json.dumps(credential), content_type="application/json"
    )
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many badges" in refused.json()["error"]
    page = client.post(reverse("credplugin:verify-page"), {"credential_text": "{}"})
    assert page.status_code == 429
    assert "Too many badges" in page.content.decode()
    assert client.get(reverse("credplugin:verify-page")).status_code == 200
    spoofed = client.post(
        reverse("credplugin:verify-api"),
        json.dumps(credential),
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert spoofed.status_code == 429
    other = client.post(
        reverse("credplugin:verify-api"),
        json.dumps(credential),
        content_type="application/json",
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 200


@override_settings(CREDPLUGIN_VERIFY_RATE_LIMIT="")
def test_an_empty_rate_limit_turns_it_off(client, db):
    for _ in range(40):
        response = client.post(reverse("credplugin:verify-api"), "{}", content_type="text/plain")
        assert response.status_code == 200
