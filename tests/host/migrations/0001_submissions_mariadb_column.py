"""Lets edx-submissions' migration 0006 run on MariaDB.

That migration converts ``uuid`` columns of ``submissions_studentitem`` and
``submissions_score`` to MariaDB's ``uuid`` type, but no edx-submissions migration ever creates
those columns, so on MariaDB it stops every migrate. This host adds them just before 0006 and
removes them again right after (0002); other databases are untouched. A real LMS runs on
MySQL, where 0006 does nothing.
"""

from django.db import migrations


def _on_mariadb(schema_editor):
    connection = schema_editor.connection
    return connection.vendor == "mysql" and connection.mysql_is_mariadb


TABLES_WITHOUT_UUID = ("submissions_studentitem", "submissions_score")


def add_column(apps, schema_editor):
    if _on_mariadb(schema_editor):
        for table in TABLES_WITHOUT_UUID:
            schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN uuid char(32) NULL")


def drop_column(apps, schema_editor):
    if _on_mariadb(schema_editor):
        for table in TABLES_WITHOUT_UUID:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN uuid")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("submissions", "0005_CreateTeamModel")]
    run_before = [("submissions", "0006_mariadb_uuid_conversion")]
    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]
