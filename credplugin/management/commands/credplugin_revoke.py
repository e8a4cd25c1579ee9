"""Revoke (or suspend, or reinstate) one issued badge from the shell, with a reason."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from credplugin import api


class Command(BaseCommand):
    help = "Revoke, suspend or reinstate an issued badge by uuid, recording the reason."

    def add_arguments(self, parser):
        parser.add_argument("badge_uuid")
        parser.add_argument("--reason", required=True, help="Shown to verifiers and recorded.")
        parser.add_argument("--actor", help="Username of the operator acting (recorded).")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--suspend", action="store_true", help="Suspend instead of revoking.")
        mode.add_argument("--reinstate", action="store_true", help="Lift a suspension.")
        parser.add_argument(
            "--block-reaward",
            action="store_true",
            help="Revoke for good: passing again does not earn the badge anew.",
        )

    def handle(self, *args, badge_uuid, reason, actor, suspend, reinstate, block_reaward, **opts):
        actor_id = None
        if actor:
            user = get_user_model().objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"No user is called {actor!r}.")
            actor_id = user.id
        if not reason.strip():
            raise CommandError("A reason is required.")
        try:
            if suspend:
                badge = api.suspend_badge(badge_uuid, reason=reason, actor_id=actor_id)
            elif reinstate:
                badge = api.reinstate_badge(badge_uuid, reason=reason, actor_id=actor_id)
            else:
                badge = api.revoke_badge(
                    badge_uuid, reason=reason, actor_id=actor_id, block_reaward=block_reaward
                )
        except api.CredPluginError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Badge {badge['uuid']} is now {badge['status']}."))
