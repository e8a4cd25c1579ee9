import uuid

from django.db import migrations, models


def _catalog_course(course_key):
    """``org+number`` of a course key string (``course-v1:org+number+run`` or ``org/number/run``)."""
    body = course_key.split(":", 1)[-1]
    parts = body.replace("/", "+").split("+")
    return "+".join(parts[:2])


def backfill(apps, schema_editor):
    """Existing badge classes keep their uuid as their achievement id, so issued credentials
    keep naming the achievement they name today."""
    BadgeClass = apps.get_model("credplugin", "BadgeClass")
    for badge_class in BadgeClass.objects.all().only("pk", "uuid", "course_key"):
        BadgeClass.objects.filter(pk=badge_class.pk).update(
            achievement_uuid=badge_class.uuid,
            catalog_course=_catalog_course(str(badge_class.course_key)),
        )


class Migration(migrations.Migration):

    dependencies = [
        ("credplugin", "0003_artwork_colours_and_status_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="badgeclass",
            name="catalog_course",
            field=models.CharField(
                db_index=True,
                default="",
                help_text="The course across its runs (organization and course number).",
                max_length=255,
                verbose_name="course",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="badgeclass",
            name="achievement_uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="badgeclass",
            name="achievement_uuid",
            field=models.UUIDField(
                db_index=True,
                default=uuid.uuid4,
                editable=False,
                help_text="Shared by this badge's classes in every run of the course.",
            ),
        ),
        migrations.AddField(
            model_name="badgerequirement",
            name="source_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
    ]
