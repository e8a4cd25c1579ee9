"""Store the outcome counts the cache holds and roll up the dashboard's changed days; for
cron, since Tutor runs no Celery beat.

Example crontab line: ``*/5 * * * * manage.py lms credplugin_outcomes``. Several runs at once
are safe: a count is never stored twice.
"""

from django.core.management.base import BaseCommand

from credplugin.outcomes import counters, rollups


class Command(BaseCommand):
    help = "Store the cached outcome counts and roll up the dashboard's changed days."

    def handle(self, *args, **options):
        written = counters.flush()
        days = rollups.refresh()
        self.stdout.write(f"Stored {written} outcome counter row(s) and {days} rolled-up day(s).")
