"""The course staff's outcomes dashboard: who may see it, filters, tables, charts, CSV."""

import csv
import io
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from credplugin.models import OutcomeSnapshot
from credplugin.outcomes import counters, statements
from credplugin.outcomes.figures import Scope
from tests.credplugin.outcomes.data import q1_cohort
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Q1 = {"start": "2026-01-01", "end": "2026-04-01"}


@pytest.fixture
def cohort():
    requirement, _ = q1_cohort()
    return requirement.badge_class


def url(badge_class):
    return reverse("credplugin:outcomes-dashboard", args=[str(badge_class.course_key)])


def test_only_course_staff_see_it(client, cohort):
    assert client.get(url(cohort)).status_code == 302  # to the login page
    client.force_login(UserFactory(username="learner"))
    assert client.get(url(cohort)).status_code == 403
    client.force_login(UserFactory(username="staff", is_staff=True))
    response = client.get(url(cohort), Q1)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_course_is_404_and_a_bad_range_400(client, cohort):
    client.force_login(UserFactory(username="staff", is_staff=True))
    bad_course = reverse("credplugin:outcomes-dashboard", args=["not-a-course"])
    assert client.get(bad_course).status_code == 404
    for bad in (
        {"start": "2026-04-01", "end": "2026-01-01"},
        {"start": "yesterday"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"run": "course-v1:other+course+run"},
    ):
        response = client.get(url(cohort), bad)
        assert response.status_code == 400, bad
        assert 'role="alert"' in response.content.decode()


def test_each_chart_has_its_table_with_the_figures_of_the_range(client, cohort):
    client.force_login(UserFactory(username="staff", is_staff=True))
    html = client.get(url(cohort), Q1).content.decode()
    assert html.count("<canvas") == html.count('<caption class="credplugin-visually-hidden">')
    assert '<canvas data-series="earners"' in html
    assert f'<tr><th scope="row">{cohort.name}</th><td>4</td><td>4</td></tr>' in html
    assert f'<tr><th scope="row">{cohort.name}</th><td>0.8</td><td>5</td></tr>' in html
    assert 'id="credplugin-outcomes-chart-data"' in html
    assert "vendor/chart-4.5.1.umd.min.js" in html


def test_csv_export_has_every_figure_with_its_n(client, cohort):
    client.force_login(UserFactory(username="staff", is_staff=True))
    response = client.get(url(cohort), {**Q1, "format": "csv"})
    assert response["Content-Type"] == "text/csv"
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["badge", "badge_uuid", "from", "before", "figure", "part", "value", "n"]
    badge = [cohort.name, str(cohort.uuid), "2026-01-01", "2026-04-01"]
    assert [*badge, "earners", "value", "4", "4"] in lines
    assert [*badge, "days_enrollment_to_award", "p90", "31.0", "4"] in lines
    assert [*badge, "criterion_levels/design", "expert", "1", "4"] in lines


def test_page_views_verifications_and_shares_are_charted_once_flushed(client, cohort):
    day = date(2026, 2, 10)
    for kind, total in (("page_view", 9), ("verification", 4), ("linkedin_share", 2)):
        cache.set(counters.cache_key(day, cohort.pk, kind), total)
    counters.flush(today=day)
    client.force_login(UserFactory(username="staff", is_staff=True))
    html = client.get(url(cohort), Q1).content.decode()
    for series, total in (("page_views", 9), ("verifications", 4), ("linkedin_shares", 2)):
        assert f'<canvas data-series="{series}"' in html
        assert (
            f'<tr><th scope="row">{cohort.name}</th><td>{total}</td><td>{total}</td></tr>' in html
        )


def test_published_quarters_are_read_again_only_once_another_is_kept(client, cohort, monkeypatch):
    client.force_login(UserFactory(username="staff", is_staff=True))
    first = client.get(url(cohort), Q1).content.decode()
    assert "published quarters and survey answers" in first
    reads = []
    read_published = statements.published
    monkeypatch.setattr(
        statements, "published", lambda scope: reads.append(scope) or read_published(scope)
    )
    again = client.get(url(cohort), Q1).content.decode()
    assert reads == []
    assert again.count("<caption>") == first.count("<caption>") > 0
    scope = Scope.achievement(cohort.achievement_uuid)
    OutcomeSnapshot.objects.create(
        scope_key=scope.key,
        period_start=date(2025, 10, 1),
        period_end=date(2026, 1, 1),
        section=statements.PROGRAMME,
        figures={"earners": {"n": 12, "value": 12}},
        computed_at=timezone.now(),
    )
    kept = client.get(url(cohort), Q1).content.decode()
    assert reads == [scope]
    assert kept.count("<caption>") == first.count("<caption>") + 1
