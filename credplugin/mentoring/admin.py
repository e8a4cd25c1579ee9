"""Mentors in the Django admin: assignments staff add by hand, the review queue, reminders.

An assignment saved here is checked like one from the REST API (the mentor reviews work in the
course; a learner or a cohort, not both) and stored through ``credplugin.api``. The queue and
the reminder claims are written by the plugin and only shown.
"""

from django import forms
from django.contrib import admin
from django.db import transaction

from credplugin import api
from credplugin.admin import ReadOnlyAdmin
from credplugin.exceptions import InvalidInput
from credplugin.mentoring import assignment
from credplugin.mentoring.models import MentorAssignment, MentorReminder, ReviewQueueEntry


class MentorAssignmentForm(forms.ModelForm):
    class Meta:
        model = MentorAssignment
        fields = ["course_key", "mentor", "learner", "cohort"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        learner, cohort = cleaned.get("learner"), cleaned.get("cohort") or None
        cleaned["cohort"] = cohort
        try:
            assignment.check(
                cleaned["course_key"],
                mentor=cleaned["mentor"].pk,
                learner=learner.pk if learner else None,
                cohort=cohort,
            )
        except InvalidInput as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(admin.ModelAdmin):
    form = MentorAssignmentForm
    list_display = ("course_key", "mentor", "learner", "cohort", "created")
    list_filter = ("course_key",)
    search_fields = ("mentor__username", "learner__username", "cohort")
    raw_id_fields = ("mentor", "learner")
    list_select_related = ("mentor", "learner")

    def save_model(self, request, obj, form, change):
        """Store through ``credplugin.api`` (which replaces the learner's or cohort's mentor)."""
        with transaction.atomic():
            if change:
                MentorAssignment.objects.filter(pk=obj.pk).delete()
            stored = api.assign_mentor(
                course_key=str(obj.course_key),
                mentor=obj.mentor_id,
                learner=obj.learner_id,
                cohort=obj.cohort,
                assigned_by_id=request.user.pk,
            )
        obj.pk = stored["id"]


@admin.register(ReviewQueueEntry)
class ReviewQueueEntryAdmin(ReadOnlyAdmin):
    list_display = ("title", "course_key", "learner", "status", "submitted_at", "reviewer")
    list_filter = ("status", "course_key")
    search_fields = ("submission_uuid", "learner__username")
    list_select_related = ("learner", "reviewer")
    ordering = ("-submitted_at",)


@admin.register(MentorReminder)
class MentorReminderAdmin(ReadOnlyAdmin):
    list_display = ("entry", "threshold_hours", "sent_at")
    list_select_related = ("entry",)
