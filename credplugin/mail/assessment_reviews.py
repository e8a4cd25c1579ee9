"""E-mail about assessment reviews: course staff hear of new submissions, learners of a grade
or a revision asked for. Translatable, sent after the decision commits, each person may opt out.

A message is in plain text with an HTML alternative, written in its reader's language (the
LMS ``pref-lang``, else the site's) when credplugin is translated into it, otherwise in
English. It links to the assessment in the course, where the reader also turns these e-mails
off. Mail trouble is logged and never undoes the decision.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from credplugin.compat import course_staff_users, learner_display_name, user_language
from credplugin.conf import credplugin_settings
from credplugin.issuing import queue
from credplugin.mail.badge_awarded import message
from credplugin.models import LearnerPreference
from credplugin.presentation.language import shown_language

log = logging.getLogger(__name__)

GRADED = "graded"
REVISION_REQUESTED = "revision_requested"
SUBMITTED = "submitted"
KINDS = (GRADED, REVISION_REQUESTED, SUBMITTED)
# Which preference silences which e-mail.
OPT_OUT_FIELD = {
    GRADED: "email_on_review",
    REVISION_REQUESTED: "email_on_review",
    SUBMITTED: "email_on_submission",
}


def assessment_url(course_key, usage_key):
    """The block in the LMS courseware (``jump_to`` finds its unit)."""
    return f"{credplugin_settings.lms_root_url}/courses/{course_key}/jump_to/{usage_key}"


def schedule(kind, *, course_key, usage_key, title, learner_id, passed=None):
    """Send the e-mail about ``kind`` once the current transaction commits (never before the
    decision is stored, never when it rolls back)."""
    context = {
        "kind": kind,
        "course_key": str(course_key),
        "usage_key": str(usage_key),
        "title": title,
        "learner_id": learner_id,
        "passed": passed,
    }
    transaction.on_commit(partial(queue.enqueue, "send_assessment_email_task", context))


def recipients(kind, course_key, learner_id):
    """The users to e-mail about ``kind``, without anyone who opted out or has no address."""
    if kind == SUBMITTED:
        users = [user for user in course_staff_users(course_key) if user.pk != learner_id]
    else:
        users = list(get_user_model().objects.filter(pk=learner_id))
    silenced = set(
        LearnerPreference.objects.filter(
            user_id__in=[user.pk for user in users], **{OPT_OUT_FIELD[kind]: False}
        ).values_list("user_id", flat=True)
    )
    return [user for user in users if user.email and user.pk not in silenced]


def send(context):
    """Write and send the e-mails ``context`` (from :func:`schedule`) asks for; returns how many
    were sent."""
    if not credplugin_settings.SEND_EMAIL or context["kind"] not in KINDS:
        return 0
    learner = get_user_model().objects.filter(pk=context["learner_id"]).first()
    if learner is None:
        return 0
    messages = [
        _message(user, learner, context)
        for user in recipients(context["kind"], context["course_key"], learner.pk)
    ]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # mail trouble must not undo a review
        log.exception("credplugin could not send %d assessment e-mail(s)", len(messages))
        return 0


def _message(user, learner, context):
    with translation.override(shown_language(user_language(user) or settings.LANGUAGE_CODE)):
        values = {
            "name": learner_display_name(user),
            "learner_name": learner_display_name(learner),
            "title": context["title"],
            "passed": context["passed"],
            "url": assessment_url(context["course_key"], context["usage_key"]),
        }
        values["subject"] = {
            GRADED: _("Your work on “%(title)s” was graded"),
            REVISION_REQUESTED: _("Your mentor asks for a revision of “%(title)s”"),
            SUBMITTED: _("New work to review in “%(title)s”"),
        }[context["kind"]] % {"title": context["title"]}
        return message(
            values["subject"], f"credplugin/email/assessment_{context['kind']}", values, user
        )


CHOICES = ("email_on_review", "email_on_submission", "email_peer_reminders")


def set_preferences(user_id, **choices):
    """Store a person's opt-outs (``CHOICES``, None: unchanged); returns every value as it
    now stands."""
    preference, _created = LearnerPreference.objects.get_or_create(user_id=user_id)
    changes = {
        name: value for name, value in choices.items() if name in CHOICES and value is not None
    }
    for name, value in changes.items():
        setattr(preference, name, bool(value))
    if changes:
        preference.save(update_fields=list(changes))
    return preferences(user_id)


def preferences(user_id):
    preference = LearnerPreference.objects.filter(user_id=user_id).first()
    return {name: getattr(preference, name) if preference else True for name in CHOICES}
