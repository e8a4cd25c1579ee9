"""The plugin's Django app, declared the way edx-platform discovers plugins."""

from django.apps import AppConfig
from edx_django_utils.plugins.constants import PluginSettings, PluginSignals, PluginURLs

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"

# Receivers are wired by edx-django-utils from this table alone (never with @receiver as well,
# which would connect them twice). Studio only needs to hear its content's lifecycle.
_PASSING_RECEIVERS = [
    {
        PluginSignals.RECEIVER_FUNC_NAME: "course_passing_status_updated",
        PluginSignals.SIGNAL_PATH: "openedx_events.learning.signals.COURSE_PASSING_STATUS_UPDATED",
    },
    {
        PluginSignals.RECEIVER_FUNC_NAME: "ccx_course_passing_status_updated",
        PluginSignals.SIGNAL_PATH: (
            "openedx_events.learning.signals.CCX_COURSE_PASSING_STATUS_UPDATED"
        ),
    },
    {
        PluginSignals.RECEIVER_FUNC_NAME: "certificate_created",
        PluginSignals.SIGNAL_PATH: "openedx_events.learning.signals.CERTIFICATE_CREATED",
    },
]
_AUTHORING = "openedx_events.content_authoring.signals."
_CONTENT_RECEIVERS = [
    {
        PluginSignals.RECEIVER_FUNC_NAME: receiver,
        PluginSignals.SIGNAL_PATH: _AUTHORING + signal,
    }
    for receiver, signal in (
        ("xblock_published", "XBLOCK_PUBLISHED"),
        ("xblock_duplicated", "XBLOCK_DUPLICATED"),
        ("xblock_deleted", "XBLOCK_DELETED"),
        ("library_block_published", "LIBRARY_BLOCK_PUBLISHED"),
        ("course_copied", "COURSE_RERUN_COMPLETED"),
        ("course_copied", "COURSE_IMPORT_COMPLETED"),
    )
]


def _settings_config():
    return {
        "common": {PluginSettings.RELATIVE_PATH: "settings.common"},
        "production": {PluginSettings.RELATIVE_PATH: "settings.production"},
        "devstack": {PluginSettings.RELATIVE_PATH: "settings.devstack"},
        "test": {PluginSettings.RELATIVE_PATH: "settings.test"},
    }


class CredPluginConfig(AppConfig):
    """Registers credplugin's URLs, settings and event receivers in the LMS and Studio."""

    name = "credplugin"
    verbose_name = "Verifiable credentials (Open Badges 3.0)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        PluginURLs.CONFIG: {
            LMS: {
                PluginURLs.NAMESPACE: "credplugin",
                PluginURLs.REGEX: r"^",
                PluginURLs.RELATIVE_PATH: "urls",
            },
            CMS: {
                PluginURLs.NAMESPACE: "credplugin",
                PluginURLs.REGEX: r"^",
                PluginURLs.RELATIVE_PATH: "urls",
            },
        },
        PluginSettings.CONFIG: {LMS: _settings_config(), CMS: _settings_config()},
        PluginSignals.CONFIG: {
            LMS: {
                PluginSignals.RELATIVE_PATH: "signals.handlers",
                PluginSignals.RECEIVERS: _PASSING_RECEIVERS + _CONTENT_RECEIVERS,
            },
            CMS: {
                PluginSignals.RELATIVE_PATH: "signals.handlers",
                PluginSignals.RECEIVERS: _CONTENT_RECEIVERS,
            },
        },
    }

    def ready(self):
        """Wire what must exist in every process before the first request or task; nothing else.

        - System checks (``credplugin.checks``) and Celery tasks (``credplugin.tasks``) register
          on import. Every process needs the tasks registered, since the pipeline queues them by
          name from the app's registry (``issuing/queue.py``).
        - ``openbadges`` reads no settings, so it is handed a callable that reads
          ``CREDPLUGIN_FAST_CANONICALIZATION`` on each canonicalization.
        - Starting Celery workers queue a recovery of work a dead worker held
          (``intake.recover_after_worker_start``); the receiver runs at worker start, not here.
        - Each pool process, once started, freezes its start-up objects for the garbage
          collector (``issuing.worker_heap.settle``).
        - Outcomes hear the LMS's learner-retirement signal where the platform has one.

        It makes no database query (a test keeps it so) and no network call, reads settings only
        later, when they are used, and gives each connection a ``dispatch_uid``, so a second
        call connects nothing twice.
        Event receivers are not connected here: edx-django-utils does it from ``plugin_app``.
        """
        from celery.signals import worker_process_init, worker_ready  # noqa: PLC0415

        from credplugin import checks, tasks  # noqa: F401, PLC0415  (register on import)
        from credplugin.conf import credplugin_settings  # noqa: PLC0415
        from credplugin.issuing import intake, worker_heap  # noqa: PLC0415
        from credplugin.openbadges import canonical  # noqa: PLC0415
        from credplugin.outcomes import retirement  # noqa: PLC0415

        canonical.use_fast_path(lambda: bool(credplugin_settings.FAST_CANONICALIZATION))
        worker_ready.connect(
            intake.recover_after_worker_start, weak=False, dispatch_uid="credplugin.recover"
        )
        worker_process_init.connect(
            worker_heap.settle, weak=False, dispatch_uid="credplugin.worker_heap"
        )
        retirement.connect()
