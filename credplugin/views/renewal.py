"""Renewal over HTTP: the refresh service wallets call, and the learner's reminder switch.

The refresh service is public like the credential itself (a hidden badge answers 404); it
returns the badge's current version, so a holder of an older version can fetch the one that
replaced it (OB 3.0 ``1EdTechCredentialRefresh``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from credplugin import api
from credplugin.views.badges import JSON_LD, public_badge_or_404, serialized
from credplugin.views.caching import never_cache_private, public_cache


@require_safe
@public_cache
def refresh(request, badge_uuid):
    """The badge's latest signed version."""
    badge = public_badge_or_404(request, badge_uuid)
    response = HttpResponse(serialized(badge.credential), content_type=JSON_LD)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@never_cache_private
@login_required
@require_POST
def update_reminders(request):
    """Turn the learner's renewal reminder e-mails on or off."""
    wanted = request.POST.get("enabled") == "on"
    enabled = api.set_renewal_reminders(request.user.id, enabled=wanted)
    if enabled:
        messages.success(request, _("You will be reminded before your badges expire."))
    else:
        messages.success(request, _("You will get no more renewal reminders."))
    return redirect("credplugin:my-badges")
