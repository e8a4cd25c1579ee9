"""The migrations run on MariaDB and its tables keep four-byte unicode (emoji) intact."""

import pytest
from django.db import connection

from credplugin.models import BadgeClass

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_runs_on_mariadb_with_utf8mb4():
    assert connection.vendor == "mysql", "the integration env must run on MariaDB"
    badge = BadgeClass.objects.create(
        course_key="course-v1:Demo+AI101+2026", slug="ethics", name="Ethical AI 🤖 أخلاقيات"
    )
    badge.refresh_from_db()
    assert badge.name == "Ethical AI 🤖 أخلاقيات"
