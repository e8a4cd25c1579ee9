"""Committed migrations match the models."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "credplugin", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db(transaction=True)
def test_existing_badge_classes_keep_their_uuid_as_their_achievement():
    """Credentials issued before 0004 name ``urn:uuid:<badge class uuid>``; they still do."""
    from django.db import connection  # noqa: PLC0415
    from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415

    before = [("credplugin", "0003_artwork_colours_and_status_history")]
    after = [("credplugin", "0004_content_lifecycle")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_state = executor.loader.project_state(before).apps
    old = old_state.get_model("credplugin", "BadgeClass").objects.create(
        course_key="course-v1:Demo+AI101+2026", slug="ethics", name="Ethical AI"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("credplugin", "BadgeClass")
    migrated = new.objects.get(pk=old.pk)
    assert migrated.achievement_uuid == old.uuid
    assert migrated.catalog_course == "Demo+AI101"
    call_command("migrate", verbosity=0)
