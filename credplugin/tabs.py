"""The "Badges" course tab: a link to the learner's badges in the course navigation.

edx-platform loads it through the ``openedx.course_tab`` entry point (its
``CourseTabPluginManager``), the way its own CCX tab is plugged in, and the Learning MFE shows
it with the course's other tabs. It subclasses edx-platform's ``CourseTab``, so only the
platform imports this module.
"""

from django.urls import reverse
from django.utils.translation import gettext_noop
from xmodule.tabs import CourseTab  # edx-platform

from credplugin import api


def my_badges_link(course, reverse_func=reverse):
    """Where the tab leads: the learner's badges (the course is not part of the address)."""
    return reverse_func("credplugin:my-badges")


class BadgesCourseTab(CourseTab):
    """Shown to signed-in learners of a course that offers at least one badge."""

    type = "credplugin_badges"
    title = gettext_noop("Badges")
    priority = 90
    is_dynamic = True  # added by the platform whenever is_enabled says so; authors add nothing
    is_hideable = False
    allow_multiple = False

    def __init__(self, tab_dict):
        super().__init__({**(tab_dict or {}), "link_func": my_badges_link})

    @classmethod
    def is_enabled(cls, course, user=None):
        if user is None:  # the platform asks once without a user to list possible tabs
            return True
        return bool(user.is_authenticated) and api.course_offers_badges(course.id)
