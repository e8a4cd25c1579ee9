"""Release expired peer-review leases and unblock work waiting past its days; for cron, since
Tutor runs no Celery beat.

Example crontab line: ``*/15 * * * * manage.py lms credplugin_peer_sweep``. Several runs at once
are safe: each lease is released once and each submission unblocked once (flexible grading, or
into the mentors' queue). Without it, unblocking happens only when someone opens the peer step.
"""

from django.core.management.base import BaseCommand

from credplugin.reviewing import pool


class Command(BaseCommand):
    help = "Release expired peer-review leases and unblock work waiting past its days."

    def handle(self, *args, **options):
        outcome = pool.sweep()
        self.stdout.write(
            f"{outcome['released']} expired lease(s) released, "
            f"{outcome['unblocked']} submission(s) unblocked."
        )
