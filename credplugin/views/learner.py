"""The learner's own badges: states, downloads, sharing and the two privacy switches.

Private pages: login required, never cached. A learner can only see and change their own
badges; another learner's badge answers 404 as if it did not exist.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from credplugin import api
from credplugin.delivery import ob_api
from credplugin.exceptions import NotFound
from credplugin.models import IssuedBadge
from credplugin.presentation.describe import describe_credential
from credplugin.presentation.states import STATE_LABELS, badge_state
from credplugin.renewing import reminders, renewal
from credplugin.views.badges import sharing_links
from credplugin.views.caching import never_cache_private
from credplugin.views.layout import page_context


class SharingForm(forms.Form):
    """The learner's choices for one badge's public page."""

    hidden = forms.BooleanField(required=False)
    show_name = forms.BooleanField(required=False)


def own_badges(user):
    return (
        IssuedBadge.objects.filter(user=user)
        .select_related("badge_class")
        .order_by("-issued_at", "-id")
    )


@never_cache_private
@login_required
@require_safe
def my_badges(request):
    """Every badge the learner holds, newest first, with what they can do with each."""
    entries = []
    for badge in own_badges(request.user):
        facts = describe_credential(badge.credential)
        state = badge_state(badge)
        entries.append(
            {
                "badge": badge,
                "facts": facts,
                "state": state,
                "state_label": STATE_LABELS[state],
                "renewal": renewal.notice(badge),
                "links": sharing_links(request, badge, facts),
                "form": SharingForm(
                    initial={"hidden": badge.hidden, "show_name": badge.show_name},
                    auto_id=f"id_%s_{badge.uuid}",
                ),
            }
        )
    return render(
        request,
        "credplugin/my_badges.html",
        page_context(
            entries=entries,
            reminders_enabled=reminders.reminders_enabled(request.user.id),
            record_badges=[e["badge"] for e in entries if e["badge"].status == "active"],
            pathways=[_with_milestone(entry) for entry in api.pathway_progress(request.user.id)],
            pathway_emails=api.pathway_emails_enabled(request.user.id),
            connections=ob_api.connections(request.user),
        ),
    )


MILESTONES = (75, 50, 25)


def _with_milestone(entry):
    """The pathway progress entry with the highest milestone (25, 50, 75 %) it passed."""
    reached = next((m for m in MILESTONES if entry["percent"] >= m), None)
    return {**entry, "milestone": None if entry["complete"] else reached}


@never_cache_private
@login_required
@require_safe
def learner_record(request):
    """Download the learner's signed CLR 2.0 record: every current badge, or those ticked."""
    try:
        record = api.export_learner_record(
            request.user.id, badge_uuids=request.GET.getlist("badge") or None
        )
    except api.InvalidInput as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    except api.KeyUnavailable as unavailable:
        return HttpResponse(str(unavailable), status=503, content_type="text/plain; charset=utf-8")
    response = JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="learner-record.clr.json"'
    return response


@never_cache_private
@login_required
@require_POST
def update_sharing(request, badge_uuid):
    """Hide a badge from the public or show it; show or hide the learner's name on it."""
    form = SharingForm(request.POST)
    form.is_valid()  # unchecked boxes are simply absent: both fields always clean
    try:
        api.set_badge_visibility(str(badge_uuid), user_id=request.user.id, **form.cleaned_data)
    except NotFound as missing:
        raise Http404(_("You have no badge with this address.")) from missing
    messages.success(request, _("Your sharing choices for this badge are saved."))
    return redirect("credplugin:my-badges")


@require_safe
def pathway_page(request, badge_class_uuid):
    """The public page of a pathway: what it requires, with its component badges."""
    try:
        pathway = api.get_pathway(str(badge_class_uuid))
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    return render(request, "credplugin/pathway_page.html", page_context(pathway=pathway))


@never_cache_private
@login_required
@require_POST
def update_pathway_emails(request):
    """The learner's choice of e-mails at pathway milestones (25, 50 and 75 %)."""
    api.set_pathway_emails(
        request.user.id, enabled=request.POST.get("email_on_pathway_progress") == "on"
    )
    messages.success(request, _("Your e-mail choice is saved."))
    return redirect("credplugin:my-badges")
