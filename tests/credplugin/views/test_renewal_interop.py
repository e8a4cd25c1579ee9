"""The renewed credential, as the refresh service serves it, passes the 1EdTech schema and
verifies with the reference JavaScript stack, like the first version."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.js_stack import js_stack  # noqa: F401 - pytest fixture
from tests.openbadges.test_credential import schema_validator  # noqa: F401 - pytest fixture
from tests.renewals import EXPIRES

OPENS = EXPIRES - timedelta(days=60)


@pytest.fixture
def served(client, renewable):
    """Both versions, and the documents a verifier fetches from the site."""
    badge, _hash, renew = renewable
    first = badge.credential
    renewed = renew(badge.user, OPENS + timedelta(days=1))
    latest = client.get(reverse("credplugin:badge-refresh", args=[badge.uuid])).json()
    assert latest == renewed.credential
    did_document = client.get(reverse("credplugin:did-document")).json()
    status_lists = [
        client.get(reverse("credplugin:status-list", args=["revocation", sequence])).json()
        for sequence in sorted({badge.status_list_sequence, renewed.status_list_sequence})
    ]
    return first, latest, did_document, status_lists


def test_the_renewed_credential_passes_the_1edtech_schema(served, schema_validator):  # noqa: F811
    first, latest, _did, _lists = served
    for credential in (first, latest):
        errors = sorted(schema_validator.iter_errors(credential), key=str)
        assert not errors, [error.message for error in errors]


def test_javascript_verifies_both_versions(served, js_stack):  # noqa: F811
    first, latest, did_document, status_lists = served
    for credential in (first, latest):
        answer = js_stack.verify(
            credential,
            did_documents=[did_document],
            status_lists=status_lists,
            now=(OPENS + timedelta(days=2)).isoformat(),
        )
        assert answer.verified, answer.error
