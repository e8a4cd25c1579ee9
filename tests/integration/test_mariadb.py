"""The integration env runs on MariaDB through mysqlclient, edx-platform's driver; the migrations
run there and its tables keep four-byte unicode (emoji) intact."""

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


def test_the_driver_is_mysqlclient_as_on_edx_platform():
    import MySQLdb  # noqa: PLC0415

    assert connection.Database is MySQLdb
    assert MySQLdb.__file__ and "pymysql" not in MySQLdb.__file__, MySQLdb.__file__
