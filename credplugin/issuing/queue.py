"""Queue the plugin's Celery tasks by their stable names, without importing ``credplugin.tasks``.

The tasks call the pipeline (intake, evaluation, issuance, sweeper); the pipeline queues tasks.
Looking a task up in the Celery app's registry by the name operators route
(``credplugin.tasks.<name>``) keeps the pipeline free of imports of the tasks module, so there
is no import circle. ``CredPluginConfig.ready`` imports the tasks module, which registers them.
"""

import logging

from celery import current_app

log = logging.getLogger(__name__)

TASKS_MODULE = "credplugin.tasks"


def enqueue(task_name, *args, countdown=None):
    """Queue ``credplugin.tasks.<task_name>``; returns whether it was. A broker failure is
    logged, never raised (the sweeper recovers from the database)."""
    try:
        current_app.tasks[f"{TASKS_MODULE}.{task_name}"].apply_async(args, countdown=countdown)
    except Exception:  # a broker outage must not reach the caller; the DB keeps the work
        log.warning("credplugin could not queue %s%r; the sweeper will pick it up", task_name, args)
        return False
    return True


def tasks_run_eagerly():
    """Whether tasks run in their caller, at once (``task_always_eager``)."""
    return bool(current_app.conf.task_always_eager)
