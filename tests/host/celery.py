"""The host's Celery app, configured from Django settings like the LMS's."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.host.settings")

app = Celery("credplugin_host")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["credplugin"])
