"""Counting what happens to badges without recording who: one row per badge class, day and
kind, incremented in place.

A badge page in a shared cache is counted once per cache miss, not per visitor: page views are
a lower bound, within ``CREDPLUGIN_PUBLIC_CACHE_SECONDS`` per cache.
"""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from credplugin.models import OutcomeCounter


def count(badge_class_id, kind):
    """Add one ``kind`` event for the badge class today. Never raises into the caller's page."""
    day = timezone.now().date()
    rows = OutcomeCounter.objects.filter(badge_class_id=badge_class_id, day=day, kind=kind)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            OutcomeCounter.objects.create(
                badge_class_id=badge_class_id, day=day, kind=kind, count=1
            )
    except IntegrityError:  # another request created today's row first
        rows.update(count=F("count") + 1)


def totals(badge_class_ids, start, end):
    """``{kind: count}`` over the days ``[start, end)`` for the badge classes; a datetime
    ``end`` after midnight includes its day (counters are kept per day)."""
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
