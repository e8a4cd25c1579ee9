"""URLs of the standalone host: a home page, sign-in, the admin, then every plugin's URLs as
edx-platform adds them."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from edx_django_utils.plugins import get_plugin_url_patterns

from credplugin.views.layout import in_shown_language
from tests.host import views

urlpatterns = [
    path("", in_shown_language(views.home), name="home"),
    path("admin/", admin.site.urls),
    # The LMS's sign-in stands in as Django's own: "My badges" redirects here (LOGIN_URL).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
urlpatterns.extend(get_plugin_url_patterns(settings.PROJECT_TYPE))


def _workbench_patterns():
    """The XBlock SDK workbench's views, without its own admin and static-file routes."""
    from workbench import urls as workbench_urls  # noqa: PLC0415  (imports its views lazily)

    wanted = {"workbench_index", "scenario", "workbench_show_scenario", "handler"}
    wanted |= {"unauth_handler", "package_resource", "reset_state", "javascript-catalog"}
    bare_views = ("^view/",)  # unnamed: one block without the workbench chrome (phone checks)
    return [
        p
        for p in workbench_urls.urlpatterns
        if getattr(p, "name", None) in wanted or str(p.pattern).startswith(bare_views)
    ]


urlpatterns.append(path("workbench/", include(_workbench_patterns())))
