"""Keys and DID documents for the openbadges tests, which need no Django."""

import pytest

from credplugin.openbadges import did_document, did_web_from_url, generate_key, sign_credential
from tests.js_stack import js_stack  # noqa: F401 - fixture for the interop tests
from tests.openbadges import builders
from tests.openbadges.builders import SITE


@pytest.fixture(scope="session", autouse=True)
def _database_service_gate():
    """Override the repository-wide database gate: nothing here touches a database."""


@pytest.fixture(scope="session")
def did_key_key():
    """A key published as its own did:key."""
    return generate_key()


@pytest.fixture(scope="session")
def web_key():
    """The site's current key, published in its did:web document."""
    return generate_key(did_web_from_url(SITE))


@pytest.fixture(scope="session")
def retired_web_key():
    """A key the site signed with before rotating; still listed in its DID document."""
    return generate_key(did_web_from_url(SITE))


@pytest.fixture(scope="session")
def web_did_document(web_key, retired_web_key):
    return did_document(
        web_key.controller, [web_key.public_key_multibase, retired_web_key.public_key_multibase]
    )


@pytest.fixture(scope="module")
def signed(web_key):
    """The typical badge, signed by the site's did:web key, with status index 5."""
    return sign_credential(
        builders.credential(web_key.controller, status_index=5).to_json(), web_key
    )
