"""Django admin for operators: look at everything, change badges only through ``credplugin.api``.

Issued credentials, rubric snapshots and results are records of what happened, so they are
read-only here. Status changes (revoke, suspend, reinstate), reissuing and retrying go through
the API, which updates the status list, records the actor and reason and refuses impossible
transitions; the admin only collects the reason. Keys show their public half only.
"""

import base64
import json

import django
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from credplugin import api
from credplugin.conf import credplugin_settings
from credplugin.models import (
    AssessmentResult,
    BadgeClass,
    BadgeRequirement,
    CoursePassingRecord,
    IssuanceRequest,
    IssuedBadge,
    IssuerKey,
    LearnerPreference,
    RubricSnapshot,
    StatusChange,
    StatusList,
)
from credplugin.presentation import artwork, uploaded_artwork


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the plugin writes itself: operators may look, never edit, add or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.display(description=_("badge"), ordering="badge_class__name")
def badge_name(row):
    return row.badge_class.name


@admin.display(description=_("course"), ordering="badge_class__course_key")
def course_key(row):
    return row.badge_class.course_key


def pretty_json(value):
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


def outbox_counts():
    """How many badges are issued, and how many requests are pending or failed, each with the
    changelist that lists them: what an operator checks first."""
    requests = dict(
        IssuanceRequest.objects.values_list("status").annotate(count=Count("id")).order_by()
    )
    issued_url = reverse("admin:credplugin_issuedbadge_changelist")
    requests_url = reverse("admin:credplugin_issuancerequest_changelist")
    pending = IssuanceRequest.Status.PENDING
    return [
        (_("issued"), IssuedBadge.objects.count(), issued_url),
        (_("pending"), requests.get(pending, 0), f"{requests_url}?status__exact={pending}"),
        (
            _("waiting for the operator"),
            requests.get(IssuanceRequest.Status.WAITING, 0),
            f"{requests_url}?status__exact={IssuanceRequest.Status.WAITING}",
        ),
        (
            _("failed"),
            requests.get(IssuanceRequest.Status.FAILED, 0),
            f"{requests_url}?status__exact={IssuanceRequest.Status.FAILED}",
        ),
    ]


class CountsChangeList:
    """A changelist headed by :func:`outbox_counts`."""

    change_list_template = "admin/credplugin/counts_change_list.html"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {**(extra_context or {}), "credplugin_counts": outbox_counts()}
        )


class BadgeRequirementInline(admin.TabularInline):
    model = BadgeRequirement
    fields = ("usage_key", "title", "assessment_methods", "active", "retired_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class BadgeClassForm(forms.ModelForm):
    """The badge class as authored, with its renewal policy checked against its validity."""

    class Meta:
        model = BadgeClass
        fields = "__all__"  # noqa: DJ007  (the admin's own fields and readonly_fields decide)

    def clean(self):
        cleaned = super().clean()
        try:
            api.check_renewal_policy(
                validity_months=cleaned.get("validity_months"),
                window_days=cleaned.get("renewal_window_days"),
                grace_days=cleaned.get("renewal_grace_days") or 0,
                renew_by=cleaned.get("renewal_by"),
            )
        except api.InvalidInput as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(BadgeClass)
class BadgeClassAdmin(admin.ModelAdmin):
    """Badge descriptions are authored in Studio; operators may correct them and preview."""

    form = BadgeClassForm

    list_display = ("name", "course_key", "slug", "achievement_type", "active", "modified")
    list_filter = ("active", "achievement_type")
    search_fields = ("name", "slug", "course_key")
    readonly_fields = (
        "uuid",
        "achievement_uuid",
        "course_key",
        "catalog_course",
        "slug",
        "created",
        "modified",
        "artwork",
        "artwork_image",
        "preview_link",
    )
    inlines = [BadgeRequirementInline]
    # Django 5 asks which scheme a URL typed without one gets; Django 4.2 has no such option.
    if django.VERSION >= (5, 0):
        formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="credplugin_badgeclass_preview",
        )
        return [preview, *super().get_urls()]

    @admin.display(description=_("artwork"))
    def artwork_image(self, badge_class):
        """What the PNG and SVG downloads show: the uploaded image, else the medal drawn in
        the colours saved last."""
        if not badge_class.pk:
            return "-"
        design = artwork.design_for_badge_class(badge_class, credplugin_settings.issuer_name)
        svg = uploaded_artwork.svg(badge_class.artwork, design)
        encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return format_html(
            '<img src="data:image/svg+xml;base64,{}" width="160" height="160" alt="{}">',
            encoded,
            _("The badge image"),
        )

    @admin.display(description=_("credential preview"))
    def preview_link(self, badge_class):
        if not badge_class.pk:
            return "-"
        url = reverse("admin:credplugin_badgeclass_preview", args=[badge_class.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview the credential JSON"))

    def preview_view(self, request, object_id):
        """The credential a learner would receive today, composed but never signed."""
        badge_class = get_object_or_404(BadgeClass, pk=object_id)
        if not self.has_view_permission(request, badge_class):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": badge_class,
            "title": _("Credential preview: %(name)s") % {"name": badge_class.name},
        }
        try:
            preview = api.preview_credential(badge_class.uuid)
        except api.CredPluginError as error:
            context["error"] = str(error)
        else:
            context["credential_json"] = json.dumps(preview, indent=2, ensure_ascii=False)
        return TemplateResponse(request, "admin/credplugin/badgeclass/preview.html", context)


@admin.register(BadgeRequirement)
class BadgeRequirementAdmin(ReadOnlyAdmin):
    list_display = ("usage_key", "title", "badge_class", "active", "retired_at")
    list_filter = ("active",)
    search_fields = ("usage_key", "title", "badge_class__name", "badge_class__course_key")
    list_select_related = ("badge_class",)


@admin.register(RubricSnapshot)
class RubricSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("content_hash", "created")
    search_fields = ("content_hash",)
    fields = ("content_hash", "created", "definition_pretty")
    readonly_fields = fields

    @admin.display(description=_("definition"))
    def definition_pretty(self, snapshot):
        return pretty_json(snapshot.definition)


@admin.register(AssessmentResult)
class AssessmentResultAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "user", "course_key", "usage_key", "passed", "created")
    list_filter = ("passed",)
    search_fields = ("user__username", "user__email", "course_key", "usage_key")
    list_select_related = ("user",)


@admin.register(CoursePassingRecord)
class CoursePassingRecordAdmin(ReadOnlyAdmin):
    list_display = ("user", "course_key", "is_passing", "has_certificate", "updated")
    list_filter = ("is_passing", "has_certificate")
    search_fields = ("user__username", "user__email", "course_key")
    list_select_related = ("user",)


class StatusChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept with the badge and shown to the learner."),
        max_length=1000,
    )


class RevokeForm(StatusChangeForm):
    block_reaward = forms.BooleanField(
        label=_("Do not award the badge again if the learner passes again"),
        required=False,
    )


# action → (the credplugin.api function, verb, past participle for the confirmation)
_STATUS_ACTIONS = {
    "revoke": (api.revoke_badge, _("Revoke"), _("revoked")),
    "suspend": (api.suspend_badge, _("Suspend"), _("suspended")),
    "reinstate": (api.reinstate_badge, _("Reinstate"), _("reinstated")),
    "reissue": (api.reissue_badge, _("Reissue"), _("reissued")),
}


def _apply_with_reason(modeladmin, request, queryset, action_name):
    """Ask for a reason, then apply the API call to each selected badge.

    Returns a page with the reason form until a valid reason is posted; a badge the API
    refuses (say, reinstating a revoked one) is reported and the others still proceed.
    """
    change_status, verb, done = _STATUS_ACTIONS[action_name]
    form_class = RevokeForm if action_name == "revoke" else StatusChangeForm
    form = form_class(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        context = {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": _("%(verb)s badges") % {"verb": verb},
            "verb": verb,
            "action_name": f"{action_name}_badges",
            "badges": queryset.select_related("user", "badge_class"),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/credplugin/issuedbadge/status_change.html", context)
    options = {name: value for name, value in form.cleaned_data.items() if name != "reason"}
    changed = _apply_to_each(
        modeladmin,
        request,
        queryset,
        lambda uuid: change_status(
            uuid, reason=form.cleaned_data["reason"], actor_id=request.user.id, **options
        ),
    )
    if changed:
        modeladmin.message_user(
            request,
            ngettext("%(count)d badge %(done)s.", "%(count)d badges %(done)s.", changed)
            % {"count": changed, "done": done},
            messages.SUCCESS,
        )
    return None


def _apply_to_each(modeladmin, request, queryset, call):
    """Run ``call(uuid)`` for every selected row; report each refusal, return how many succeeded.

    One row the API refuses must not stop the others, so errors become admin messages.
    """
    succeeded = 0
    for row in queryset:
        try:
            call(row.uuid)
        except api.CredPluginError as error:
            modeladmin.message_user(request, f"{row.uuid}: {error}", messages.ERROR)
        else:
            succeeded += 1
    return succeeded


@admin.register(IssuedBadge)
class IssuedBadgeAdmin(CountsChangeList, ReadOnlyAdmin):
    """Issued credentials: search by learner or course; change status with a reason."""

    list_display = (badge_name, "user", course_key, "status", "issued_at", "valid_until")
    list_filter = ("status", "badge_class")
    search_fields = (
        "uuid",
        "user__username",
        "user__email",
        "badge_class__course_key",
        "badge_class__name",
    )
    list_select_related = ("user", "badge_class")
    date_hierarchy = "issued_at"
    actions = [
        "revoke_badges",
        "suspend_badges",
        "reinstate_badges",
        "reissue_badges",
        "renew_badges",
    ]
    fields = (
        "uuid",
        "user",
        "badge_class",
        "generation",
        "status",
        "status_reason",
        "status_changed_by",
        "status_changed_at",
        "issued_at",
        "valid_until",
        "version",
        "renewed_at",
        "status_list_sequence",
        "status_list_index",
        "hidden",
        "show_name",
        "public_page",
        "status_history",
        "credential_link",
    )
    readonly_fields = fields

    def get_urls(self):
        credential = path(
            "<path:object_id>/credential.json",
            self.admin_site.admin_view(self.credential_view),
            name="credplugin_issuedbadge_credential",
        )
        return [credential, *super().get_urls()]

    def credential_view(self, request, object_id):
        """The signed credential as issued, also for badges their learner hid from the public."""
        badge = get_object_or_404(IssuedBadge, pk=object_id)
        if not self.has_view_permission(request, badge):
            raise PermissionDenied
        return JsonResponse(
            badge.credential, json_dumps_params={"indent": 2, "ensure_ascii": False}
        )

    @admin.display(description=_("public page"))
    def public_page(self, badge):
        url = reverse("credplugin:badge-page", kwargs={"badge_uuid": badge.uuid})
        return format_html('<a href="{}">{}</a>', url, _("Open the badge page and its verdict"))

    @admin.display(description=_("status history"))
    def status_history(self, badge):
        """Every status the badge has had, oldest first: what, who, why, when."""
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    formats.localize(timezone.localtime(entry["at"])),
                    entry["status"],
                    entry["actor"] or _("the plugin"),
                    entry["reason"] or "—",
                )
                for entry in api.badge_history(badge.uuid)
            ),
        )
        return format_html(
            '<table class="credplugin-history"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _("When"),
            _("Status"),
            _("By"),
            _("Reason"),
            rows,
        )

    @admin.display(description=_("signed credential"))
    def credential_link(self, badge):
        url = reverse("admin:credplugin_issuedbadge_credential", args=[badge.pk])
        size = len(json.dumps(badge.credential))
        return format_html(
            '<a href="{}">{}</a> <details><summary>{}</summary>{}</details>',
            url,
            _("Open the credential JSON (%(size)s characters)") % {"size": size},
            _("Show it here"),
            pretty_json(badge.credential),
        )

    # Actions need the change permission even though the form itself is read-only.
    def has_status_permission(self, request):
        return request.user.has_perm("credplugin.change_issuedbadge")

    @admin.action(description=_("Revoke the selected badges…"), permissions=["status"])
    def revoke_badges(self, request, queryset):
        return _apply_with_reason(self, request, queryset, "revoke")

    @admin.action(description=_("Suspend the selected badges…"), permissions=["status"])
    def suspend_badges(self, request, queryset):
        return _apply_with_reason(self, request, queryset, "suspend")

    @admin.action(description=_("Reinstate the selected badges…"), permissions=["status"])
    def reinstate_badges(self, request, queryset):
        return _apply_with_reason(self, request, queryset, "reinstate")

    @admin.action(description=_("Reissue the selected badges…"), permissions=["status"])
    def reissue_badges(self, request, queryset):
        return _apply_with_reason(self, request, queryset, "reissue")

    @admin.action(
        description=_("Renew the selected badges from their renewal results"),
        permissions=["status"],
    )
    def renew_badges(self, request, queryset):
        """For results recorded before the badge became renewable, or a lost renewal task."""
        renewed = _apply_to_each(self, request, queryset, api.renew_badge)
        if renewed:
            self.message_user(
                request,
                ngettext("%(count)d renewal queued.", "%(count)d renewals queued.", renewed)
                % {"count": renewed},
                messages.SUCCESS,
            )


@admin.register(IssuanceRequest)
class IssuanceRequestAdmin(CountsChangeList, ReadOnlyAdmin):
    """The outbox: what is waiting, what failed and why; failed requests can be retried."""

    list_display = ("uuid", "user", badge_name, "status", "reason", "attempts", "updated")
    list_filter = ("status", "badge_class")
    search_fields = ("uuid", "user__username", "user__email", "badge_class__course_key")
    list_select_related = ("user", "badge_class")
    readonly_fields = (
        "uuid",
        "user",
        "badge_class",
        "generation",
        "status",
        "reason",
        "attempts",
        "created",
        "updated",
    )
    fields = readonly_fields
    actions = ["retry_requests"]

    def has_retry_permission(self, request):
        return request.user.has_perm("credplugin.change_issuancerequest")

    @admin.action(description=_("Retry the selected requests"), permissions=["retry"])
    def retry_requests(self, request, queryset):
        queued = _apply_to_each(self, request, queryset, api.retry_issuance)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request queued again.", "%(count)d requests queued again.", queued
                )
                % {"count": queued},
                messages.SUCCESS,
            )


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    """Every status change of every badge, newest first: an audit trail to search."""

    list_display = ("changed_at", "badge", "previous_status", "status", "actor", "reason")
    list_filter = ("status",)
    search_fields = ("badge__uuid", "badge__user__username", "actor__username", "reason")
    list_select_related = ("badge", "actor")
    date_hierarchy = "changed_at"
    ordering = ("-changed_at", "-id")


@admin.register(IssuerKey)
class IssuerKeyAdmin(ReadOnlyAdmin):
    """Keys are created and rotated with ``manage.py credplugin_keys``; the private half is
    never displayed, not even encrypted."""

    list_display = ("public_key_multibase", "source", "active", "created", "retired_at")
    list_filter = ("active", "source")
    fields = ("public_key_multibase", "source", "active", "created", "retired_at")
    readonly_fields = fields


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyAdmin):
    """Bitstring status lists; they change only when a badge's status changes."""

    list_display = ("purpose", "sequence", "size", "next_index", "updated")
    list_filter = ("purpose",)
    fields = ("purpose", "sequence", "size", "next_index", "updated", "signed_credential_pretty")
    readonly_fields = fields

    @admin.display(description=_("signed status list credential"))
    def signed_credential_pretty(self, status_list):
        return pretty_json(status_list.signed_credential) if status_list.signed_credential else "-"


@admin.register(LearnerPreference)
class LearnerPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_on_award")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)


# The pipeline packages register their own admin pages.
from credplugin.delivery import admin as delivery_admin  # noqa: E402, F401
from credplugin.mentoring import admin as mentoring_admin  # noqa: E402, F401
from credplugin.outcomes import admin as outcomes_admin  # noqa: E402, F401
from credplugin.renewing import admin as renewing_admin  # noqa: E402, F401
from credplugin.reviewing import admin as reviewing_admin  # noqa: E402, F401
from credplugin.stacking import admin as pathway_admin  # noqa: E402, F401
