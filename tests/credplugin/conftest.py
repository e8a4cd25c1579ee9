"""Fixtures for the plugin's tests: badges issued by the real pipeline."""

import pytest
from django.core.cache import cache

from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures
from tests.pathway_badges import award, components, pathway_class  # noqa: F401 - fixtures
from tests.renewals import renewable  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _fresh_verify_rate_limit():
    """Every test starts with no verification counted against its client (127.0.0.1)."""
    cache.clear()
