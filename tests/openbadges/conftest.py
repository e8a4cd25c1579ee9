"""The openbadges package is pure Python: its tests run without Django settings."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _database_service_gate():
    """Override the repository-wide database gate: nothing here touches a database."""
