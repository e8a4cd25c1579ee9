from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("credplugin_host", "0002_submissions_mariadb_column_removed")]

    operations = [
        migrations.CreateModel(
            name="ContentBlock",
            fields=[
                (
                    "id",
                    models.AutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("usage_key", models.CharField(max_length=255, unique=True)),
                ("course_key", models.CharField(db_index=True, max_length=255)),
                ("block_type", models.CharField(max_length=64)),
                (
                    "unit",
                    models.CharField(
                        help_text="The unit (vertical) the block sits in.", max_length=255
                    ),
                ),
                (
                    "upstream",
                    models.CharField(
                        blank=True,
                        help_text="The library block this block was copied from.",
                        max_length=255,
                    ),
                ),
                ("draft", models.JSONField(null=True)),
                ("published", models.JSONField(null=True)),
            ],
        ),
    ]
