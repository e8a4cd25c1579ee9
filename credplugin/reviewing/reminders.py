"""Reminders to learners who owe peer reviews: they submitted to a block with a peer step
``CREDPLUGIN_PEER_REMINDER_HOURS`` ago or more, have completed fewer reviews there than the
block asks (``must_grade``) and work is waiting that could be handed to them.

Each learner is reminded at most once per block and threshold, whoever sends (the periodic
peer sweep from beat or cron, two at once): a sender inserts its claims (``PeerReminder``,
unique per learner, block and threshold) with its own token through
:func:`credplugin.issuing.claims.insert_claims` and e-mails only the rows it won. Mail trouble
releases the sender's unsent claims so a later run sends them. Learners who opted out
(``email_peer_reminders``, a choice in the block) or were excluded from peer review are skipped.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credplugin.compat import learner_display_name, user_language
from credplugin.conf import credplugin_settings
from credplugin.issuing.claims import insert_claims, send_claimed
from credplugin.mail.assessment_reviews import assessment_url
from credplugin.mail.badge_awarded import message
from credplugin.models import LearnerPreference
from credplugin.presentation.language import shown_language

from .models import IN_PEER_REVIEW, ExcludedReviewer, PeerReminder, PeerReview, PeerSubmission


def threshold_hours():
    return int(credplugin_settings.PEER_REMINDER_HOURS)


def _work_available():
    """Work in the same block still short of reviews, not the learner's, never handed them."""
    seen = PeerReview.objects.filter(
        reviewer_id=OuterRef(OuterRef("author_id")), submission_id=OuterRef("pk")
    )
    return Exists(
        PeerSubmission.objects.filter(
            usage_key=OuterRef("usage_key"),
            state=IN_PEER_REVIEW,
            claimed__lt=F("required_reviews"),
        )
        .exclude(author_id=OuterRef("author_id"))
        .exclude(Exists(seen))
    )


def due(now=None):
    """The newest submission in the block of every learner who owes reviews past the
    threshold and has not been claimed for it, oldest first, annotated with ``given``."""
    now = now or timezone.now()
    hours = threshold_hours()
    newer = PeerSubmission.objects.filter(
        usage_key=OuterRef("usage_key"), author_id=OuterRef("author_id"), pk__gt=OuterRef("pk")
    )
    claimed = PeerReminder.objects.filter(
        reviewer_id=OuterRef("author_id"), usage_key=OuterRef("usage_key"), threshold_hours=hours
    )
    excluded = ExcludedReviewer.objects.filter(
        course_key=OuterRef("course_key"), reviewer_id=OuterRef("author_id")
    )
    given = (
        PeerReview.objects.filter(
            reviewer_id=OuterRef("author_id"),
            submission__usage_key=OuterRef("usage_key"),
            completed__isnull=False,
        )
        .order_by()
        .values("reviewer_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        PeerSubmission.objects.filter(must_grade__gt=0, created__lte=now - timedelta(hours=hours))
        .exclude(Exists(newer))
        .exclude(Exists(claimed))
        .exclude(Exists(excluded))
        .annotate(given=Coalesce(Subquery(given), 0))
        .filter(given__lt=F("must_grade"))
        .filter(_work_available())
        .select_related("author")
        .order_by("created", "pk")
    )


def _silenced(user_ids):
    return set(
        LearnerPreference.objects.filter(
            user_id__in=list(user_ids), email_peer_reminders=False
        ).values_list("user_id", flat=True)
    )


def send_due(now=None):
    """Claim and send the due reminders; returns ``{"due", "sent", "taken"}`` (``taken``:
    claimed by another sender first). Nothing with ``CREDPLUGIN_SEND_EMAIL`` off."""
    now = now or timezone.now()
    owing = due(now)
    if not credplugin_settings.SEND_EMAIL or not owing:
        return {"due": len(owing), "sent": 0, "taken": 0}
    hours, token = threshold_hours(), uuid.uuid4()
    won = list(
        insert_claims(
            PeerReminder,
            [
                PeerReminder(
                    reviewer_id=submission.author_id,
                    usage_key=submission.usage_key,
                    threshold_hours=hours,
                    claim=token,
                )
                for submission in owing
            ],
            "claim",
        ).values_list("pk", "reviewer_id", "usage_key")
    )
    by_learner = {(submission.author_id, submission.usage_key): submission for submission in owing}
    silenced = _silenced(reviewer_id for _pk, reviewer_id, _usage in won)
    messages = [
        _message(by_learner[(reviewer_id, usage_key)])
        for _pk, reviewer_id, usage_key in won
        if reviewer_id not in silenced and by_learner[(reviewer_id, usage_key)].author.email
    ]
    claim_ids = [pk for pk, _reviewer, _usage in won]
    sent = send_claimed(PeerReminder, claim_ids, messages, now, "peer review reminder(s)")
    return {"due": len(owing), "sent": sent, "taken": len(owing) - len(won)}


def _message(submission):
    learner = submission.author
    with translation.override(shown_language(user_language(learner) or settings.LANGUAGE_CODE)):
        values = {
            "name": learner_display_name(learner),
            "title": submission.title or str(submission.usage_key),
            "owed": submission.must_grade - submission.given,
            "url": assessment_url(submission.course_key, submission.usage_key),
        }
        subject = _("Your peers are waiting for your reviews in “%(title)s”") % values
        return message(subject, "credplugin/email/peer_reminder", values, learner)
