"""A badge's state from its stored status and expiry, for lists where verifying each is waste.

Public pages verify live (see ``verdicts``); lists of a learner's own badges read the state
the database records, which the same revocation and suspension calls keep current.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credplugin.models import IssuedBadge

ACTIVE = "active"
EXPIRED = "expired"

STATE_LABELS = {
    ACTIVE: _("Active"),
    EXPIRED: _("Expired"),
    IssuedBadge.Status.SUSPENDED: _("Suspended"),
    IssuedBadge.Status.REVOKED: _("Revoked"),
}


def badge_state(badge, now=None):
    """``active``, ``expired``, ``suspended`` or ``revoked``; a status outranks expiry."""
    if badge.status != IssuedBadge.Status.ACTIVE:
        return str(badge.status)
    now = now or timezone.now()
    if badge.valid_until is not None and badge.valid_until <= now:
        return EXPIRED
    return ACTIVE
