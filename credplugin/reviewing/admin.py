"""Peer review in the Django admin, read-only: changes go through the block (staff grade,
exclude a reviewer), where the counts that keep hand-outs fair are kept consistent."""

from django.contrib import admin

from credplugin.admin import ReadOnlyAdmin
from credplugin.models import (
    CalibrationAttempt,
    ExcludedReviewer,
    PeerReminder,
    PeerReview,
    PeerSubmission,
)


@admin.register(PeerSubmission)
class PeerSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("submission_uuid", "usage_key", "state", "review_count", "required_reviews")
    list_filter = ("state",)
    search_fields = ("submission_uuid", "author__username")


@admin.register(PeerReview)
class PeerReviewAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "submission", "reviewer", "completed", "released", "excluded")
    list_filter = ("released", "excluded")
    search_fields = ("uuid", "reviewer__username", "submission__submission_uuid")


@admin.register(CalibrationAttempt)
class CalibrationAttemptAdmin(ReadOnlyAdmin):
    list_display = ("user", "usage_key", "example_id", "close_enough", "created")
    list_filter = ("close_enough",)


@admin.register(ExcludedReviewer)
class ExcludedReviewerAdmin(ReadOnlyAdmin):
    list_display = ("reviewer", "course_key", "reason", "excluded_by", "created")
    search_fields = ("reviewer__username",)


@admin.register(PeerReminder)
class PeerReminderAdmin(ReadOnlyAdmin):
    list_display = ("reviewer", "usage_key", "threshold_hours", "sent_at")
    search_fields = ("reviewer__username",)
