"""What verification may look up: this site's documents, ``did:key``, allowed hosts; nothing else.

A submitted credential names URLs (its issuer's ``did:web`` document, its status list). Fetching
them blindly would let anyone make this server request internal addresses (cloud metadata,
localhost services). So the resolver answers from the database for this site's own documents
(``credplugin.api.resolve_for_verification``), ``did:key`` needs no lookup at all, and only
origins the operator lists in ``CREDPLUGIN_VERIFY_ALLOWED_HOSTS`` are fetched: without
redirects, with a timeout and a size limit.
"""

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from credplugin import api
from credplugin.conf import credplugin_settings
from credplugin.exceptions import NotFound
from credplugin.openbadges import DidError, did_web_document_url

FETCH_TIMEOUT_SECONDS = 5


class ResolutionRefused(LookupError):
    """The reference is neither this site's nor on an allowed host, or fetching it failed."""


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere, including to addresses the operator never allowed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0917 (urllib's)
        raise ResolutionRefused(
            _("%(url)s redirects to %(target)s; redirects are not followed.")
            % {"url": req.full_url, "target": newurl}
        )


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins():
    """``CREDPLUGIN_VERIFY_ALLOWED_HOSTS`` as origins; a bare host name means ``https://``."""
    origins = set()
    for entry in credplugin_settings.VERIFY_ALLOWED_HOSTS:
        origin = entry.strip().rstrip("/").lower()
        if origin:
            origins.add(origin if "://" in origin else f"https://{origin}")
    return origins


def document_url(reference):
    """The URL a DID or URL reference is fetched from, or ``ResolutionRefused``."""
    if reference.startswith("did:web:"):
        try:
            return did_web_document_url(reference.split("#", 1)[0])
        except DidError as error:
            raise ResolutionRefused(str(error)) from error
    if urlsplit(reference).scheme in ("http", "https"):
        return reference
    raise ResolutionRefused(
        _("%(reference)s cannot be looked up: only did:key, did:web and web addresses can.")
        % {"reference": reference}
    )


def fetch_json(url):
    """GET ``url`` (an allowed origin) and parse its JSON object, refusing redirects."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ResolutionRefused(_("%(url)s is not a web address.") % {"url": url})
    opener = urllib.request.build_opener(_RefuseRedirects)
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked just above)
        url, headers={"Accept": "application/did+ld+json, application/ld+json, application/json"}
    )
    limit = int(credplugin_settings.VERIFY_MAX_BYTES)
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            body = response.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise ResolutionRefused(
            _("%(url)s could not be fetched: %(error)s") % {"url": url, "error": error}
        ) from error
    if len(body) > limit:
        raise ResolutionRefused(_("%(url)s is larger than the size limit.") % {"url": url})
    try:
        document = json.loads(body)
    except ValueError as error:
        raise ResolutionRefused(_("%(url)s did not answer JSON.") % {"url": url}) from error
    if not isinstance(document, dict):
        raise ResolutionRefused(_("%(url)s did not answer a JSON object.") % {"url": url})
    return document


def verification_resolver():
    """A ``resolve(reference)`` for one verification, remembering what it already found."""
    origins = allowed_origins()
    found = {}

    def resolve(reference):
        if reference not in found:
            found[reference] = _resolve(reference, origins)
        return found[reference]

    return resolve


def _resolve(reference, origins):
    try:
        return api.resolve_for_verification(reference)
    except NotFound:
        pass
    url = document_url(reference)
    if _origin(url) not in origins:
        raise ResolutionRefused(
            _(
                "%(reference)s is neither published by this site nor on a host its operator "
                "allows, so it was not fetched."
            )
            % {"reference": reference}
        )
    return fetch_json(url)
