"""Outcome counters on Redis and MariaDB: requests count while several flushers run at once,
and every count reaches the database exactly once."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from credplugin.models import OutcomeCounter
from credplugin.outcomes import counters
from tests.integration.threads import run_at_once

pytestmark = pytest.mark.integration

COUNTERS = 4
COUNTS_EACH = 60


@pytest.fixture
def shared_cache(integration_database_url, redis_service):
    """The Django cache on Redis, as on an LMS: one store for every thread."""
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_service}
    with override_settings(CACHES={"default": backend}):
        cache.clear()
        yield
        cache.clear()


def test_concurrent_flushers_store_every_count_once(shared_cache, earn):
    badge = earn()
    counting_done = threading.Event()
    flusher_errors = []

    def flusher():  # the beat task on two workers at once, until the requests are done
        try:
            while not counting_done.is_set():
                counters.flush()
        except Exception as error:  # noqa: BLE001  (asserted below)
            flusher_errors.append(error)
        finally:
            connection.close()

    def requests():  # a web process: counts, and flushes now and then as a cron run would
        for number in range(COUNTS_EACH):
            counters.count(badge.badge_class_id, "page_view")
            if number % 15 == 0:
                counters.flush()
        return COUNTS_EACH

    flushers = [threading.Thread(target=flusher) for _ in range(2)]
    for thread in flushers:
        thread.start()
    results, errors = run_at_once(COUNTERS, requests)
    counting_done.set()
    for thread in flushers:
        thread.join(60)
    assert not errors and not flusher_errors
    assert sum(results) == COUNTERS * COUNTS_EACH
    counters.flush()
    (row,) = OutcomeCounter.objects.filter(kind="page_view")
    assert (row.day, row.count) == (timezone.now().date(), COUNTERS * COUNTS_EACH)


def test_two_flushers_reading_the_same_total_store_it_once(shared_cache, earn, monkeypatch):
    badge = earn()
    for _ in range(5):
        counters.count(badge.badge_class_id, "verification")
    both_read = threading.Barrier(2, timeout=20)
    store = counters._store

    def store_after_both_read(*args):
        both_read.wait()
        return store(*args)

    monkeypatch.setattr(counters, "_store", store_after_both_read)
    results, errors = run_at_once(2, counters.flush)
    assert not errors
    assert sorted(results) == [0, 1]  # one created the row, the other found nothing to raise
    (row,) = OutcomeCounter.objects.filter(kind="verification")
    assert row.count == 5
