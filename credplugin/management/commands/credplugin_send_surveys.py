"""E-mail the follow-up surveys now due; for cron, since Tutor runs no Celery beat.

Example crontab line: ``17 * * * * manage.py lms credplugin_send_surveys``. Several runs at
once are safe: each survey is e-mailed at most once.
"""

from django.core.management.base import BaseCommand

from credplugin.outcomes import surveys


class Command(BaseCommand):
    help = "E-mail the follow-up surveys due now (30, 90, 180 days after an award by default)."

    def handle(self, *args, **options):
        sent = surveys.send_due_surveys()
        self.stdout.write(f"Sent {sent} follow-up survey e-mail(s).")
