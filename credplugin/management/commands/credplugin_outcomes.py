"""Store the outcome counts the cache holds, roll up the dashboard's changed days and keep the
quarters that became final; for cron, since Tutor runs no Celery beat.

Example crontab line: ``*/5 * * * * manage.py lms credplugin_outcomes``. Several runs at once
are safe: a count is never stored twice.
"""

from django.core.management.base import BaseCommand

from credplugin.outcomes import upkeep


class Command(BaseCommand):
    help = (
        "Store the cached outcome counts, roll up the dashboard's changed days and keep the "
        "quarters that became final."
    )

    def handle(self, *args, **options):
        written, days, quarters = upkeep.run()
        self.stdout.write(
            f"Stored {written} outcome counter row(s), {days} rolled-up day(s) and "
            f"{quarters} final quarter section(s)."
        )
