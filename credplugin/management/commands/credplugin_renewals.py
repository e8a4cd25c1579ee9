"""Renewal reminders for cron (Tutor runs no Celery beat): list what is due, or send it.

Example crontab line: ``17 * * * * manage.py lms credplugin_renewals --send``. Safe to run
from several hosts at once: each reminder is sent once (see ``credplugin.renewing.reminders``).
"""

from django.core.management.base import BaseCommand

from credplugin.models import IssuedBadge
from credplugin.renewing import reminders, renewal


class Command(BaseCommand):
    help = (
        "List the renewal reminders due now (a dry run, the default), or send them with --send "
        "and queue renewals left pending."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="Send the due reminders.")
        parser.add_argument(
            "--limit", type=int, default=None, help="Send at most this many reminders."
        )

    def handle(self, *args, send, limit, **options):
        if send:
            queued = renewal.sweep()
            counts = reminders.send_due(limit=limit)
            self.stdout.write(
                f"Sent {counts['sent']} renewal reminder(s) of {counts['due']} due; "
                f"{counts['opted_out']} learner(s) opted out, {counts['taken']} sent by another "
                f"run; {queued} pending renewal(s) queued again."
            )
            return
        rows = reminders.due()
        if limit is not None:
            rows = rows[:limit]
        badges = IssuedBadge.objects.select_related("user").in_bulk([pk for pk, _v, _d in rows])
        skipped = reminders.opted_out(badge.user_id for badge in badges.values())
        for pk, version, days in rows:
            badge = badges[pk]
            note = " (opted out)" if badge.user_id in skipped else ""
            self.stdout.write(
                f"{badge.uuid} v{version} {badge.user.get_username()} expires "
                f"{badge.valid_until:%Y-%m-%d}: {days}-day reminder{note}"
            )
        self.stdout.write(f"{len(rows)} renewal reminder(s) due; nothing sent (use --send).")
