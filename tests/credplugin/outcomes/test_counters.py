"""Counting badge page views, verifications and shares per badge class and day, in the cache,
without a database write on a public request and without recording who looked."""

import json
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from credplugin import api
from credplugin.models import OutcomeCounter
from credplugin.outcomes import counters, figures
from credplugin.outcomes.figures import Scope
from credplugin.settings.common import plugin_settings

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(queries):
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]


def stored(badge, kind):
    return OutcomeCounter.objects.filter(badge_class=badge.badge_class, kind=kind).first()


def test_badge_page_views_write_nothing_to_the_database_until_a_flush(client, earn):
    badge = earn()
    page = reverse("credplugin:badge-page", args=[badge.uuid])
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(page).status_code == 200
    assert writes(queries.captured_queries) == []
    assert not OutcomeCounter.objects.exists()
    assert counters.flush() == 1
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


def test_a_flush_is_idempotent_and_later_counts_add_to_the_row(earn):
    badge = earn()
    counted_and_flushed(badge, "verification", 2)
    assert counters.flush() == 0  # nothing new: the row is not touched again
    assert stored(badge, "verification").count == 2
    counters.count(badge.badge_class_id, "verification")
    counters.flush()
    assert stored(badge, "verification").count == 3


def counted_and_flushed(badge, kind, times):
    for _ in range(times):
        counters.count(badge.badge_class_id, kind)
    counters.flush()


def test_a_stale_flusher_never_lowers_a_row(earn):
    badge = earn()
    counted_and_flushed(badge, "page_view", 5)
    day = timezone.now().date()
    assert counters._store(day, badge.badge_class_id, "page_view", 2) == 0  # read before
    assert stored(badge, "page_view").count == 5


def test_a_count_the_cache_lost_starts_again_from_the_stored_row(earn):
    badge = earn()
    counted_and_flushed(badge, "page_view", 4)
    cache.clear()  # a Redis restart or eviction
    counters.count(badge.badge_class_id, "page_view")
    counters.flush()
    assert stored(badge, "page_view").count == 5


def test_counts_of_the_last_days_are_flushed_and_older_keys_are_left(earn):
    badge = earn()
    today = timezone.now().date()
    for back, total in ((1, 7), (counters.FLUSHED_DAYS, 9)):
        key = counters.cache_key(today - timedelta(days=back), badge.badge_class_id, "page_view")
        cache.set(key, total)
    counters.flush()
    assert list(OutcomeCounter.objects.values_list("day", "count")) == [
        (today - timedelta(days=1), 7)
    ]


def test_share_link_counts_the_click_and_redirects_to_linkedin_only(client, earn):
    badge = earn()
    html = client.get(reverse("credplugin:badge-page", args=[badge.uuid])).content.decode()
    share = reverse("credplugin:badge-share", args=[badge.uuid, "linkedin"])
    assert f'href="{share}"' in html
    response = client.get(f"{share}?next=https://evil.example/&url=https://evil.example/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc) == ("https", "www.linkedin.com")
    assert target.path == "/profile/add"
    assert "evil.example" not in response["Location"]
    assert "no-store" in response["Cache-Control"]
    counters.flush()
    assert stored(badge, "linkedin_share").count == 1


@pytest.mark.parametrize("target", ["twitter", "evil.example"])
def test_share_link_to_a_target_not_on_the_list_is_404_and_counts_nothing(client, earn, target):
    badge = earn()
    response = client.get(f"/credplugin/badges/{badge.uuid}/share/{target}")
    assert response.status_code == 404
    assert counters.flush() == 0


def test_share_link_of_a_hidden_badge_is_404(client, earn):
    badge = earn()
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, hidden=True)
    response = client.get(reverse("credplugin:badge-share", args=[badge.uuid, "linkedin"]))
    assert response.status_code == 404


def test_verifying_our_badge_by_api_page_and_command_counts_verifications(client, earn):
    badge = earn()
    document = json.dumps(badge.credential)
    api_url = reverse("credplugin:verify-api")
    assert client.post(api_url, document, content_type="application/json").status_code == 200
    page = client.post(reverse("credplugin:verify-page"), {"credential_text": document})
    assert page.status_code == 200
    call_command("credplugin_verify", uuid=str(badge.uuid))
    counters.flush()
    assert stored(badge, "verification").count == 3


def test_verifying_something_not_ours_counts_nothing(client, earn):
    badge = earn()
    forged = {**badge.credential, "name": "Edited"}
    response = client.post(
        reverse("credplugin:verify-api"), json.dumps(forged), content_type="application/json"
    )
    assert response.status_code == 200
    assert counters.flush() == 0


def test_totals_and_figures_cover_the_chosen_days(earn):
    badge = earn()
    today = timezone.now().date()
    OutcomeCounter.objects.create(
        badge_class=badge.badge_class, day=today - timedelta(days=40), kind="page_view", count=5
    )
    counters.count(badge.badge_class_id, "verification")
    counters.count(badge.badge_class_id, "verification")
    counters.count(badge.badge_class_id, "linkedin_share")
    call_command("credplugin_outcomes")
    totals = counters.totals([badge.badge_class_id], today - timedelta(days=7), date.max)
    assert totals == {"page_view": 0, "verification": 2, "linkedin_share": 1}
    start = timezone.now() - timedelta(days=60)
    computed = figures.compute(Scope.badge_class(badge.badge_class), start, timezone.now())
    assert computed["page_views"] == {"n": 5, "value": 5}
    assert computed["verifications"] == {"n": 2, "value": 2}
    assert computed["linkedin_shares"] == {"n": 1, "value": 1}


def test_the_flush_runs_from_the_beat_schedule():
    class Settings:
        pass

    host = Settings()
    plugin_settings(host)
    entry = host.CELERY_BEAT_SCHEDULE["credplugin-outcomes"]
    assert entry["task"] == "credplugin.tasks.refresh_outcomes_task"
