"""The e-mail a learner gets when a badge is awarded; translatable, and the learner may opt out.

Sent after the award commits. Mail trouble is logged and never undoes the award: the badge is
on the learner's badge page either way.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from credplugin import identity
from credplugin.compat import learner_display_name
from credplugin.conf import credplugin_settings
from credplugin.models import LearnerPreference

log = logging.getLogger(__name__)


def opted_out(user_ids):
    """Which of these learners asked not to be e-mailed about awards."""
    return set(
        LearnerPreference.objects.filter(
            user_id__in=list(user_ids), email_on_award=False
        ).values_list("user_id", flat=True)
    )


def send_award_email(issued, *, learner_opted_out):
    """E-mail the learner about one new badge; returns True when a message was sent.

    ``issued``: an ``IssuedBadge`` with its user and badge class loaded.
    """
    try:
        if not (credplugin_settings.SEND_EMAIL and issued.user.email) or learner_opted_out:
            return False
        with translation.override(issued.badge_class.language or None):
            context = {
                "learner_name": learner_display_name(issued.user),
                "badge_name": issued.badge_class.name,
                "badge_description": issued.badge_class.description,
                "issuer_name": credplugin_settings.issuer_name,
                "badge_url": identity.badge_page_url(issued.uuid),
                "badges_url": identity.public_url("my-badges"),
                "valid_until": issued.valid_until,
            }
            subject = _("You earned the badge “%(badge)s”") % {"badge": issued.badge_class.name}
            text = render_to_string("credplugin/email/badge_awarded_body.txt", context)
            html = render_to_string("credplugin/email/badge_awarded_body.html", context)
        message = EmailMultiAlternatives(subject, text, to=[issued.user.email])
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:  # mail trouble must not undo or repeat an award
        log.exception("credplugin could not e-mail the learner about badge %s", issued.uuid)
        return False
    return True
