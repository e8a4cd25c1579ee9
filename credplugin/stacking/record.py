"""The learner's record as a signed CLR 2.0 ``ClrCredential`` of their current badges.

Made on request and never stored: it embeds the badges exactly as signed, relates pathway
badges to their components (``isPartOf``; ``precedes`` along an ordered pathway), and is
signed with the issuer's active key and verified before it is handed out, like a badge.
"""

import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from credplugin.exceptions import InvalidInput, NotFound, PermanentIssuanceError
from credplugin.issuer import identity, keys
from credplugin.issuing import issuance
from credplugin.models import IssuedBadge, Pathway
from credplugin.openbadges.clr import Association, build_clr, verify_clr
from credplugin.openbadges.credential import IdentityObject
from credplugin.openbadges.proof import sign_credential

# A record holds at most this many badges: signing is done in the request (about 13 ms a
# badge on the reference machine), so the work of one download stays bounded.
MAX_BADGES = 100


def current_badges(user_id):
    """The learner's active badges, oldest first (the order a record reads in)."""
    return list(
        IssuedBadge.objects.filter(user_id=user_id, status=IssuedBadge.Status.ACTIVE)
        .select_related("badge_class")
        .order_by("issued_at", "id")
    )


def associations(achievement_uuids):
    """``isPartOf`` from each component to its pathway, and ``precedes`` between consecutive
    components of an ordered pathway, for pathways among ``achievement_uuids``."""
    found = []
    pathways = Pathway.objects.filter(badge_class__achievement_uuid__in=achievement_uuids)
    for pathway in pathways.select_related("badge_class").prefetch_related(
        "components__badge_class"
    ):
        target = f"urn:uuid:{pathway.badge_class.achievement_uuid}"
        parts = [
            f"urn:uuid:{component.badge_class.achievement_uuid}"
            for component in sorted(pathway.components.all(), key=lambda c: (c.position, c.pk))
        ]
        found += [Association("isPartOf", part, target) for part in parts]
        if pathway.ordered:
            found += [
                Association("precedes", before, after)
                for before, after in zip(parts, parts[1:], strict=False)
            ]
    return found


def learner_record(user_id, *, badge_uuids=None, now=None):
    """The signed ClrCredential of the learner's current badges, or of those chosen.

    Raises:
        InvalidInput: a chosen badge is not one of the learner's current badges, or too many.
        NotFound: the learner has no current badge.
        keys.KeyUnavailable: no signing key is configured.
        PermanentIssuanceError: the signed record did not verify.
    """
    now = now or timezone.now()
    badges = current_badges(user_id)
    chosen = badges
    if badge_uuids:
        wanted = {str(value) for value in badge_uuids}
        chosen = [badge for badge in badges if str(badge.uuid) in wanted]
        if len(chosen) != len(wanted):
            raise InvalidInput(_("Choose only badges of yours that are currently valid."))
    if not chosen:
        raise NotFound(_("You have no current badge to put in a record."))
    if len(chosen) > MAX_BADGES:
        raise InvalidInput(
            _("A record holds at most {count} badges; choose fewer.").format(count=MAX_BADGES)
        )
    user = get_user_model().objects.get(pk=user_id)
    issuer = identity.issuer_profile()
    document = build_clr(
        id=f"urn:uuid:{uuid.uuid4()}",
        issuer=issuer.to_json(),
        name=_("Learner record from {issuer}").format(issuer=issuer.name),
        credentials=[badge.credential for badge in chosen],
        identifiers=[IdentityObject.for_email(user.email).to_json()] if user.email else [],
        associations=associations({badge.badge_class.achievement_uuid for badge in chosen}),
        partial=len(chosen) < len(badges),
        valid_from=now,
    )
    _key_row, signing_key = keys.active_signing_key(identity.issuer_did())
    signed = sign_credential(document, signing_key, created=now)
    report = verify_clr(signed, resolve=issuance.resolve_for_verification, now=now)
    if not report.verified:
        raise PermanentIssuanceError(
            f"The signed learner record did not verify: {report.to_json()}"
        )
    return signed
