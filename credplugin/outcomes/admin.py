"""Outcomes in the Django admin: badge classes' outcome plans, and a site-wide overview.

Operators choose per badge class when its earners are surveyed and whether its outcomes are
public. The overview lists every badge class with its main figures for a date range and links
to each course run's dashboard. Survey answers are not listed one by one here: they were given
to be counted, not read (``outcomes.dashboard``).
"""

from datetime import UTC, datetime, time, timedelta

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credplugin.admin import ReadOnlyAdmin
from credplugin.exceptions import InvalidInput
from credplugin.models import (
    BadgeClass,
    OutcomeCounter,
    OutcomeDay,
    OutcomePlan,
    OutcomeRollUp,
    OutcomeSnapshot,
    SurveyInvitation,
    SurveyOptOut,
    SurveyResponse,
)
from credplugin.outcomes import dashboard, figures, surveys
from credplugin.outcomes.figures import Scope

OVERVIEW_FIGURES = ("earners", "completion_rate", "first_attempt_pass_rate", "revocation_rate")


class OutcomePlanForm(forms.ModelForm):
    class Meta:
        model = OutcomePlan
        fields = ["badge_class", "survey_days", "published"]

    def clean_survey_days(self):
        try:
            return surveys.validate_survey_days(self.cleaned_data["survey_days"])
        except InvalidInput as invalid:
            raise forms.ValidationError(str(invalid)) from invalid


@admin.register(OutcomePlan)
class OutcomePlanAdmin(admin.ModelAdmin):
    form = OutcomePlanForm
    list_display = ("badge_class", "survey_days", "published")
    list_filter = ("published",)
    search_fields = ("badge_class__name", "badge_class__slug", "badge_class__catalog_course")
    autocomplete_fields = ("badge_class",)

    def get_urls(self):
        overview = self.admin_site.admin_view(self.overview_view)
        return [
            path("overview/", overview, name="credplugin_outcomes_overview"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"overview_url": reverse("admin:credplugin_outcomes_overview")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def overview_view(self, request):
        """Every badge class's main figures over the last ``days`` (default 365) days."""
        try:
            days = min(max(int(request.GET.get("days", 365)), 1), dashboard.MAX_RANGE_DAYS)
        except ValueError:
            days = 365
        end = datetime.combine(timezone.now().date() + timedelta(days=1), time.min, tzinfo=UTC)
        start = end - timedelta(days=days)
        lines = []
        for badge_class in BadgeClass.objects.order_by("catalog_course", "name"):
            computed = figures.compute(Scope.badge_class(badge_class), start, end)
            lines.append(
                {
                    "badge_class": badge_class,
                    "figures": [computed[name] for name in OVERVIEW_FIGURES],
                    "dashboard_url": reverse(
                        "credplugin:outcomes-dashboard", args=[str(badge_class.course_key)]
                    ),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Badge outcomes"),
            "opts": self.model._meta,
            "days": days,
            "lines": lines,
        }
        return TemplateResponse(request, "admin/credplugin/outcomes_overview.html", context)


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    """Which surveys went out; the token stays out of sight (it opens the learner's opt-out)."""

    list_display = ("badge", "offset_days", "status", "attempts", "sent_at")
    list_filter = ("status", "offset_days")
    exclude = ("token",)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ("invitation", "consent", "submitted_at", "updated_at")
    list_filter = ("consent",)


@admin.register(SurveyOptOut)
class SurveyOptOutAdmin(ReadOnlyAdmin):
    list_display = ("user", "created")


@admin.register(OutcomeSnapshot)
class OutcomeSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("scope_key", "period_start", "section", "computed_at")
    list_filter = ("section",)


@admin.register(OutcomeCounter)
class OutcomeCounterAdmin(ReadOnlyAdmin):
    list_display = ("badge_class", "day", "kind", "count")
    list_filter = ("kind",)


@admin.register(OutcomeDay)
class OutcomeDayAdmin(ReadOnlyAdmin):
    """The dashboard's daily roll-ups, rebuilt by the outcomes task: look, never edit."""

    list_display = ("badge_class", "day")
    date_hierarchy = "day"


@admin.register(OutcomeRollUp)
class OutcomeRollUpAdmin(ReadOnlyAdmin):
    list_display = ("badge_class", "refreshed_at")
