"""The verify page on a CLR 2.0 learner record: the record's verdict, then each credential
inside it with a verdict of its own, pasted or uploaded."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credplugin import api
from credplugin.issuing import lifecycle
from credplugin.stacking import pathways
from credplugin.stacking import record as clr
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(components, pathway_class, award):
    """A learner's signed record of two components and the pathway badge they complete."""
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components[:2]]
    )
    user = UserFactory()
    award(user, components[0])
    award(user, components[1])
    return user, clr.learner_record(user.id)


def paste(client, document):
    return client.post(reverse("credplugin:verify-page"), {"credential_text": json.dumps(document)})


def text_of(response):
    return " ".join(response.content.decode().split())


def test_a_pasted_record_shows_its_verdict_and_each_credential_with_its_own(client, record):
    user, document = record
    lifecycle.revoke(lifecycle.get(api.list_badges(user.id)[0]["uuid"]), reason="X", actor_id=None)
    response = paste(client, document)
    assert response.status_code == 200
    html = text_of(response)
    assert 'id="record-verdict-heading"' in html
    assert "Learner record verified" in html
    assert "It is a CLR 2.0 learner record in the form a verifier can read" in html
    assert "The 3 credentials in this record" in html
    names = [c["credentialSubject"]["achievement"]["name"] for c in
             document["credentialSubject"]["verifiableCredential"]]  # fmt: skip
    verdicts = {}
    for number, name in enumerate(names, 1):
        heading = html.split(f'id="record-credential-{number}"')[1].split("</h3>")[0]
        assert name in heading
        verdicts[name] = heading
    assert sum("Revoked" in heading for heading in verdicts.values()) == 1
    assert sum("Verified" in heading for heading in verdicts.values()) == 2
    assert 'id="verdict-heading"' not in html  # one id per heading


def test_a_tampered_record_is_not_verified_but_its_badges_still_are(client, record):
    _user, document = record
    document["name"] = "Doctor of Medicine"
    html = text_of(paste(client, document))
    assert "Learner record not verified" in html
    assert "the signature does not match" in html
    assert html.count("— Verified") == 3


def test_a_tampered_badge_inside_is_named_by_its_place_not_its_claims(client, record):
    _user, document = record
    inside = document["credentialSubject"]["verifiableCredential"][1]
    inside["credentialSubject"]["achievement"]["name"] = "Forged degree"
    html = text_of(paste(client, document))
    assert "Learner record not verified" in html  # the record's proof covers the badge too
    assert "Forged degree —" not in html
    assert "Credential 2 — Not verified" in html


def test_an_uploaded_record_file_is_read_like_a_pasted_one(client, record):
    _user, document = record
    upload = SimpleUploadedFile(
        "record.json", json.dumps(document).encode(), content_type="application/json"
    )
    response = client.post(reverse("credplugin:verify-page"), {"badge_file": upload})
    assert response.status_code == 200
    assert "Learner record verified" in text_of(response)


def test_a_tampered_record_judges_none_of_its_unsigned_claims(client, record):
    _user, document = record
    document["name"] = "Doctor of Medicine"
    html = text_of(paste(client, document))
    checks = html.split('id="record-verdict-heading"')[1].split("record-credentials-heading")[0]
    assert "Failed:</span> The signature matches the content" in checks
    assert "Not judged (the badge is not authentic):</span> It is within its validity" in checks
