"""Award a course's badges to learners who passed before the badge existed.

Safe to interrupt and to run again: each learner is evaluated in its own transaction and a
learner who already has the badge (or a request for it) is left alone.
"""

from django.core.management.base import BaseCommand, CommandError

from credplugin.exceptions import InvalidInput
from credplugin.issuing import backfill
from credplugin.management.progress import ProgressBar


class Command(BaseCommand):
    help = "Evaluate every learner who passed COURSE and request the badges they earned."

    def add_arguments(self, parser):
        parser.add_argument("--course", required=True, metavar="KEY", help="Course key.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count who would be awarded."
        )

    def handle(self, *args, course, dry_run, **options):
        try:
            counts = backfill.backfill(
                course, dry_run=dry_run, progress=ProgressBar(self.stdout, "learners")
            )
        except InvalidInput as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(
                f"Dry run: {counts['requested']} of {counts['learners']} passing learner(s) "
                "would be awarded a badge; nothing was changed."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Requested badges for {counts['requested']} of {counts['learners']} "
                    "passing learner(s); the others already had them or do not meet the "
                    "requirements."
                )
            )
