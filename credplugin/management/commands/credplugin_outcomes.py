"""Store the outcome counts the cache holds; for cron, since Tutor runs no Celery beat.

Example crontab line: ``*/5 * * * * manage.py lms credplugin_outcomes``. Several runs at once
are safe: a count is never stored twice.
"""

from django.core.management.base import BaseCommand

from credplugin.outcomes import counters


class Command(BaseCommand):
    help = "Copy the badge page view, verification and share counts from the cache to the database."

    def handle(self, *args, **options):
        written = counters.flush()
        self.stdout.write(f"Stored {written} outcome counter row(s).")
