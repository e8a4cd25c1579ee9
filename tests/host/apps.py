"""Stands in for edx-platform's ``plugins`` app: connects plugin receivers once at start-up."""

from django.apps import AppConfig
from django.conf import settings


class HostPlatformConfig(AppConfig):
    """Does what ``openedx.core.djangoapps.plugins.apps.PluginsConfig.ready`` does."""

    name = "tests.host"
    label = "credplugin_host"

    def ready(self):
        from edx_django_utils.plugins import connect_plugin_receivers  # noqa: PLC0415

        from tests.host import celery  # noqa: F401, PLC0415  (binds the Celery app)

        connect_plugin_receivers(settings.PROJECT_TYPE)
