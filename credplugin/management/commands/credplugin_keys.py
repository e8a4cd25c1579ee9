"""Manage the issuer's signing keys: generate, rotate, list, export-public.

Private keys never leave this command except encrypted into the database; ``list`` and
``export-public`` print public keys only.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from credplugin.exceptions import CredPluginError, NotFound
from credplugin.issuer import identity, keys
from credplugin.issuing import issuance
from credplugin.models import IssuanceRequest, IssuerKey


class Command(BaseCommand):
    help = "Generate, rotate, list or export the public half of the badge signing keys."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "generate", help="Create the first signing key (refused if one is active)."
        )
        actions.add_parser(
            "rotate", help="Create a new key and retire the active one (it stays published)."
        )
        actions.add_parser("list", help="List keys: public key, source, active, dates.")
        export = actions.add_parser(
            "export-public", help="Print the issuer DID document (or one key as a Multikey)."
        )
        export.add_argument("--multibase", action="store_true", help="Only the active key.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action.replace('-', '_')}")(**options)
        except CredPluginError as error:
            raise CommandError(str(error)) from error

    def _generate(self, **options):
        self._report(keys.generate(rotate=False), "Generated")

    def _rotate(self, **options):
        self._report(keys.generate(rotate=True), "Rotated to")

    def _report(self, row, verb):
        self.stdout.write(self.style.SUCCESS(f"{verb} signing key {row.public_key_multibase}"))
        waiting = IssuanceRequest.objects.filter(status=IssuanceRequest.Status.WAITING).count()
        if waiting:
            self.stdout.write(
                f"{waiting} award(s) waited for a key; run 'manage.py credplugin_sweep' "
                "(or wait for the scheduled sweep) to issue them."
            )

    def _list(self, **options):
        rows = IssuerKey.objects.order_by("-active", "-created")
        if not rows:
            self.stdout.write("No signing keys. Run: manage.py credplugin_keys generate")
        for row in rows:
            state = "active" if row.active else f"retired {row.retired_at:%Y-%m-%d}"
            self.stdout.write(
                f"{row.public_key_multibase}  {row.source:<11}  {state:<18}  "
                f"created {row.created:%Y-%m-%d %H:%M}"
            )

    def _export_public(self, multibase=False, **options):
        if multibase:
            active = IssuerKey.objects.filter(active=True).first()
            if active is None:
                raise CommandError("There is no active signing key.")
            self.stdout.write(active.public_key_multibase)
            return
        try:
            document = issuance.issuer_did_document()
        except NotFound as error:
            raise CommandError(f"{error} ({identity.issuer_did()})") from error
        self.stdout.write(json.dumps(document, indent=2))
