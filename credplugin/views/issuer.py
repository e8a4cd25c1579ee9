"""The issuer's public documents: its DID document, its profile and its status lists.

Verifiers anywhere fetch these to check a badge, so they are public, readable cross-origin and
cacheable for ``CREDPLUGIN_PUBLIC_CACHE_SECONDS`` — short enough that a revocation shows soon.
"""

import json

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from credplugin import api
from credplugin.exceptions import NotFound
from credplugin.views.caching import public_cache

JSON_LD = "application/ld+json"
DID_JSON = "application/did+ld+json"


def _public_json(document, content_type):
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, sort_keys=True), content_type=content_type
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_cache
@require_safe
def did_document(request):
    """``did:web`` of the site root resolves here: every issuer key, current and retired."""
    try:
        document = api.issuer_did_document()
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    return _public_json(document, DID_JSON)


@public_cache
@require_safe
def issuer_profile(request):
    """The issuer's Open Badges 3.0 ``Profile``: name, URL, contact and logo."""
    return _public_json(api.issuer_profile(), JSON_LD)


@public_cache
@require_safe
def status_list(request, purpose, sequence):
    """One signed ``BitstringStatusListCredential`` (revocation or suspension)."""
    try:
        credential = api.status_list_credential(purpose=purpose, sequence=sequence)
    except NotFound as missing:
        raise Http404(_("No status list has this address.")) from missing
    return _public_json(credential, JSON_LD)
