"""The learner's own badges: states, downloads, sharing and the two privacy switches.

Private pages: login required, never cached. A learner can only see and change their own
badges; another learner's badge answers 404 as if it did not exist.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from credplugin import api, obv3
from credplugin.exceptions import NotFound
from credplugin.models import IssuedBadge
from credplugin.views.badges import sharing_links
from credplugin.views.caching import never_cache_private
from credplugin.views.layout import page_context
from credplugin.views.presentation import describe_credential
from credplugin.views.states import STATE_LABELS, badge_state


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
                "links": sharing_links(request, badge, facts),
                "form": SharingForm(
                    initial={"hidden": badge.hidden, "show_name": badge.show_name},
                    auto_id=f"id_%s_{badge.uuid}",
                ),
            }
        )
    context = page_context(entries=entries, connections=obv3.connections(request.user))
    return render(request, "credplugin/my_badges.html", context)


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
