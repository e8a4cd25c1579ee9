"""What peer review adds to the database: the pool of submissions, reviews, calibration
attempts and excluded reviewers.

Imported by ``credplugin.models`` so Django registers them in the ``credplugin`` app.

``PeerSubmission.claimed`` counts the reviews given plus the leases still held, and is only
changed under the row's lock (or by a single conditional ``UPDATE``), so however many
reviewers ask at once no submission is handed out more than ``required_reviews`` times.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credplugin.keyfields import CourseKeyField, UsageKeyField

IN_PEER_REVIEW = "peer"
PEERS_DONE = "peers_done"
NEEDS_MENTOR = "mentor"
CLOSED = "closed"
# How the block forms the result (its ``peer_result_mode`` when the work was submitted).
PEER_MEDIAN = "peer_median"
MENTOR_DECIDES = "mentor"
PEER_CONFIRMED = "peer_confirmed"
FLEXIBLE = "flexible"
TO_MENTOR = "mentor"
FALLBACKS = ((FLEXIBLE, _("judge on the reviews given")), (TO_MENTOR, _("send to a mentor")))
RESULT_MODES = (
    (PEER_MEDIAN, _("peer median")),
    (MENTOR_DECIDES, _("mentor decision")),
    (PEER_CONFIRMED, _("peer median confirmed by a mentor")),
)
STATES = (
    (IN_PEER_REVIEW, _("in peer review")),
    (PEERS_DONE, _("peer reviews complete")),
    (NEEDS_MENTOR, _("waiting for a mentor")),
    (CLOSED, _("decided")),
)


class PeerSubmission(models.Model):
    """One learner's submission in a block's peer pool, with the rubric it was submitted to."""

    submission_uuid = models.CharField(max_length=36, unique=True)
    course_key = CourseKeyField(max_length=255)
    usage_key = UsageKeyField(max_length=255)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    rubric = models.JSONField(default=dict)
    required_reviews = models.PositiveSmallIntegerField()
    claimed = models.PositiveSmallIntegerField(default=0)
    review_count = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=16, choices=STATES, default=IN_PEER_REVIEW)
    created = models.DateTimeField(default=timezone.now)
    # What the mentors' review queue shows once a mentor is needed (see ``handoff``).
    title = models.CharField(max_length=255, blank=True, default="")
    result_mode = models.CharField(max_length=16, choices=RESULT_MODES, default=PEER_MEDIAN)
    # When the periodic sweep unblocks the work if it is still in peer review (None: never),
    # and how: the block's unblocking settings when the work was submitted.
    unblock_at = models.DateTimeField(null=True, blank=True)
    fallback = models.CharField(max_length=16, choices=FALLBACKS, default=FLEXIBLE)
    # How many reviews the author owes the block (its ``peer_must_grade``), for reminders.
    must_grade = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("peer-reviewed submission")
        indexes = [
            models.Index(
                fields=["usage_key", "state", "claimed", "created"], name="credplugin_peer_queue"
            ),
            models.Index(fields=["usage_key", "author"], name="credplugin_peer_author"),
            models.Index(fields=["state", "unblock_at"], name="credplugin_peer_unblock"),
        ]

    def __str__(self):
        return f"{self.submission_uuid} {self.review_count}/{self.required_reviews}"


class PeerReview(models.Model):
    """A lease on a submission, then (once ``completed``) the reviewer's levels and feedback.

    A lease past ``lease_expires`` without a review is ``released``; the reviewer is never
    handed that submission again. ``excluded`` reviews (their reviewer was excluded by staff)
    no longer count.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(PeerSubmission, related_name="reviews", on_delete=models.CASCADE)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    leased_at = models.DateTimeField(default=timezone.now)
    lease_expires = models.DateTimeField()
    released = models.BooleanField(default=False)
    completed = models.DateTimeField(null=True, blank=True)
    levels = models.JSONField(default=dict, blank=True)
    feedback = models.TextField(blank=True)
    helpfulness = models.PositiveSmallIntegerField(null=True, blank=True)
    excluded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("peer review")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="credplugin_one_review_per_reviewer"
            )
        ]
        indexes = [
            models.Index(fields=["reviewer", "completed"], name="credplugin_peer_reviewer"),
            models.Index(
                fields=["completed", "released", "lease_expires"], name="credplugin_lease"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer_id} → {self.submission_id}"


class CalibrationAttempt(models.Model):
    """A learner's levels for one staff-scored example, and whether they were close enough."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    usage_key = UsageKeyField(max_length=255)
    example_id = models.CharField(max_length=100)
    levels = models.JSONField(default=dict)
    close_enough = models.BooleanField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calibration attempt")
        indexes = [models.Index(fields=["user", "usage_key", "example_id", "-created"])]

    def __str__(self):
        return f"{self.user_id} {self.example_id} {self.close_enough}"


class ExcludedReviewer(models.Model):
    """A reviewer staff excluded from a course's peer review; their reviews stop counting."""

    course_key = CourseKeyField(max_length=255)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    reason = models.CharField(max_length=500)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("excluded peer reviewer")
        constraints = [
            models.UniqueConstraint(
                fields=["course_key", "reviewer"], name="credplugin_exclude_once"
            )
        ]

    def __str__(self):
        return f"{self.reviewer_id} in {self.course_key}"


class PeerReminder(models.Model):
    """The claim on reminding one learner, once per block and threshold, of reviews they owe.

    Concurrent senders each insert their claims with their own ``claim`` token, ignoring
    conflicts on the unique key, and e-mail only the rows they won.
    """

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    usage_key = UsageKeyField(max_length=255)
    threshold_hours = models.PositiveIntegerField()
    claim = models.UUIDField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer review reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "usage_key", "threshold_hours"],
                name="credplugin_peer_remind_once",
            )
        ]

    def __str__(self):
        return f"{self.reviewer_id} {self.usage_key} +{self.threshold_hours}h"
