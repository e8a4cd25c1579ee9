from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credplugin", "0005_outbox_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="learnerpreference",
            name="email_on_review",
            field=models.BooleanField(
                default=True,
                help_text="E-mail the learner when a mentor grades or returns their work.",
            ),
        ),
        migrations.AddField(
            model_name="learnerpreference",
            name="email_on_submission",
            field=models.BooleanField(
                default=True,
                help_text="E-mail course staff when a learner submits work to review.",
            ),
        ),
    ]
