"""Removes the columns 0001 lent to edx-submissions' migration 0006 (see 0001)."""

import importlib

from django.db import migrations

lent_column = importlib.import_module("tests.host.migrations.0001_submissions_mariadb_column")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("credplugin_host", "0001_submissions_mariadb_column"),
        ("submissions", "0006_mariadb_uuid_conversion"),
    ]
    operations = [
        migrations.RunPython(lent_column.drop_column, lent_column.add_column, elidable=False)
    ]
