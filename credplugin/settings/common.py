"""Settings every LMS and Studio gets: the documented defaults from ``credplugin.conf``."""

from pathlib import Path

from credplugin.conf import DEFAULTS

# The plugin's own catalogs (OEP-58 layout): found even where the platform has not pulled them.
LOCALE_DIR = str(Path(__file__).resolve().parents[1] / "conf" / "locale")


# The plugin's periodic work: beat entry → (task in credplugin.tasks, every so many seconds).
# An operator's own entry of the same name wins. Tutor runs no beat: its cron jobs do the same.
BEAT_ENTRIES = {
    "credplugin-sweep": ("sweep_issuance_requests_task", 300.0),
    "credplugin-renewal-reminders": ("send_renewal_reminders_task", 3600.0),
    "credplugin-surveys": ("send_follow_up_surveys_task", 3600.0),
    "credplugin-mentor-reminders": ("send_mentor_reminders_task", 900.0),
    "credplugin-peer-sweep": ("sweep_peer_reviews_task", 900.0),
    "credplugin-outcomes": ("refresh_outcomes_task", 300.0),
}


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
    for name, (task, seconds) in BEAT_ENTRIES.items():
        schedule.setdefault(name, {"task": f"credplugin.tasks.{task}", "schedule": seconds})


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
