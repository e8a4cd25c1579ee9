"""The reference JavaScript stack verifies what the public pages serve.

The credential from ``credential.json`` and the ones unbaked from ``badge.png`` and
``badge.svg`` are handed to @digitalbazaar/vc with this site's DID document and status list, as
fetched from the site's own public URLs.
"""

import pytest
from django.urls import reverse

from credplugin import api
from credplugin.openbadges import unbake_png, unbake_svg
from tests.js_stack import js_stack  # noqa: F401 - pytest fixture

pytestmark = pytest.mark.django_db


def _served(client, badge):
    """The credential as each download serves it, and the documents a verifier fetches."""

    def get(name, **kwargs):
        response = client.get(reverse(f"credplugin:{name}", kwargs=kwargs))
        assert response.status_code == 200, name
        return response

    credentials = {
        "credential.json": get("badge-credential", badge_uuid=badge.uuid).json(),
        "badge.png": unbake_png(get("badge-png", badge_uuid=badge.uuid).content),
        "badge.svg": unbake_svg(get("badge-svg", badge_uuid=badge.uuid).content),
    }
    did_document = get("did-document").json()
    status_list = get(
        "status-list", purpose="revocation", sequence=badge.status_list_sequence
    ).json()
    return credentials, did_document, status_list


@pytest.mark.parametrize("download", ["credential.json", "badge.png", "badge.svg"])
def test_javascript_verifies_each_download(client, earn, js_stack, download):  # noqa: F811
    credentials, did_document, status_list = _served(client, earn())
    answer = js_stack.verify(
        credentials[download], did_documents=[did_document], status_lists=[status_list]
    )
    assert answer.verified, answer.error


def test_javascript_sees_a_revocation_through_the_served_status_list(
    client,
    earn,
    js_stack,  # noqa: F811
):
    badge = earn()
    api.revoke_badge(str(badge.uuid), reason="Fraud.", actor_id=None)
    credentials, did_document, status_list = _served(client, badge)
    answer = js_stack.verify(
        credentials["credential.json"], did_documents=[did_document], status_lists=[status_list]
    )
    assert not answer.verified
