"""compat's lookups for the pages: the LMS main template, REST authentication, course staff.

Outside edx-platform each falls back; inside it (simulated with stand-in modules) each uses
the platform's own piece.
"""

import sys
import types

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.authentication import SessionAuthentication

from credplugin import compat
from credplugin.views.layout import page_context
from tests.factories import COURSE_KEY, UserFactory


def _install(monkeypatch, dotted, **attributes):
    """Put a stand-in module (and its parents) at ``dotted`` for the test's duration."""
    parts = dotted.split(".")
    for depth in range(1, len(parts) + 1):
        name = ".".join(parts[:depth])
        if name not in sys.modules:
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    for key, value in attributes.items():
        monkeypatch.setattr(sys.modules[dotted], key, value, raising=False)


def test_standalone_pages_extend_the_plugins_own_base():
    assert compat.main_template_name() == "credplugin/standalone_base.html"
    assert page_context(x=1)["base_template"] == "credplugin/standalone_base.html"


def test_inside_the_lms_pages_extend_main_django(inside_lms):
    assert compat.main_template_name() == "main_django.html"


def test_lms_without_main_django_falls_back(monkeypatch):
    _install(monkeypatch, "common.djangoapps.edxmako")
    assert compat.main_template_name() == "credplugin/standalone_base.html"


def test_rest_authentication_is_session_only_standalone():
    assert compat.rest_authentication_classes() == [SessionAuthentication]


def test_rest_authentication_puts_the_platform_jwt_first(monkeypatch):
    jwt = type("JwtAuthentication", (), {})
    _install(
        monkeypatch,
        "edx_rest_framework_extensions.auth.jwt.authentication",
        JwtAuthentication=jwt,
    )
    assert compat.rest_authentication_classes() == [jwt, SessionAuthentication]


@pytest.mark.django_db
def test_course_staff_standalone_is_django_staff():
    assert compat.is_course_staff(UserFactory(username="s", is_staff=True), COURSE_KEY)
    assert not compat.is_course_staff(UserFactory(username="l"), COURSE_KEY)


@pytest.mark.django_db
def test_course_staff_in_the_lms_asks_has_access(monkeypatch):
    calls = []

    def has_access(user, action, course_key):
        calls.append((user.username, action, course_key))
        return user.username == "instructor"

    _install(monkeypatch, "lms.djangoapps.courseware.access", has_access=has_access)
    assert compat.is_course_staff(UserFactory(username="instructor"), COURSE_KEY)
    assert not compat.is_course_staff(UserFactory(username="learner"), COURSE_KEY)
    assert calls[0] == ("instructor", "staff", COURSE_KEY)


@pytest.mark.django_db
def test_display_name_prefers_the_lms_profile_name():
    user = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
    assert compat.learner_display_name(user) == "Ada Lovelace"
    user.profile = types.SimpleNamespace(name="Augusta Ada King")
    assert compat.learner_display_name(user) == "Augusta Ada King"


LMS_MAIN = (
    '<html lang="en" data-lms-main>{% block title %}{% endblock %}{% block headextra %}'
    '{% endblock %}<body class="{% block bodyclass %}{% endblock %}">'
    "<header>LMS header</header>{% block body %}{% endblock %}</body></html>"
)


@pytest.fixture
def inside_lms(monkeypatch, tmp_path, settings):
    """edxmako importable and a ``main_django.html`` on the template path, as in the LMS."""
    _install(monkeypatch, "common.djangoapps.edxmako")
    (tmp_path / "main_django.html").write_text(LMS_MAIN)
    with override_settings(TEMPLATES=[dict(settings.TEMPLATES[0], DIRS=[str(tmp_path)])]):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["badge-page", "verify-page"])
def test_pages_render_inside_the_lms_main_template(earn, client, name, request):
    badge = earn()
    request.getfixturevalue("inside_lms")
    args = [badge.uuid] if name == "badge-page" else []
    html = client.get(reverse(f"credplugin:{name}", args=args)).content.decode()
    assert "data-lms-main" in html and "LMS header" in html
    assert "credplugin-standalone" not in html
    assert 'class="credplugin-page' in html and '<main id="main"' in html
