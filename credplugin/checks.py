"""System checks (``manage.py check``) that tell an operator what stops badges being issued."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

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
    """Without an active key, awards wait (safely) in the outbox until an operator adds one."""
    from credplugin.models import IssuerKey  # noqa: PLC0415  (apps must be ready)

    if credplugin_settings.SIGNING_KEY_PEM_FILE or credplugin_settings.SIGNING_KEY_ENV_VAR:
        return []
    try:
        has_key = IssuerKey.objects.filter(active=True).exists()
    except DatabaseError:
        return []
    if has_key:
        return []
    return [
        Warning(
            "There is no active signing key: awarded badges wait until one exists.",
            hint="Run: manage.py credplugin_keys generate",
            id="credplugin.W001",
        )
    ]
