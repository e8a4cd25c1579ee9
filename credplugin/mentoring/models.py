"""What mentoring adds to the database: the review queue, mentor assignments, reminder claims.

Imported by ``credplugin.models`` so Django registers them in the ``credplugin`` app.

The assessment block reports each submission's lifecycle through ``credplugin.api``; the queue
is the plugin's own record of it, so the mentor dashboard, the outcomes figures and reminders
never read the block's storage (docs/decisions/0023-mentor-queue.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credplugin.keyfields import CourseKeyField, UsageKeyField


class ReviewQueueEntry(models.Model):
    """One submission of work to an assessment block, from its arrival to a mentor's decision."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for review")
        REVIEWED = "reviewed", _("reviewed")
        SUPERSEDED = "superseded", _("replaced by newer work")

    class Decision(models.TextChoices):
        GRADED = "graded", _("graded")
        REVISION_REQUESTED = "revision_requested", _("revision requested")

    submission_uuid = models.UUIDField(unique=True)
    course_key = CourseKeyField(max_length=255)
    usage_key = UsageKeyField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    submitted_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    decision = models.CharField(max_length=24, choices=Decision.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review queue entry")
        verbose_name_plural = _("review queue")
        indexes = [
            models.Index(
                fields=["course_key", "status", "submitted_at"], name="credplugin_queue_waiting"
            ),
            models.Index(fields=["usage_key", "reviewed_at"], name="credplugin_queue_decided"),
            models.Index(fields=["status", "submitted_at"], name="credplugin_queue_overdue"),
        ]

    def __str__(self):
        return f"{self.usage_key} {self.learner_id} {self.status}"


class MentorAssignment(models.Model):
    """A mentor who reviews one learner's work, or a whole cohort's, in one course run.

    Exactly one of ``learner`` and ``cohort`` is set (``assignment.py`` writes every row; a
    check constraint would be written differently by Django 4.2 and 5.2). A learner's own
    assignment wins over their cohort's.
    """

    course_key = CourseKeyField(max_length=255)
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    # NULL, not "", on learner rows: they must not collide on the unique (course, cohort).
    cohort = models.CharField(_("cohort"), max_length=255, null=True, blank=True)  # noqa: DJ001
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["course_key", "learner"], name="credplugin_one_mentor_per_learner"
            ),
            models.UniqueConstraint(
                fields=["course_key", "cohort"], name="credplugin_one_mentor_per_cohort"
            ),
        ]

    def __str__(self):
        whom = f"cohort {self.cohort}" if self.cohort is not None else f"learner {self.learner_id}"
        return f"{self.course_key}: {whom} → {self.mentor_id}"


class MentorReminder(models.Model):
    """The claim on the reminder that one submission waited past ``threshold_hours``.

    Unique per submission and threshold: concurrent senders each insert their claims with
    their own ``claim`` token, ignoring conflicts, and send only the rows they won.
    """

    entry = models.ForeignKey(ReviewQueueEntry, related_name="+", on_delete=models.CASCADE)
    threshold_hours = models.PositiveIntegerField()
    claim = models.UUIDField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "threshold_hours"], name="credplugin_mentor_remind_once"
            )
        ]

    def __str__(self):
        return f"{self.entry_id} +{self.threshold_hours}h"
