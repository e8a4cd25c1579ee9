"""``manage.py check`` tells an operator what stops badges being issued."""

import pytest
from django.test import override_settings

from credplugin import checks
from credplugin.issuer import keys
from credplugin.models import IssuanceRequest
from tests.factories import BadgeClassFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(messages):
    return [message.id for message in messages]


def test_no_key_is_a_warning_with_the_command_to_run():
    messages = checks.check_signing_key(None)
    assert ids(messages) == ["credplugin.W001"]
    assert "credplugin_keys generate" in messages[0].msg
    keys.generate()
    assert checks.check_signing_key(None) == []


def test_an_undecryptable_key_is_reported():
    keys.generate()
    with override_settings(CREDPLUGIN_KEY_ENCRYPTION_KEY="changed"):
        messages = checks.check_signing_key(None)
    assert ids(messages) == ["credplugin.W001"] and "decrypted" in messages[0].msg


def test_a_did_key_issuer_must_match_the_active_key():
    row = keys.generate()
    with override_settings(CREDPLUGIN_ISSUER_DID=f"did:key:{row.public_key_multibase}"):
        assert checks.check_signing_key(None) == []
    other = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    with override_settings(CREDPLUGIN_ISSUER_DID=other):
        assert ids(checks.check_signing_key(None)) == ["credplugin.E005"]


@override_settings(LMS_ROOT_URL="http://lms.example.com")
def test_an_issuer_did_that_cannot_be_derived_is_an_error():
    assert ids(checks.check_signing_key(None)) == ["credplugin.E004"]


def test_failed_requests_are_counted_for_the_operator():
    assert checks.check_failed_issuance(None) == []
    IssuanceRequest.objects.create(
        user=UserFactory(), badge_class=BadgeClassFactory(), status="failed", reason="x"
    )
    messages = checks.check_failed_issuance(None)
    assert ids(messages) == ["credplugin.W004"] and "1 badge" in messages[0].msg


def test_a_content_store_that_cannot_be_imported_is_an_error():
    assert checks.check_content_store(None) == []  # the host's own store imports
    with override_settings(CREDPLUGIN_CONTENT_STORE="tests.host.content.no_such_store"):
        messages = checks.check_content_store(None)
    assert ids(messages) == ["credplugin.E006"]
    assert "no_such_store" in messages[0].msg


@override_settings(CREDPLUGIN_VERIFY_RATE_LIMIT="thirty a minute")
def test_a_rate_limit_in_another_format_is_an_error():
    messages = [m for m in checks.check_settings(None) if m.id == "credplugin.E001"]
    assert len(messages) == 1 and "30/min" in messages[0].msg


@pytest.mark.parametrize("hours", [0, -4, "48", 2.5, True])
def test_a_mentor_turnaround_that_is_not_a_whole_number_of_hours_is_an_error(hours):
    with override_settings(CREDPLUGIN_MENTOR_TURNAROUND_HOURS=hours):
        messages = [m for m in checks.check_settings(None) if m.id == "credplugin.E001"]
    assert len(messages) == 1 and "MENTOR_TURNAROUND_HOURS" in messages[0].msg
