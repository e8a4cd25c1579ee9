"""Queue again the badge work the task queue lost; for cron, since Tutor runs no Celery beat.

Example crontab line: ``*/5 * * * * manage.py lms credplugin_sweep``.
"""

from django.core.management.base import BaseCommand

from credplugin.issuing import sweeper


class Command(BaseCommand):
    help = (
        "Re-queue passing-status evaluations and issuance requests left pending, and requests "
        "waiting for a signing key once one exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="Only work idle this long (default: CREDPLUGIN_SWEEP_AFTER_SECONDS).",
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help="Evaluate and issue in this process instead of queueing Celery tasks.",
        )

    def handle(self, *args, older_than, inline, **options):
        counts = sweeper.sweep(older_than=older_than, inline=inline)
        verb = "Handled" if inline else "Queued"
        self.stdout.write(
            f"{verb} {counts['evaluations']} evaluation(s) and {counts['requests']} "
            "issuance request(s)."
        )
