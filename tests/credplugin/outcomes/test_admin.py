"""Outcome plans and the site-wide overview in the Django admin."""

import pytest
from django.urls import reverse

from credplugin.models import OutcomePlan
from tests.credplugin.outcomes.data import q1_cohort
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_a_plan_takes_valid_survey_days_only(operator):
    requirement, _ = q1_cohort()
    add = reverse("admin:credplugin_outcomeplan_add")
    refused = operator.post(
        add, {"badge_class": requirement.badge_class.pk, "survey_days": '["30"]'}
    )
    assert refused.status_code == 200
    assert "whole numbers of days" in refused.content.decode()
    assert not OutcomePlan.objects.exists()
    operator.post(
        add,
        {"badge_class": requirement.badge_class.pk, "survey_days": "[90, 30]", "published": "on"},
    )
    plan = OutcomePlan.objects.get()
    assert (plan.survey_days, plan.published) == ([30, 90], True)


def test_the_overview_lists_every_badge_with_a_link_to_its_dashboard(operator):
    requirement, _ = q1_cohort()
    listing = operator.get(reverse("admin:credplugin_outcomeplan_changelist")).content.decode()
    overview = reverse("admin:credplugin_outcomes_overview")
    assert overview in listing
    html = operator.get(overview, {"days": "10000"}).content.decode()
    assert requirement.badge_class.name in html
    assert (
        reverse("credplugin:outcomes-dashboard", args=[str(requirement.badge_class.course_key)])
        in html
    )
    assert operator.get(overview, {"days": "many"}).status_code == 200
