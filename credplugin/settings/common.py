"""Settings every LMS and Studio gets: the documented defaults from ``credplugin.conf``."""

from pathlib import Path

from credplugin.conf import DEFAULTS

# The plugin's own catalogs (OEP-58 layout): found even where the platform has not pulled them.
LOCALE_DIR = str(Path(__file__).resolve().parents[1] / "conf" / "locale")


def plugin_settings(settings):
    """Fill in each ``CREDPLUGIN_*`` default the operator has not set, and route no queues.

    Queue routing stays with the host (``EXPLICIT_QUEUES``); the sweeper runs from a Celery
    beat schedule where the host runs beat, and from ``manage.py credplugin_sweep`` otherwise.
    """
    for name, default in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, default)
    locale_paths = list(getattr(settings, "LOCALE_PATHS", []))
    if LOCALE_DIR not in locale_paths:
        settings.LOCALE_PATHS = [*locale_paths, LOCALE_DIR]
    _add_ob_api_scopes(settings)
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
    if schedule is None:
        schedule = {}
        settings.CELERY_BEAT_SCHEDULE = schedule
    schedule.setdefault(
        "credplugin-sweep",
        {"task": "credplugin.tasks.sweep_issuance_requests_task", "schedule": 300.0},
    )
    schedule.setdefault(
        "credplugin-renewal-reminders",
        {"task": "credplugin.tasks.send_renewal_reminders_task", "schedule": 3600.0},
    )
    schedule.setdefault(
        "credplugin-surveys",
        {"task": "credplugin.tasks.send_follow_up_surveys_task", "schedule": 3600.0},
    )
    schedule.setdefault(
        "credplugin-mentor-reminders",
        {"task": "credplugin.tasks.send_mentor_reminders_task", "schedule": 900.0},
    )
    schedule.setdefault(
        "credplugin-peer-sweep",
        {"task": "credplugin.tasks.sweep_peer_reviews_task", "schedule": 900.0},
    )
    schedule.setdefault(
        "credplugin-outcomes",
        {"task": "credplugin.tasks.refresh_outcomes_task", "schedule": 300.0},
    )


def _add_ob_api_scopes(settings):
    """Make the Open Badges 3.0 API's scopes known to django-oauth-toolkit (its consent page
    describes each requested scope); which client may ask for them is decided per client.
    The application model is named as edx-platform names it, for migrations that point at it."""
    from credplugin.delivery.ob_api_scopes import SCOPES  # noqa: PLC0415 - settings load before apps

    if not hasattr(settings, "OAUTH2_PROVIDER_APPLICATION_MODEL"):
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
    provider = dict(getattr(settings, "OAUTH2_PROVIDER", {}))
    provider["SCOPES"] = {**provider.get("SCOPES", {}), **SCOPES}
    settings.OAUTH2_PROVIDER = provider
