"""Fixtures every test may use."""

import os

import pytest
from django.conf import settings

from tests.services import require_service


@pytest.fixture(scope="session", autouse=True)
def _database_service_gate():
    """On MariaDB, stop before pytest-django tries to create a database nobody can reach."""
    engine = settings.DATABASES["default"]["ENGINE"] if settings.configured else ""
    if engine == "django.db.backends.mysql":
        require_service("MariaDB", os.environ.get("CREDPLUGIN_DATABASE_URL", ""), 3306)


@pytest.fixture
def redis_service():
    """The Redis URL integration tests use, after checking Redis answers."""
    from tests.services import redis_url  # noqa: PLC0415

    url = redis_url()
    require_service("Redis", url, 6379)
    return url
