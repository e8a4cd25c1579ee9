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
