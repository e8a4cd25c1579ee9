"""Mentors in the Django admin: assignments by hand, from a CSV file or round robin, the
review queue, reminders.

An assignment saved here is checked like one from the REST API (the mentor reviews work in the
course; a learner or a cohort, not both) and stored through ``credplugin.api``; a CSV file is
stored whole or not at all, with every wrong row listed. The queue and the reminder claims are
written by the plugin and only shown.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

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


class BulkAssignmentForm(forms.Form):
    course_key = forms.CharField(label=gettext_lazy("Course run"), max_length=255)
    csv_file = forms.FileField(
        label=gettext_lazy("CSV file"),
        required=False,
        help_text=gettext_lazy(
            "Columns: mentor, and learner or cohort; people by username, e-mail or id."
        ),
    )

    def clean_course_key(self):
        try:
            return str(CourseKey.from_string(self.cleaned_data["course_key"].strip()))
        except InvalidKeyError as error:
            raise forms.ValidationError(_("This is not a course id.")) from error


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

    def get_urls(self):
        bulk = self.admin_site.admin_view(self.bulk_view)
        return [
            path("bulk/", bulk, name="credplugin_mentorassignment_bulk"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"bulk_url": reverse("admin:credplugin_mentorassignment_bulk")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def bulk_view(self, request):
        """Import a CSV file, or assign round robin, for one course run."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BulkAssignmentForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            errors = self._bulk(request, form)
            if errors is None:
                return redirect("admin:credplugin_mentorassignment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign mentors in bulk"),
            "opts": self.model._meta,
            "form": form,
            "row_errors": errors,
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/credplugin/mentor_bulk.html", context, status=status
        )

    def _bulk(self, request, form):
        """Run the chosen bulk assignment; None when done, else the errors to show."""
        course_key = form.cleaned_data["course_key"]
        try:
            if request.POST.get("mode") == "round_robin":
                added = api.assign_mentors_round_robin(
                    course_key=course_key, assigned_by_id=request.user.pk
                )
                count = sum(added.values())
            else:
                upload = form.cleaned_data.get("csv_file")
                if upload is None:
                    return [_("Choose a CSV file.")]
                if upload.size > assignment.MAX_CSV_BYTES:
                    return [_("The file is larger than 1 MB.")]
                count = api.import_mentor_assignments(
                    course_key=course_key, data=upload.read(), assigned_by_id=request.user.pk
                )
        except InvalidInput as error:
            return [str(error), *getattr(error, "errors", [])]
        messages.success(
            request, _("%(count)d learner(s) or cohort(s) assigned.") % {"count": count}
        )
        return None


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
