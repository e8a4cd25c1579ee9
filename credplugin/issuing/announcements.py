"""openedx-events the plugin sends: ``BADGE_AWARDED`` and ``BADGE_REVOKED``.

Sent from ``transaction.on_commit`` so listeners never hear of a badge that was rolled back. A
failure to send is logged and never undoes the award.
"""

import logging

from openedx_events.learning.data import (
    BadgeData,
    BadgeTemplateData,
    UserData,
    UserPersonalData,
)
from openedx_events.learning.signals import BADGE_AWARDED, BADGE_REVOKED

from credplugin.compat import learner_display_name
from credplugin.models import IssuedBadge

log = logging.getLogger(__name__)
ORIGIN = "credplugin"


def badge_data(issued):
    user = issued.user
    badge_class = issued.badge_class
    return BadgeData(
        uuid=str(issued.uuid),
        user=UserData(
            id=user.id,
            is_active=user.is_active,
            pii=UserPersonalData(
                username=user.get_username(),
                email=user.email,
                name=learner_display_name(user),
            ),
        ),
        template=BadgeTemplateData(
            uuid=str(badge_class.uuid),
            origin=ORIGIN,
            name=badge_class.name,
            description=badge_class.description,
            image_url=badge_class.image_url,
        ),
    )


def _send(signal, issued):
    try:
        signal.send_event(badge=badge_data(issued))
    except Exception:  # an event listener's failure must not undo or repeat an award
        log.exception("credplugin could not send %s for badge %s", signal.event_type, issued.uuid)


def send_badge_awarded(issued):
    """``issued``: an ``IssuedBadge`` with its user and badge class loaded."""
    _send(BADGE_AWARDED, issued)


def send_badge_revoked(badge_pk):
    issued = IssuedBadge.objects.select_related("user", "badge_class").defer("credential")
    _send(BADGE_REVOKED, issued.get(pk=badge_pk))
