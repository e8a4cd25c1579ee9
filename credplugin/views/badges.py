"""A badge's public page and its downloads: the signed credential and the baked images.

Nobody needs to log in. A badge its learner hid, and a badge that does not exist, both answer
404 so the public cannot tell them apart.
"""

import json
from urllib.parse import quote

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from credplugin import openbadges
from credplugin.compat import learner_display_name
from credplugin.models import IssuedBadge, OutcomeCounter
from credplugin.outcomes import counters
from credplugin.presentation import artwork, uploaded_artwork
from credplugin.presentation.describe import (
    describe_credential,
    linkedin_url_for_badge,
    qr_code_data_uri,
)
from credplugin.presentation.states import ACTIVE, badge_state
from credplugin.presentation.verdicts import verify_stored_badge
from credplugin.renewing import renewal
from credplugin.views.caching import never_cache_private, public_cache
from credplugin.views.layout import page_context
from credplugin.views.outcomes import outcomes_url

JSON_LD = "application/ld+json"


def public_badge_or_404(request, badge_uuid):
    """The badge if this visitor may see it; hidden and unknown badges look the same.

    A hidden badge stays visible to its own learner (so they can still download it); a
    signed-in visitor's responses are never shared by caches (see ``public_cache``).
    """
    try:
        badge = IssuedBadge.objects.select_related("badge_class", "user").get(uuid=badge_uuid)
    except IssuedBadge.DoesNotExist as missing:
        raise Http404(_("No public badge has this address.")) from missing
    if badge.hidden and badge.user_id != request.user.id:
        raise Http404(_("No public badge has this address."))
    return badge


def recipient_name(badge):
    """The learner's name, only when they chose to show it on the public page."""
    if not badge.show_name:
        return ""
    return learner_display_name(badge.user)


def _download_name(badge, extension):
    return f"{badge.badge_class.slug or 'badge'}-{badge.uuid}.{extension}"


def serialized(credential):
    return json.dumps(credential, ensure_ascii=False, sort_keys=True)


def artwork_design(badge, facts):
    """The generated medal of ``badge``: named as its credential says, in its class's colours."""
    badge_class = badge.badge_class
    return artwork.design(
        name=facts["name"] or badge_class.name,
        issuer_name=facts["issuer_name"],
        seed=str(badge_class.uuid),
        colour=badge_class.colour,
        accent_colour=badge_class.accent_colour,
    )


def sharing_links(request, badge, facts):
    """Where one badge lives and how to share it: its page, downloads, LinkedIn's
    add-to-profile link, an e-mail draft and an HTML snippet that embeds it on another site."""
    page_url = request.build_absolute_uri(reverse("credplugin:badge-page", args=[badge.uuid]))
    png_url = reverse("credplugin:badge-png", args=[badge.uuid])
    subject = _("My badge: %(name)s") % {"name": facts["name"]}
    body = _("%(issuer)s awarded me the badge “%(name)s”. Anyone can check it here: %(url)s") % {
        "issuer": facts["issuer_name"],
        "name": facts["name"],
        "url": page_url,
    }
    embed = format_html(
        '<a href="{}"><img src="{}" width="160" height="160" alt="{}"></a>',
        page_url,
        request.build_absolute_uri(png_url),
        _("Badge: %(name)s, issued by %(issuer)s")
        % {"name": facts["name"], "issuer": facts["issuer_name"]},
    )
    return {
        "page_url": page_url,
        "credential_url": reverse("credplugin:badge-credential", args=[badge.uuid]),
        "png_url": png_url,
        "svg_url": reverse("credplugin:badge-svg", args=[badge.uuid]),
        "linkedin_url": reverse("credplugin:badge-share", args=[badge.uuid, "linkedin"]),
        "email_url": f"mailto:?subject={quote(subject)}&body={quote(body)}",
        "embed_html": str(embed),
    }


def badge_not_found(request):
    """A 404 that says what may have happened and where to go next (hidden and unknown badges
    look the same)."""
    context = page_context(verify_url=reverse("credplugin:verify-page"))
    return render(request, "credplugin/badge_not_found.html", context, status=404)


@public_cache
@require_safe
def badge_page(request, badge_uuid):
    """The page an employer opens: the live verdict first, then what the badge proves."""
    try:
        badge = public_badge_or_404(request, badge_uuid)
    except Http404:
        return badge_not_found(request)
    facts = describe_credential(badge.credential)
    links = sharing_links(request, badge, facts)
    counters.count(badge.badge_class_id, OutcomeCounter.Kind.PAGE_VIEW)
    context = page_context(
        badge=badge,
        facts=facts,
        verdict=verify_stored_badge(badge),
        recipient_name=recipient_name(badge),
        links=links,
        qr_code=qr_code_data_uri(links["page_url"]),
        verify_url=request.build_absolute_uri(reverse("credplugin:verify-page")),
        og_image_url=facts["image_url"] or request.build_absolute_uri(links["png_url"]),
        versions=renewal.versions(badge),
        renewal=renewal.notice(badge) if badge.user_id == request.user.id else None,
        outcomes_url=outcomes_url(badge.badge_class),
        wallet_offer=request.user.id == badge.user_id and badge_state(badge) == ACTIVE,
    )
    return render(request, "credplugin/badge_page.html", context)


# Where a share link may send its visitor, and what it counts: a fixed list, so the redirect
# can never be pointed at another site.
SHARE_TARGETS = {"linkedin": (OutcomeCounter.Kind.LINKEDIN_SHARE, linkedin_url_for_badge)}


@never_cache_private
@require_safe
def share_badge(request, badge_uuid, target):
    """Count one share of the badge, then send the visitor to the share target's own form,
    built here from the badge (nothing the request says becomes part of the address)."""
    if target not in SHARE_TARGETS:
        raise Http404(_("No such way to share a badge."))
    badge = public_badge_or_404(request, badge_uuid)
    facts = describe_credential(badge.credential)
    page_url = request.build_absolute_uri(reverse("credplugin:badge-page", args=[badge.uuid]))
    kind, target_url = SHARE_TARGETS[target]
    counters.count(badge.badge_class_id, kind)
    return HttpResponseRedirect(target_url(badge, facts, page_url))


@public_cache
@require_safe
def badge_credential(request, badge_uuid):
    """The signed credential exactly as issued, for any Open Badges 3.0 verifier."""
    badge = public_badge_or_404(request, badge_uuid)
    response = HttpResponse(serialized(badge.credential), content_type=JSON_LD)
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{_download_name(badge, "json")}"'
    return response


@public_cache
@require_safe
def badge_png(request, badge_uuid):
    """The badge artwork (uploaded, else drawn) with the credential baked into ``iTXt``."""
    badge = public_badge_or_404(request, badge_uuid)
    image = uploaded_artwork.png(badge.badge_class.artwork) or artwork.badge_png(
        artwork_design(badge, describe_credential(badge.credential))
    )
    baked = openbadges.bake_png(image, badge.credential)
    response = HttpResponse(baked, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(badge, "png")}"'
    return response


@public_cache
@require_safe
def badge_svg(request, badge_uuid):
    """The badge artwork (uploaded, else drawn) as SVG, the credential baked into
    ``openbadges:credential``."""
    badge = public_badge_or_404(request, badge_uuid)
    facts = describe_credential(badge.credential)
    design = artwork_design(badge, facts)
    image = uploaded_artwork.svg(badge.badge_class.artwork, design)
    baked = openbadges.bake_svg(image, badge.credential)
    response = HttpResponse(baked, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(badge, "svg")}"'
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
