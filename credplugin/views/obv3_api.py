"""The Open Badges 3.0 REST API under ``/ims/ob/v3p0/``: discovery, registration, OAuth 2.0
endpoints (django-oauth-toolkit's views with the API's validator), credentials and profile.

Trust boundary: registration is open, so its metadata is hostile and bounded; the OAuth
endpoints are DOT's, narrowed to S256 PKCE and registered scopes; a resource answers only to
a valid bearer token of a client registered here, with the scope it needs, and only ever
about the token's own learner. Errors use the spec's ``Imsx_StatusInfo`` shape.
"""

import json
import uuid
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from oauth2_provider.oauth2_backends import OAuthLibCore
from oauth2_provider.views import AuthorizationView, RevokeTokenView, TokenView
from oauthlib.oauth2 import Server

from credplugin import api
from credplugin.conf import credplugin_settings
from credplugin.delivery import ob_api
from credplugin.delivery.ob_api_scopes import SCOPE_CREDENTIAL_READ, SCOPE_PROFILE_READ, SCOPES
from credplugin.exceptions import NotFound
from credplugin.models import ObApiClient
from credplugin.views.caching import never_cache_private
from credplugin.views.layout import page_context

MAX_REGISTRATION_BYTES = 16 * 1024
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
PROFILE_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def imsx_error(description, status, minor="invalid_data"):
    """An ``Imsx_StatusInfo`` error, as every OB 3.0 API error is written."""
    body = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": str(description),
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": minor}
            ]
        },
    }
    return JsonResponse(body, status=status)


def _url(name):
    return credplugin_settings.lms_root_url + reverse(f"credplugin:{name}")


@require_safe
def discovery(request):
    """The service description document: an OpenAPI file naming the OAuth 2.0 endpoints."""
    security = {"OAuth2ACG": list(SCOPES)}
    document = {
        "openapi": "3.0.1",
        "info": {
            "title": credplugin_settings.issuer_name or "Open Badges",
            "version": "3.0",
            "termsOfService": credplugin_settings.OB_API_TERMS_URL
            or credplugin_settings.issuer_url,
            "x-imssf-privacyPolicyUrl": credplugin_settings.OB_API_PRIVACY_URL
            or credplugin_settings.issuer_url,
            "x-imssf-image": credplugin_settings.ISSUER_IMAGE or None,
        },
        "servers": [{"url": _url("obv3-discovery").removesuffix("/discovery")}],
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Profile"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": {
                    "tags": ["OpenBadgeCredentials"],
                    "operationId": "getCredentials",
                    "security": [{"OAuth2ACG": [SCOPE_CREDENTIAL_READ]}],
                }
            },
            "/profile": {
                "get": {
                    "tags": ["Profile"],
                    "operationId": "getProfile",
                    "security": [{"OAuth2ACG": [SCOPE_PROFILE_READ]}],
                }
            },
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256).",
                    "x-imssf-registrationUrl": _url("obv3-register"),
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": _url("obv3-authorize"),
                            "tokenUrl": _url("obv3-token"),
                            "refreshUrl": _url("obv3-token"),
                            "x-imssf-revocationUrl": _url("obv3-revoke"),
                            "scopes": {scope: str(text) for scope, text in SCOPES.items()},
                        }
                    },
                }
            }
        },
        "security": [security],
    }
    document["info"] = {key: value for key, value in document["info"].items() if value}
    return JsonResponse(document)


@csrf_exempt
@require_POST
def register(request):
    """RFC 7591 dynamic client registration; refused metadata stores nothing."""
    declared = request.headers.get("Content-Length") or "0"
    if not declared.isdigit() or int(declared) > MAX_REGISTRATION_BYTES:
        return _registration_error(_("The registration request is too large."), status=413)
    raw = request.read(MAX_REGISTRATION_BYTES + 1)
    if len(raw) > MAX_REGISTRATION_BYTES:
        return _registration_error(_("The registration request is too large."), status=413)
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return _registration_error(_("The registration request is not JSON."))
    try:
        client, secret = ob_api.register_client(metadata)
    except ob_api.RegistrationRefused as refused:
        return _registration_error(str(refused), refused.error)
    return JsonResponse(ob_api.registration_response(client, secret), status=201)


def _registration_error(description, error="invalid_client_metadata", status=400):
    return JsonResponse({"error": error, "error_description": str(description)}, status=status)


class ObAuthorizationView(AuthorizationView):
    """DOT's authorization (consent) page in the LMS's look, admitting only S256 PKCE."""

    template_name = "credplugin/obv3_authorize.html"
    validator_class = ob_api.ObApiValidator

    def dispatch(self, request, *args, **kwargs):
        data = request.POST if request.method == "POST" else request.GET
        if request.user.is_authenticated and (
            not data.get("code_challenge") or data.get("code_challenge_method") != "S256"
        ):
            reason = _("This API requires PKCE with code_challenge_method S256.")
            return render(
                request,
                self.template_name,
                page_context(error={"error": "invalid_request", "description": reason}),
                status=400,
            )
        return super().dispatch(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        """Consent and error pages both in the LMS's page layout."""
        return super().render_to_response(page_context(**context), **response_kwargs)


class ObTokenView(TokenView):
    """DOT's token endpoint (codes and refresh tokens) with the API's validator."""

    validator_class = ob_api.ObApiValidator


class ObRevokeTokenView(RevokeTokenView):
    """DOT's RFC 7009 revocation endpoint with the API's validator."""

    validator_class = ob_api.ObApiValidator


def _bearer(request, scope):
    """``(user, None)`` for a valid token of an OB API client with ``scope``, else
    ``(None, Imsx error response)``."""
    core = OAuthLibCore(Server(ob_api.ObApiValidator()))
    valid, oauthlib_request = core.verify_request(request, scopes=[])
    token = getattr(oauthlib_request, "access_token", None)
    if not valid or token is None:
        response = imsx_error(_("A valid bearer token is required."), 401, "unauthorized")
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return None, response
    client = ObApiClient.objects.filter(application_id=token.application_id).first()
    if client is None:
        return None, imsx_error(_("This token is not for the Open Badges API."), 403, "forbidden")
    if scope not in token.scope.split():
        response = imsx_error(
            _("The token lacks the scope %(scope)s.") % {"scope": scope}, 403, "forbidden"
        )
        response["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{scope}"'
        return None, response
    ob_api.record_use(token.user, client)
    return token.user, None


def _paging(request):
    """``(limit, offset, since)`` from the query, or raise ValueError with the reason."""
    try:
        limit = int(request.GET.get("limit", DEFAULT_LIMIT))
        offset = int(request.GET.get("offset", 0))
    except ValueError as error:
        raise ValueError(_("limit and offset must be whole numbers.")) from error
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValueError(_("limit must be 1 to %(max)d and offset 0 or more.") % {"max": MAX_LIMIT})
    since = request.GET.get("since")
    if since is not None:
        try:
            since = datetime.fromisoformat(since)
        except ValueError as error:
            raise ValueError(_("since must be an ISO 8601 date and time.")) from error
        if since.tzinfo is None:
            raise ValueError(_("since must carry a time zone."))
    return limit, offset, since


def _link_header(request, limit, offset, total):
    base = _url("obv3-credentials")
    extra = {"since": request.GET["since"]} if "since" in request.GET else {}

    def link(at, rel):
        return f'<{base}?{urlencode({"limit": limit, "offset": at, **extra})}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = [link(0, "first"), link(last, "last")]
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    if offset > 0:
        links.append(link(max(0, offset - limit), "prev"))
    return ", ".join(links)


def ob_resource(scope):
    """An API read: GET only, never cached, answered only to a valid token with ``scope``;
    the view receives the token's learner."""

    def decorator(view):
        @csrf_exempt
        @never_cache_private
        @require_safe
        @wraps(view)
        def wrapped(request):
            user, refusal = _bearer(request, scope)
            return refusal or view(request, user)

        return wrapped

    return decorator


@ob_resource(SCOPE_CREDENTIAL_READ)
def credentials(request, user):
    """``getCredentials``: the token's learner's signed badges, newest first, paged."""
    try:
        limit, offset, since = _paging(request)
    except ValueError as error:
        return imsx_error(error, 400)
    badges = ob_api.learner_credentials(user, since=since)
    total = badges.count()
    stored = badges.annotate(text=Cast("credential", TextField())).values_list("text", flat=True)
    # The credentials as stored (valid JSON, written by JSONField): joined, not re-encoded.
    body = '{"credential": [' + ", ".join(stored[offset : offset + limit]) + "]}"
    response = HttpResponse(body, content_type="application/json")
    response["X-Total-Count"] = str(total)
    response["Link"] = _link_header(request, limit, offset, total)
    return response


@ob_resource(SCOPE_PROFILE_READ)
def profile(request, user):
    """``getProfile``: the token's learner as an OB 3.0 ``Profile``."""
    subject = uuid.uuid5(uuid.NAMESPACE_URL, f"{api.issuer_did()}/learner/{user.pk}")
    body = {"@context": PROFILE_CONTEXT, "id": f"urn:uuid:{subject}", "type": "Profile"}
    name = user.get_full_name() or user.username
    body["name"] = name
    if user.email:
        body["email"] = user.email
    return JsonResponse(body)


@never_cache_private
@login_required
@require_POST
def disconnect(request, client_pk):
    """The learner withdraws an app's access: its tokens stop working at once."""
    try:
        client = ob_api.disconnect(request.user, client_pk)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    name = client.metadata.get("client_name") or client.application.name
    messages.success(request, _("%(name)s can no longer read your badges.") % {"name": name})
    return redirect("credplugin:my-badges")
