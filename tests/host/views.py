"""The demo host's front door: a home page that leads each visitor to their part of the demo."""

from django.shortcuts import render
from django.urls import reverse

from tests.host.demo_course import (
    DEMO_SCENARIO,
    DEMO_SCENARIO_TITLE,
    LEARNER,
    LEARNER_PASSWORD,
    MENTOR,
    demo_scenario,
)


def home(request):
    """Links to the demo course (as the learner and as the mentor), "My badges", the verify
    page and the admin, with the demo learner's sign-in."""
    demo_scenario()
    course = reverse("workbench_show_scenario", kwargs={"scenario_id": DEMO_SCENARIO})
    context = {
        "base_template": "credplugin/standalone_base.html",
        "site_name": "credplugin demo academy",
        "course_title": DEMO_SCENARIO_TITLE,
        "learner_url": f"{course}?student={LEARNER}",
        "mentor_url": f"{course}?student={MENTOR}",
        "learner": LEARNER,
        "learner_password": LEARNER_PASSWORD,
    }
    return render(request, "host/home.html", context)
