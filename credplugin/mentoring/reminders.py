"""Reminders to mentors: work waiting past the target turnaround
(``CREDPLUGIN_MENTOR_TURNAROUND_HOURS``), once per submission and target.

The reminder goes to the learner's mentor, or, for a learner without one, to everyone who
reviews work in the course; a person who opted out (``email_mentor_reminders``) is skipped.
Sending is once whoever sends (the beat task, cron, two at once): a sender inserts its claims
(``MentorReminder``, unique per submission and target hours) with its own token, ignoring
conflicts, and sends only the rows carrying its token. Mail trouble releases the sender's
unsent claims so a later run sends them.
"""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credplugin import compat
from credplugin.conf import credplugin_settings
from credplugin.issuing.claims import insert_claims, send_claimed
from credplugin.mentoring import assignment, queue
from credplugin.mentoring.models import MentorReminder, ReviewQueueEntry
from credplugin.models import LearnerPreference

SEND_BATCH = 500


def threshold_hours():
    return int(credplugin_settings.MENTOR_TURNAROUND_HOURS)


def due(now=None, *, limit=None):
    """Waiting entries past the target and not yet claimed for it, oldest first."""
    now = now or timezone.now()
    hours = threshold_hours()
    claimed = MentorReminder.objects.filter(entry=OuterRef("pk"), threshold_hours=hours)
    entries = (
        ReviewQueueEntry.objects.filter(
            status=ReviewQueueEntry.Status.WAITING,
            submitted_at__lte=now - timedelta(hours=hours),
        )
        .exclude(Exists(claimed))
        .select_related("learner")
        .order_by("submitted_at", "pk")
    )
    return list(entries[:limit] if limit else entries)


def recipients(entries):
    """``{entry pk: [users]}``: the mentor, else the course's reviewers, minus who opted out
    or has no address."""
    by_course = {}
    for entry in entries:
        by_course.setdefault(entry.course_key, []).append(entry)
    found, people = {}, {}
    for course_key, course_entries in by_course.items():
        reviewers = assignment.course_mentors(course_key)
        people.update({user.pk: user for user in reviewers})
        mentors = assignment.mentors_of(course_key, {entry.learner_id for entry in course_entries})
        missing = set(mentors.values()) - set(people)
        people.update({user.pk: user for user in _users(missing)})
        for entry in course_entries:
            mentor = mentors.get(entry.learner_id)
            ids = [mentor] if mentor else [user.pk for user in reviewers]
            found[entry.pk] = [people[pk] for pk in ids if pk in people and pk != entry.learner_id]
    silenced = set(
        LearnerPreference.objects.filter(
            user_id__in=list(people), email_mentor_reminders=False
        ).values_list("user_id", flat=True)
    )
    return {
        pk: [user for user in users if user.email and user.pk not in silenced]
        for pk, users in found.items()
    }


def _users(ids):
    return get_user_model().objects.filter(pk__in=list(ids))


def send_due(now=None, *, limit=None, dry_run=False):
    """Claim and send the due reminders; returns ``{"due", "sent", "taken"}`` (``taken``:
    claimed by another sender first); none with ``CREDPLUGIN_SEND_EMAIL`` off. ``dry_run``
    claims and sends nothing and returns the due entries' ``(entry, recipients)`` under
    ``"would_send"``."""
    now = now or timezone.now()
    entries = due(now, limit=limit)
    if dry_run:
        to = recipients(entries)
        return {"due": len(entries), "would_send": [(entry, to[entry.pk]) for entry in entries]}
    if not credplugin_settings.SEND_EMAIL:
        return {"due": len(entries), "sent": 0, "taken": 0}
    hours = threshold_hours()
    token = uuid.uuid4()
    rows = [MentorReminder(entry=entry, threshold_hours=hours, claim=token) for entry in entries]
    won = list(
        insert_claims(MentorReminder, rows, "claim").select_related("entry__learner").order_by("pk")
    )
    sent = 0
    for start in range(0, len(won), SEND_BATCH):
        sent += _send(won[start : start + SEND_BATCH], now)
    return {"due": len(entries), "sent": sent, "taken": len(entries) - len(won)}


def _send(claims, now):
    """Send one batch over one connection; returns how many e-mails went out."""
    to = recipients([claim.entry for claim in claims])
    messages = [_message(claim.entry, user, now) for claim in claims for user in to[claim.entry.pk]]
    return send_claimed(
        MentorReminder, [claim.pk for claim in claims], messages, now, "mentor reminder(s)"
    )


def dashboard_url(course_key):
    path = reverse("credplugin:mentor-dashboard", args=[str(course_key)])
    return f"{credplugin_settings.lms_root_url}{path}"


def _message(entry, user, now):
    with translation.override(compat.user_language(user) or None):
        values = {
            "name": compat.learner_display_name(user),
            "learner_name": compat.learner_display_name(entry.learner),
            "title": entry.title or str(entry.usage_key),
            "hours": int((now - entry.submitted_at).total_seconds() // 3600),
            "target_hours": threshold_hours(),
            "url": queue.grading_url(entry),
            "dashboard_url": dashboard_url(entry.course_key),
        }
        subject = _("Work on “%(title)s” has waited %(hours)d hours for review") % values
        body = render_to_string("credplugin/email/mentor_reminder.txt", values)
    return EmailMessage(subject, body, to=[user.email])


def set_reminders(user_id, enabled):
    """A mentor's choice to be e-mailed about work waiting past the target."""
    LearnerPreference.objects.update_or_create(
        user_id=user_id, defaults={"email_mentor_reminders": bool(enabled)}
    )
    return bool(enabled)


def reminders_enabled(user_id):
    return not LearnerPreference.objects.filter(
        user_id=user_id, email_mentor_reminders=False
    ).exists()
