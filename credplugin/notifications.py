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
from credplugin.models import IssuedBadge, LearnerPreference

log = logging.getLogger(__name__)


def wants_award_email(user_id):
    preference = LearnerPreference.objects.filter(user_id=user_id).first()
    return preference is None or preference.email_on_award


def send_award_email(badge_pk):
    """E-mail the learner about one new badge; returns True when a message was sent."""
    try:
        issued = IssuedBadge.objects.select_related("user", "badge_class").get(pk=badge_pk)
        if not (credplugin_settings.SEND_EMAIL and issued.user.email):
            return False
        if not wants_award_email(issued.user_id):
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
        log.exception("credplugin could not e-mail the learner about badge %s", badge_pk)
        return False
    return True
