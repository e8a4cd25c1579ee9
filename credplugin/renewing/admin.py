"""Admin for renewals: the blocks that renew badges, the renewal outbox, every signed version
and the reminders sent. All are records the plugin writes; operators renew a badge from the
issued badges' admin action, which goes through ``credplugin.api``."""

from django.contrib import admin

from credplugin.admin import ReadOnlyAdmin
from credplugin.models import CredentialVersion, RenewalAssessment, RenewalReminder, RenewalRequest


@admin.register(RenewalAssessment)
class RenewalAssessmentAdmin(ReadOnlyAdmin):
    """Blocks that renew a badge; registered when they are published."""

    list_display = ("usage_key", "title", "achievement_uuid", "course_key", "active")
    list_filter = ("active",)
    search_fields = ("usage_key", "title", "course_key")


@admin.register(RenewalRequest)
class RenewalRequestAdmin(ReadOnlyAdmin):
    """The renewal outbox: each row signs one new version of a badge."""

    list_display = (
        "badge",
        "version",
        "status",
        "attempts",
        "claimed_by",
        "lease_until",
        "created",
        "updated",
    )
    list_filter = ("status",)
    search_fields = ("badge__uuid", "badge__user__username")
    list_select_related = ("badge",)


@admin.register(CredentialVersion)
class CredentialVersionAdmin(ReadOnlyAdmin):
    """Every signed version of a renewed badge."""

    list_display = ("badge", "version", "valid_from", "valid_until")
    search_fields = ("badge__uuid",)
    list_select_related = ("badge",)


@admin.register(RenewalReminder)
class RenewalReminderAdmin(ReadOnlyAdmin):
    """Renewal reminders claimed and sent, one per badge version and offset."""

    list_display = ("badge", "version", "days_before", "sent_at")
    search_fields = ("badge__uuid",)
    list_select_related = ("badge",)
