"""Verify a stored badge (by uuid) or a credential file against this site's keys and lists."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credplugin import api
from credplugin.conf import credplugin_settings
from credplugin.models import IssuedBadge
from credplugin.openbadges import unbake_png, unbake_svg
from credplugin.openbadges.report import THIS_SITE, TRUSTED, issuer_standing
from credplugin.openbadges.verify import verify_credential
from credplugin.presentation.verdicts import badge_of_credential_id, count_verification


class Command(BaseCommand):
    help = "Verify an issued badge by uuid, or a credential file (.json, baked .png or .svg)."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--uuid", help="An issued badge's uuid.")
        source.add_argument("--file", type=Path, help="A credential JSON, PNG or SVG file.")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the report as JSON."
        )

    def handle(self, *args, uuid, file, as_json, **options):
        credential = self._stored(uuid) if uuid else self._read(file)
        report = verify_credential(credential, resolve=_resolver)
        if as_json:
            self.stdout.write(json.dumps(report.to_json(), indent=2))
        else:
            for check in report.checks:
                mark = "ok  " if check.passed else "FAIL"
                self.stdout.write(f"{mark} {check.name}: {check.reason}")
        if not report.verified:
            raise CommandError(f"The badge does not verify: {report.first_failure.reason}")
        if as_json:
            return
        standing = issuer_standing(
            report, own={api.issuer_did()}, trusted=set(credplugin_settings.TRUSTED_ISSUERS)
        )
        issuer = report.facts.issuer_id
        if standing == THIS_SITE:
            count_verification(badge_of_credential_id(report.facts.credential_id))
            self.stdout.write(self.style.SUCCESS("The badge verifies: issued by this site."))
        elif standing == TRUSTED:
            message = f"The badge verifies: issued by {issuer}, a trusted issuer."
            self.stdout.write(self.style.SUCCESS(message))
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"The signature is intact, but {issuer} is neither this site nor an issuer "
                    "in CREDPLUGIN_TRUSTED_ISSUERS: nothing shows who controls its key."
                )
            )

    def _stored(self, badge_uuid):
        try:
            return IssuedBadge.objects.get(uuid=badge_uuid).credential
        except (IssuedBadge.DoesNotExist, ValueError) as error:
            raise CommandError(f"No issued badge has the uuid {badge_uuid!r}.") from error

    def _read(self, path):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}.") from error
        try:
            if data.startswith(b"\x89PNG"):
                return unbake_png(data)
            if path.suffix.lower() == ".svg":
                return unbake_svg(data)
            return json.loads(data)
        except (ValueError, RecursionError) as error:
            raise CommandError(f"{path} holds no readable credential: {error}") from error


def _resolver(reference):
    """This site's documents from the database; anything else is refused, not fetched."""
    try:
        return api.resolve_for_verification(reference)
    except api.NotFound as error:
        raise LookupError(str(error)) from error
