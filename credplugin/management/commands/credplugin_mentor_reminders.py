"""E-mail mentors about work waiting past the target turnaround; for cron, since Tutor runs no
Celery beat.

Example crontab line: ``*/15 * * * * manage.py lms credplugin_mentor_reminders``. Several runs
at once are safe: each reminder is e-mailed at most once. ``--dry-run`` lists who would be
e-mailed about what, and claims and sends nothing.
"""

from django.core.management.base import BaseCommand

from credplugin.mentoring import reminders


class Command(BaseCommand):
    help = "E-mail mentors about work waiting past CREDPLUGIN_MENTOR_TURNAROUND_HOURS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the reminders due; send nothing."
        )
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args, dry_run=False, limit=None, **options):
        if limit is not None and limit < 1:
            self.stderr.write("--limit must be at least 1.")
            return
        outcome = reminders.send_due(limit=limit, dry_run=dry_run)
        if dry_run:
            for entry, users in outcome["would_send"]:
                names = ", ".join(user.get_username() for user in users) or "nobody"
                self.stdout.write(
                    f"{entry.course_key} {entry.usage_key} submission {entry.submission_uuid} "
                    f"(since {entry.submitted_at:%Y-%m-%d %H:%M}): {names}"
                )
            self.stdout.write(f"{outcome['due']} reminder(s) due; dry run, nothing sent.")
            return
        self.stdout.write(
            f"{outcome['due']} due, {outcome['sent']} e-mail(s) sent, "
            f"{outcome['taken']} taken by another sender."
        )
