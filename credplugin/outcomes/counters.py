"""Counting what happens to badges without recording who: one row per badge class, day and
kind.

Public pages stay read-only on the database. A count goes to the shared cache (Redis on an
LMS) under a key per day, badge class and kind, holding the day's running total; the beat
task ``refresh_outcomes_task`` raises each row to the total it reads and never lowers it (one
``UPDATE … WHERE count < total``). So a flush is idempotent and flushers may run at once: each
writes a running total it read, the row keeps the largest, nothing is added twice and nothing
flushed goes backwards. A key that the cache lost is started again from its row (one read), so
totals keep growing; what a lost key held since the last flush is all that can go missing.

A badge page in a shared HTTP cache is counted once per cache miss, not per visitor: page views
are a lower bound, within ``CREDPLUGIN_PUBLIC_CACHE_SECONDS`` per cache.
"""

from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from credplugin.models import BadgeClass, OutcomeCounter

# Days of counts a flush looks at; keys live a day longer, so a flush that runs at least once
# in this many days loses nothing.
FLUSHED_DAYS = 3
KEY_LIFETIME = (FLUSHED_DAYS + 1) * 86400
_FLUSH_CHUNK = 500


def cache_key(day, badge_class_id, kind):
    return f"credplugin:outcome-count:{day.isoformat()}:{badge_class_id}:{kind}"


def count(badge_class_id, kind):
    """Add one ``kind`` event for the badge class today, in the cache only."""
    day = timezone.now().date()
    key = cache_key(day, badge_class_id, kind)
    try:
        cache.incr(key)
    except ValueError:  # no running total in this cache yet: start from the flushed row
        flushed = (
            OutcomeCounter.objects.filter(badge_class_id=badge_class_id, day=day, kind=kind)
            .values_list("count", flat=True)
            .first()
        )
        if not cache.add(key, (flushed or 0) + 1, KEY_LIFETIME):
            cache.incr(key)  # another request started it first


def flush(today=None):
    """Copy the cache's running totals of the last ``FLUSHED_DAYS`` days into the database;
    returns how many rows were written. Safe to run often and several at once."""
    today = today or timezone.now().date()
    days = [today - timedelta(days=back) for back in range(FLUSHED_DAYS)]
    class_ids = list(BadgeClass.objects.order_by("pk").values_list("pk", flat=True))
    keys = [
        (day, class_id, kind)
        for day in days
        for class_id in class_ids
        for kind in OutcomeCounter.Kind.values
    ]
    written = 0
    for first in range(0, len(keys), _FLUSH_CHUNK):
        chunk = {cache_key(*parts): parts for parts in keys[first : first + _FLUSH_CHUNK]}
        for key, total in cache.get_many(list(chunk)).items():
            written += _store(*chunk[key], total)
    return written


def _store(day, badge_class_id, kind, total):
    """Raise the row to ``total`` (never lower it), creating it if needed."""
    _row, created = OutcomeCounter.objects.get_or_create(
        badge_class_id=badge_class_id, day=day, kind=kind, defaults={"count": total}
    )
    if created:
        return 1
    return OutcomeCounter.objects.filter(
        badge_class_id=badge_class_id, day=day, kind=kind, count__lt=total
    ).update(count=total)


def totals(badge_class_ids, start, end):
    """``{kind: count}`` over the days ``[start, end)`` for the badge classes, as last
    flushed; a datetime ``end`` after midnight includes its day (counters are kept per day)."""
    if isinstance(end, datetime):
        end = (
            end.date() + timedelta(days=1)
            if end.timetz() != time(0, tzinfo=end.tzinfo)
            else end.date()
        )
    if isinstance(start, datetime):
        start = start.date()
    found = (
        OutcomeCounter.objects.filter(
            badge_class_id__in=badge_class_ids, day__gte=start, day__lt=end
        )
        .values("kind")
        .annotate(total=Sum("count"))
    )
    totals = dict.fromkeys(OutcomeCounter.Kind.values, 0)
    totals.update({row["kind"]: row["total"] for row in found})
    return totals
