"""Pathway scopes in the course staff's dashboard: figures over each pathway's component
badges (every run of their achievements), only for staff of every run they cover."""

import pytest
from django.urls import reverse
from django.utils import timezone

from credplugin.outcomes import dashboard
from credplugin.stacking import pathways
from tests.factories import UserFactory
from tests.pathway_badges import OTHER_COURSE

pytestmark = pytest.mark.django_db


@pytest.fixture
def champion(pathway_class, components, award):
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components]
    )
    for name in ("ada", "grace"):
        learner = UserFactory(username=name)
        award(learner, components[0])
    award(UserFactory(username="alan"), components[2])  # the other course's component
    return components


def dashboard_url(requirement):
    return reverse("credplugin:outcomes-dashboard", args=[str(requirement.badge_class.course_key)])


def test_a_pathway_row_counts_earners_of_all_its_components(client, champion):
    client.force_login(UserFactory(username="staff", is_staff=True))
    response = client.get(dashboard_url(champion[0]))
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["rows"]}
    assert rows["Pathway: AI Champion"]["programme"]["earners"]["value"] == 3
    assert rows["Component 0"]["programme"]["earners"]["value"] == 2
    html = response.content.decode()
    assert '<th scope="row">Pathway: AI Champion</th><td>3</td><td>3</td>' in html
    csv_text = client.get(dashboard_url(champion[0]), {"format": "csv"}).content.decode()
    assert "Pathway: AI Champion" in csv_text


def test_the_pathway_scope_is_every_run_of_its_components(champion):
    ((pathway, scope),) = dashboard.pathway_scopes(champion[1].badge_class.course_key)
    assert set(scope.badge_class_ids) == {c.badge_class.pk for c in champion}
    assert scope.key == f"pathway:{pathway.badge_class.uuid}"
    (row,) = dashboard.pathway_figures(
        [(pathway, scope)], timezone.now().replace(year=2000), timezone.now().replace(year=2100)
    )
    assert row["programme"]["earners"]["value"] == 3


def test_staff_of_one_run_only_see_no_pathway_reaching_other_courses(client, champion, monkeypatch):
    from credplugin import compat  # noqa: PLC0415

    monkeypatch.setattr(compat, "is_course_staff", lambda user, key: str(key) != OTHER_COURSE)
    client.force_login(UserFactory(username="run-staff"))
    response = client.get(dashboard_url(champion[0]))
    assert response.status_code == 200
    labels = [row["label"] for row in response.context["rows"]]
    assert labels == ["AI Champion", "Component 0", "Component 1"]  # badges of the run only
