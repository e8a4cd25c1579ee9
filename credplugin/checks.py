"""System checks (``manage.py check``) that tell an operator what stops badges being issued."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.utils.module_loading import import_string

from credplugin.conf import DEFAULTS, credplugin_settings

_CONSOLE_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


@register()
def check_settings(app_configs, **kwargs):
    """Issuer identity and the choice settings must be usable before anything is signed."""
    problems = []
    for name in DEFAULTS:
        try:
            getattr(credplugin_settings, name.removeprefix("CREDPLUGIN_"))
        except ImproperlyConfigured as error:
            problems.append(Error(str(error), id="credplugin.E001"))
    if not credplugin_settings.issuer_name:
        problems.append(
            Error(
                "The badge issuer has no name.",
                hint="Set CREDPLUGIN_ISSUER_NAME (or PLATFORM_NAME).",
                id="credplugin.E002",
            )
        )
    if not credplugin_settings.issuer_url:
        problems.append(
            Error(
                "The badge issuer has no URL, so no did:web identifier can be derived.",
                hint="Set CREDPLUGIN_ISSUER_URL or LMS_ROOT_URL.",
                id="credplugin.E003",
            )
        )
    if not getattr(settings, "STORAGES", None) and not getattr(
        settings, "DEFAULT_FILE_STORAGE", None
    ):
        problems.append(
            Warning(
                "No file storage is configured; learners' project files use the local default.",
                hint="Set STORAGES['default'] or CREDPLUGIN_UPLOAD_STORAGE.",
                id="credplugin.W002",
            )
        )
    return problems


@register()
def check_content_store(app_configs, **kwargs):
    """A mistyped content store would leave requirements unregistered on every publish."""
    path = credplugin_settings.CONTENT_STORE
    if not path:
        return []
    try:
        import_string(path)
    except ImportError as error:
        return [
            Error(
                f"CREDPLUGIN_CONTENT_STORE {path!r} cannot be imported: {error}",
                hint="Name an object with published_blocks, published_block and library_copies.",
                id="credplugin.E006",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    """In production, award e-mails must go somewhere a learner can read them."""
    if credplugin_settings.SEND_EMAIL and settings.EMAIL_BACKEND in _CONSOLE_BACKENDS:
        return [
            Warning(
                "Badge e-mails are enabled but EMAIL_BACKEND only prints or drops them.",
                hint="Configure a real EMAIL_BACKEND or set CREDPLUGIN_SEND_EMAIL = False.",
                id="credplugin.W003",
            )
        ]
    return []


@register(Tags.database)
def check_signing_key(app_configs, **kwargs):
    """Without a usable key, awards wait (safely) in the outbox until an operator adds one."""
    from credplugin.exceptions import CredPluginError  # noqa: PLC0415
    from credplugin.issuer import identity, keys  # noqa: PLC0415  (apps must be ready)

    try:
        did = identity.issuer_did()
    except CredPluginError as error:
        return [Error(str(error), id="credplugin.E004")]
    try:
        key_row, signing_key = keys.active_signing_key(did)
    except keys.KeyUnavailable as unavailable:
        return [
            Warning(
                f"Badges cannot be signed: {unavailable}",
                hint="Awarded badges wait until a key is usable; then run credplugin_sweep.",
                id="credplugin.W001",
            )
        ]
    except DatabaseError:
        return []
    if did.startswith("did:key:") and did != f"did:key:{signing_key.public_key_multibase}":
        return [
            Error(
                "CREDPLUGIN_ISSUER_DID is a did:key of another key than the active signing key, "
                "so no badge would verify.",
                hint=f"Set CREDPLUGIN_ISSUER_DID to did:key:{key_row.public_key_multibase}.",
                id="credplugin.E005",
            )
        ]
    return []


@register(Tags.database)
def check_failed_issuance(app_configs, **kwargs):
    """Failed requests need a person: they are never retried on their own."""
    from credplugin.models import IssuanceRequest  # noqa: PLC0415

    try:
        failed = IssuanceRequest.objects.filter(status=IssuanceRequest.Status.FAILED).count()
    except DatabaseError:
        return []
    if not failed:
        return []
    return [
        Warning(
            f"{failed} badge issuance request(s) failed.",
            hint="Read each reason in the admin (Issuance requests), fix it, then retry them.",
            id="credplugin.W004",
        )
    ]
