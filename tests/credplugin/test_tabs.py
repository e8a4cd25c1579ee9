"""The "Badges" course tab edx-platform plugs in through ``openedx.course_tab``.

edx-platform is not installable here, so ``xmodule.tabs.CourseTab`` is a stand-in with the
part of its contract the tab relies on: ``__init__(tab_dict)`` takes ``link_func`` from the
dict, and the platform calls ``is_enabled(course, user)`` and ``link_func(course, reverse)``.
"""

import importlib
import sys
import types
from importlib.metadata import entry_points

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import COURSE_KEY, BadgeRequirementFactory, UserFactory

pytestmark = pytest.mark.django_db


class CourseTab:
    def __init__(self, tab_dict):
        self.name = tab_dict.get("name", self.title)
        self.link_func = tab_dict.get("link_func")


@pytest.fixture
def tabs(monkeypatch):
    xmodule = types.ModuleType("xmodule")
    xmodule.tabs = types.SimpleNamespace(CourseTab=CourseTab)
    monkeypatch.setitem(sys.modules, "xmodule", xmodule)
    monkeypatch.setitem(sys.modules, "xmodule.tabs", xmodule.tabs)
    monkeypatch.delitem(sys.modules, "credplugin.tabs", raising=False)
    return importlib.import_module("credplugin.tabs")


def course(key=COURSE_KEY):
    return types.SimpleNamespace(id=key)


def test_the_tab_is_declared_as_an_openedx_course_tab():
    tabs = entry_points(group="openedx.course_tab")
    (declared,) = [entry for entry in tabs if "credplugin" in entry.value]
    assert declared.value == "credplugin.tabs:BadgesCourseTab"


def test_a_signed_in_learner_sees_it_in_a_course_that_offers_a_badge(tabs):
    learner = UserFactory()
    assert not tabs.BadgesCourseTab.is_enabled(course(), learner)
    BadgeRequirementFactory()
    assert tabs.BadgesCourseTab.is_enabled(course(), learner)
    assert not tabs.BadgesCourseTab.is_enabled(course(), AnonymousUser())
    assert tabs.BadgesCourseTab.is_enabled(course(), None)  # the platform's listing


def test_a_retired_requirement_offers_no_badge(tabs):
    BadgeRequirementFactory(active=False)
    assert not tabs.BadgesCourseTab.is_enabled(course(), UserFactory())


def test_the_tab_links_to_my_badges(tabs):
    tab = tabs.BadgesCourseTab({})
    assert tab.name == "Badges"
    link = tab.link_func(course(), lambda name: f"reversed:{name}")
    assert link == "reversed:credplugin:my-badges"
    assert tabs.my_badges_link(course()) == "/credplugin/my-badges/"
    assert tabs.BadgesCourseTab.is_dynamic and tabs.BadgesCourseTab.type == "credplugin_badges"
