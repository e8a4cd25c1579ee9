"""The e-mails a learner gets when a badge is awarded or renewed and at pathway milestones;
translatable, and the learner may opt out of each (a renewal is an award of the badge's next
version, so the award e-mails' choice covers it).

Sent after the award commits. Mail trouble is logged and never undoes the award: the badge is
on the learner's badge page either way.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from credplugin.compat import learner_display_name
from credplugin.conf import credplugin_settings
from credplugin.issuer import identity
from credplugin.models import LearnerPreference
from credplugin.presentation.language import shown_language

log = logging.getLogger(__name__)


def _opted_out(user_ids):
    """Which of these learners asked not to be e-mailed about awards."""
    return set(
        LearnerPreference.objects.filter(
            user_id__in=list(user_ids), email_on_award=False
        ).values_list("user_id", flat=True)
    )


def send_award_emails(issued_badges):
    """E-mail each learner about their new badge, unless they opted out, over one mail
    connection; returns how many messages were sent.

    ``issued_badges``: ``IssuedBadge`` rows with user and badge class loaded. One connection per
    batch, since an SMTP server would otherwise be dialled (and TLS negotiated) once per badge.
    """
    if not credplugin_settings.SEND_EMAIL:
        return 0
    opted_out = _opted_out(issued.user_id for issued in issued_badges)
    messages = []
    for issued in issued_badges:
        if issued.user.email and issued.user_id not in opted_out:
            message = _award_message(issued)
            if message is not None:
                messages.append(message)
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # mail trouble must not undo or repeat an award
        log.exception("credplugin could not e-mail %d learner(s) about their badges", len(messages))
        return 0


def badge_context(badge, **extra):
    """What every e-mail about a badge names: the learner, the badge, its issuer and pages;
    ``extra`` adds the e-mail's own entries. ``badge``: an ``IssuedBadge`` with user and badge
    class loaded."""
    return {
        "learner_name": learner_display_name(badge.user),
        "badge_name": badge.badge_class.name,
        "issuer_name": credplugin_settings.issuer_name,
        "badge_url": identity.badge_page_url(badge.uuid),
        "badges_url": identity.public_url("my-badges"),
        **extra,
    }


def _award_message(issued):
    """The e-mail about one new badge, in the badge's language; None if it cannot be written."""
    try:
        with translation.override(issued.badge_class.language or None):
            context = badge_context(
                issued,
                badge_description=issued.badge_class.description,
                badge_image_url=identity.public_url("badge-png", badge_uuid=str(issued.uuid)),
                valid_until=issued.valid_until,
            )
            subject = _("You earned the badge “%(badge)s”") % {"badge": issued.badge_class.name}
            return message(subject, "credplugin/email/badge_awarded_body", context, issued.user)
    except Exception:  # one unwritable message must not stop the others
        log.exception("credplugin could not write the e-mail about badge %s", issued.uuid)
        return None


def send_renewed_email(badge):
    """E-mail the holder that ``badge`` (an ``IssuedBadge`` with user and badge class loaded,
    just renewed) has a new version, unless they opted out of award e-mails; returns whether a
    message was sent. Mail trouble is logged and never undoes the renewal."""
    if not credplugin_settings.SEND_EMAIL or not badge.user.email:
        return False
    if _opted_out([badge.user_id]):
        return False
    try:
        with translation.override(badge.badge_class.language or None):
            context = badge_context(badge, valid_until=badge.valid_until, awarded=badge.issued_at)
            subject = _("Your badge “%(badge)s” was renewed") % {"badge": badge.badge_class.name}
            email = message(subject, "credplugin/email/badge_renewed_body", context, badge.user)
        email.send()
    except Exception:  # mail trouble must not undo a renewal
        log.exception("credplugin could not e-mail the holder of renewed badge %s", badge.uuid)
        return False
    return True


def message(subject, template, context, user):
    """An e-mail to ``user`` in text and HTML, from ``<template>.txt`` and ``<template>.html``.

    The HTML declares the language its words are in (``LANGUAGE_CODE``): mail is rendered
    without a request, so no context processor supplies it.
    """
    context = {"LANGUAGE_CODE": shown_language(translation.get_language()), **context}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    email = EmailMultiAlternatives(subject, text, to=[user.email])
    email.attach_alternative(html, "text/html")
    return email


def send_pathway_milestone(user_id, badge_class, percent, earned, required):
    """E-mail the learner that they reached ``percent`` of the pathway awarding
    ``badge_class``, unless they opted out; returns whether a message was sent."""
    if not credplugin_settings.SEND_EMAIL:
        return False
    if LearnerPreference.objects.filter(user_id=user_id, email_on_pathway_progress=False).exists():
        return False
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    try:
        with translation.override(badge_class.language or None):
            context = {
                "learner_name": learner_display_name(user),
                "pathway_name": badge_class.name,
                "percent": percent,
                "earned": earned,
                "required": required,
                "pathway_url": identity.public_url(
                    "pathway-page", badge_class_uuid=str(badge_class.uuid)
                ),
                "badges_url": identity.public_url("my-badges"),
            }
            subject = _("You are %(percent)s%% of the way to “%(pathway)s”") % {
                "percent": percent,
                "pathway": badge_class.name,
            }
            text = render_to_string("credplugin/email/pathway_milestone_body.txt", context)
        EmailMultiAlternatives(subject, text, to=[user.email]).send()
    except Exception:  # mail trouble must not undo an award
        log.exception("credplugin could not e-mail learner %s about a pathway milestone", user_id)
        return False
    return True
