"""Release expired peer-review leases, unblock work waiting past its days and remind learners
of the peer reviews they owe; for cron, since Tutor runs no Celery beat.

Example crontab line: ``*/15 * * * * manage.py lms credplugin_peer_sweep``. Several runs at once
are safe: each lease is released once and each submission unblocked once (flexible grading, or
into the mentors' queue), each reminder sent once. Without it, unblocking happens only when
someone opens the peer step.
"""

from django.core.management.base import BaseCommand

from credplugin.reviewing import pool, reminders


class Command(BaseCommand):
    help = (
        "Release expired peer-review leases, unblock work waiting past its days and remind "
        "learners of the peer reviews they owe."
    )

    def handle(self, *args, **options):
        outcome = pool.sweep()
        reminded = reminders.send_due()
        self.stdout.write(
            f"{outcome['released']} expired lease(s) released, "
            f"{outcome['unblocked']} submission(s) unblocked, "
            f"{reminded['sent']} reminder(s) of reviews owed sent."
        )
