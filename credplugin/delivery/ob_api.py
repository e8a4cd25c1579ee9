"""The 1EdTech Open Badges 3.0 REST API, host side: clients, scopes, and what a token may read.

OAuth 2.0 itself is django-oauth-toolkit's, on the platform's own tables: a client registered
here is a confidential DOT ``Application`` (authorization code, hashed secret) plus one
``ObApiClient`` row keeping the RFC 7591 metadata DOT has no field for and the scopes it
registered. ``ObApiValidator`` narrows DOT's checks for these clients only: PKCE with S256 is
required, and a client gets no scope it did not register. Nothing here changes how the
platform's other OAuth clients behave.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)
from oauth2_provider.oauth2_validators import OAuth2Validator

from credplugin.delivery.ob_api_scopes import SCOPES
from credplugin.exceptions import CredPluginError, NotFound
from credplugin.models import IssuedBadge, ObApiClient, ObApiUse

AUTH_METHOD = "client_secret_basic"  # noqa: S105 - the method's name, not a secret
USE_RECORDED_EVERY = timedelta(minutes=1)
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
MAX_REDIRECT_URIS = 5
MAX_URI_LENGTH = 500
MAX_TEXT_LENGTH = 255
URI_FIELDS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
TEXT_FIELDS = ("client_name", "software_id", "software_version")
KNOWN_FIELDS = frozenset(
    {
        *URI_FIELDS,
        *TEXT_FIELDS,
        "redirect_uris",
        "token_endpoint_auth_method",
        "grant_types",
        "response_types",
        "scope",
        "contacts",
    }
)


class RegistrationRefused(CredPluginError):
    """Client metadata we will not register (RFC 7591 ``invalid_client_metadata`` or
    ``invalid_redirect_uri``).

    Attributes:
        error (str): the RFC 7591 error code.
    """

    def __init__(self, message, error="invalid_client_metadata"):
        super().__init__(message)
        self.error = error


def check_redirect_uri(uri):
    """Refuse redirect URIs an attacker could bend: not https (http only to a loopback host),
    with a fragment, user info, wildcard or relative path.

    Raises:
        RegistrationRefused: ``invalid_redirect_uri``, naming the URI and what is wrong.
    """
    if not isinstance(uri, str) or not uri or len(uri) > MAX_URI_LENGTH:
        raise RegistrationRefused(_("redirect_uris must be URLs."), "invalid_redirect_uri")
    parts = urlsplit(uri)
    loopback = parts.hostname in LOOPBACK_HOSTS
    problem = None
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        problem = _("it must use https (http only for a loopback address)")
    elif not parts.hostname or parts.username or parts.password or "*" in uri:
        problem = _("it must name a host, without user info or wildcards")
    elif "#" in uri:
        problem = _("it must not have a fragment")
    elif any(ord(char) < 33 or char in '"<>\\^`{|}' for char in uri):
        problem = _("it contains characters a URL may not")
    if problem:
        raise RegistrationRefused(
            _("Redirect URI %(uri)s refused: %(problem)s.") % {"uri": uri, "problem": problem},
            "invalid_redirect_uri",
        )
    return uri


def _check_uri(name, value):
    if not isinstance(value, str) or len(value) > MAX_URI_LENGTH:
        raise RegistrationRefused(_("%(name)s must be a URL.") % {"name": name})
    if urlsplit(value).scheme != "https" or not urlsplit(value).hostname:
        raise RegistrationRefused(_("%(name)s must be an https URL.") % {"name": name})
    return value


def _check_text(name, value, required):
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT_LENGTH:
        raise RegistrationRefused(
            _("%(name)s must be text of at most %(limit)d characters.")
            % {"name": name, "limit": MAX_TEXT_LENGTH}
        )
    return value.strip()


def _check_list(name, value, allowed, default):
    value = default if value is None else value
    if not isinstance(value, list) or not value or any(item not in allowed for item in value):
        raise RegistrationRefused(
            _("%(name)s may only hold %(allowed)s.")
            % {"name": name, "allowed": ", ".join(sorted(allowed))}
        )
    return value


def clean_registration(metadata):
    """The registration request checked against what the OB 3.0 API allows.

    Returns the cleaned metadata (``redirect_uris`` a list, ``scope`` a list).

    Raises:
        RegistrationRefused: the first problem, in words a client developer can act on.
    """
    if not isinstance(metadata, dict):
        raise RegistrationRefused(_("The registration request must be a JSON object."))
    unknown = sorted(key for key in metadata if key not in KNOWN_FIELDS)
    if unknown:
        raise RegistrationRefused(
            _("Unknown client metadata: %(names)s.") % {"names": ", ".join(unknown)}
        )
    cleaned = {
        name: _check_text(name, metadata.get(name), name == "client_name") for name in TEXT_FIELDS
    }
    for name in URI_FIELDS:
        required = name in ("client_uri", "tos_uri", "policy_uri")
        if metadata.get(name) is not None or required:
            cleaned[name] = _check_uri(name, metadata.get(name))
        else:
            cleaned[name] = ""
    uris = metadata.get("redirect_uris")
    if not isinstance(uris, list) or not 0 < len(uris) <= MAX_REDIRECT_URIS:
        raise RegistrationRefused(
            _("redirect_uris must list 1 to %(limit)d URLs.") % {"limit": MAX_REDIRECT_URIS},
            "invalid_redirect_uri",
        )
    cleaned["redirect_uris"] = [check_redirect_uri(uri) for uri in uris]
    cleaned["token_endpoint_auth_method"] = _check_text(
        "token_endpoint_auth_method",
        metadata.get("token_endpoint_auth_method", AUTH_METHOD),
        True,
    )
    if cleaned["token_endpoint_auth_method"] != AUTH_METHOD:
        raise RegistrationRefused(_("token_endpoint_auth_method must be client_secret_basic."))
    cleaned["grant_types"] = _check_list(
        "grant_types",
        metadata.get("grant_types"),
        {"authorization_code", "refresh_token"},
        ["authorization_code", "refresh_token"],
    )
    if "authorization_code" not in cleaned["grant_types"]:
        raise RegistrationRefused(_("grant_types must include authorization_code."))
    cleaned["response_types"] = _check_list(
        "response_types", metadata.get("response_types"), {"code"}, ["code"]
    )
    scope = metadata.get("scope")
    if not isinstance(scope, str):
        raise RegistrationRefused(_("scope must list the scopes the client needs."))
    cleaned["scope"] = _check_list("scope", scope.split(), set(SCOPES), None)
    return cleaned


def register_client(metadata):
    """Register an OB 3.0 API client; returns ``(ObApiClient, plaintext client secret)``.

    The secret is shown this once: DOT stores only its hash.

    Raises:
        RegistrationRefused: the metadata is not acceptable; nothing is stored.
    """
    cleaned = clean_registration(metadata)
    application_model = get_application_model()
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        application = application_model.objects.create(
            name=cleaned["client_name"][:255],
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(cleaned["redirect_uris"]),
            client_secret=secret,
            skip_authorization=False,
        )
        client = ObApiClient.objects.create(
            application=application,
            scope=" ".join(cleaned["scope"]),
            metadata={key: value for key, value in cleaned.items() if value != ""},
        )
    return client, secret


def registration_response(client, secret):
    """The RFC 7591 answer: the credentials and the metadata as registered."""
    return {
        **client.metadata,
        "client_id": client.application.client_id,
        "client_secret": secret,
        "client_id_issued_at": int(client.created.timestamp()),
        "client_secret_expires_at": 0,
        "scope": client.scope,
    }


class ObApiValidator(OAuth2Validator):
    """DOT's validator as the OB 3.0 API's endpoints use it: PKCE is required (the views admit
    only S256) and only clients registered here get scopes, no more than they registered.
    The platform's own OAuth endpoints keep their validator and settings."""

    def _ob_client(self, request):
        client = getattr(request, "client", None)
        if client is None:
            return None
        return ObApiClient.objects.filter(application=client).first()

    def is_pkce_required(self, client_id, request):
        return True

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        ob_client = ObApiClient.objects.filter(application=client).first()
        if ob_client is None:
            return False
        return set(scopes) <= set(ob_client.scope.split())

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        ob_client = self._ob_client(request)
        return ob_client.scope.split() if ob_client else []


def learner_credentials(user, *, since=None):
    """The learner's signed badges, newest first, optionally issued at or after ``since``."""
    badges = IssuedBadge.objects.filter(user=user).order_by("-issued_at", "-id")
    if since is not None:
        badges = badges.filter(issued_at__gte=since)
    return badges


def record_use(user, client):
    """Note that ``client`` read ``user``'s data now; at most one write a minute per pair."""
    now = timezone.now()
    use = ObApiUse.objects.filter(user=user, client=client).only("last_read").first()
    if use is None:
        try:
            with transaction.atomic():
                ObApiUse.objects.create(user=user, client=client, last_read=now)
        except IntegrityError:
            pass  # a concurrent request of the same client recorded it
    elif use.last_read < now - USE_RECORDED_EVERY:
        ObApiUse.objects.filter(pk=use.pk).update(last_read=now)


def connections(user):
    """The OB API clients holding a live token of ``user``: what each may read and when it
    last read, for the learner to review and disconnect."""
    now = timezone.now()
    access = get_access_token_model().objects.filter(user=user, expires__gt=now)
    refresh = get_refresh_token_model().objects.filter(user=user, revoked__isnull=True)
    application_ids = set(access.values_list("application_id", flat=True))
    application_ids |= set(refresh.values_list("application_id", flat=True))
    clients = ObApiClient.objects.filter(application_id__in=application_ids).select_related(
        "application"
    )
    last_reads = dict(
        ObApiUse.objects.filter(user=user, client__in=clients).values_list("client_id", "last_read")
    )
    return [
        {
            "client": client,
            "name": client.metadata.get("client_name") or client.application.name,
            "url": client.metadata.get("client_uri", ""),
            "scopes": [SCOPES[scope] for scope in client.scope.split() if scope in SCOPES],
            "last_read": last_reads.get(client.pk),
        }
        for client in clients
    ]


def disconnect(user, client_pk):
    """Revoke every token and pending code ``user`` gave the client, at once.

    Raises:
        NotFound: no such client.
    """
    client = ObApiClient.objects.filter(pk=client_pk).first()
    if client is None:
        raise NotFound(_("There is no such connected app."))
    application = client.application_id
    with transaction.atomic():
        for token in get_refresh_token_model().objects.filter(
            user=user, application_id=application, revoked__isnull=True
        ):
            token.revoke()
        get_access_token_model().objects.filter(user=user, application_id=application).delete()
        get_grant_model().objects.filter(user=user, application_id=application).delete()
        ObApiUse.objects.filter(user=user, client=client).delete()
    return client
