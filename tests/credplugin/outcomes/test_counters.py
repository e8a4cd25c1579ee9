"""Counting badge page views per badge class and day, without recording who looked."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credplugin.models import OutcomeCounter
from credplugin.outcomes import counters, figures
from credplugin.outcomes.figures import Scope

pytestmark = pytest.mark.django_db


def test_each_badge_page_view_adds_one_to_todays_row_and_nothing_about_the_visitor(client, earn):
    badge = earn()
    page = reverse("credplugin:badge-page", args=[badge.uuid])
    for _ in range(3):
        client.get(page)
    (row,) = OutcomeCounter.objects.all()
    assert (row.badge_class_id, row.day, row.kind, row.count) == (
        badge.badge_class_id,
        timezone.now().date(),
        "page_view",
        3,
    )
    assert {field.name for field in OutcomeCounter._meta.get_fields()} == {
        "id",
        "badge_class",
        "day",
        "kind",
        "count",
    }


def test_totals_and_figures_cover_the_chosen_days(earn):
    badge = earn()
    today = timezone.now().date()
    OutcomeCounter.objects.create(
        badge_class=badge.badge_class, day=today - timedelta(days=40), kind="page_view", count=5
    )
    counters.count(badge.badge_class_id, "verification")
    counters.count(badge.badge_class_id, "verification")
    totals = counters.totals([badge.badge_class_id], today - timedelta(days=7), date.max)
    assert totals == {"page_view": 0, "verification": 2, "linkedin_share": 0}
    start = timezone.now() - timedelta(days=60)
    computed = figures.compute(Scope.badge_class(badge.badge_class), start, timezone.now())
    assert computed["page_views"] == {"n": 5, "value": 5}
    assert computed["verifications"] == {"n": 2, "value": 2}
