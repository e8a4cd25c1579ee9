"""Settings every LMS and Studio gets: the documented defaults from ``credplugin.conf``."""

from credplugin.conf import DEFAULTS


def plugin_settings(settings):
    """Fill in each ``CREDPLUGIN_*`` default the operator has not set, and route no queues.

    Queue routing stays with the host (``EXPLICIT_QUEUES``); the sweeper runs from a Celery
    beat schedule where the host runs beat, and from ``manage.py credplugin_sweep`` otherwise.
    """
    for name, default in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, default)
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
    if schedule is None:
        schedule = {}
        settings.CELERY_BEAT_SCHEDULE = schedule
    schedule.setdefault(
        "credplugin-sweep",
        {"task": "credplugin.tasks.sweep_issuance_requests_task", "schedule": 300.0},
    )
