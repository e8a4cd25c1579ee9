"""URLs of the standalone host: the admin, then every plugin's URLs as edx-platform adds them."""

from django.conf import settings
from django.contrib import admin
from django.urls import path
from edx_django_utils.plugins import get_plugin_url_patterns

urlpatterns = [path("admin/", admin.site.urls)]
urlpatterns.extend(get_plugin_url_patterns(settings.PROJECT_TYPE))
