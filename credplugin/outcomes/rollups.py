"""Daily roll-ups of one badge class's dashboard figures, so the dashboard reads a year in a
few rows instead of recomputing it from every badge, attempt and enrollment.

Each ``OutcomeDay`` holds parts that add up over any range of days and give exactly what
``figures.compute`` gives for that range: counts, the values medians and 90th percentiles are
taken of, and the moments a figure compares with the range's end or with now (a pair's second
judgement for the revision rate, an active badge's expiry for the lapse rate). A day's parts
are those of the people, attempts and badges it is the day of: an earner's first award, an
enrollment, a pair's first judgement, a badge's issue. Mentor turnaround (read from
edx-submissions by decision date) and the counters stay live: they are read per range already.

``refresh`` (beat, ``refresh_outcomes_task``) recomputes, in one pass per badge class, the days
from the earliest one any change since its last refresh can touch, to today; a class nothing
changed in (no judgement, award, enrollment or status change since) is only marked refreshed,
after a few indexed reads. The dashboard
reads stored days before that refresh's date and computes the rest live, so what it shows lags
changes to older days by at most one refresh interval; a badge class never refreshed is
computed live whole.
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta

from django.db import transaction
from django.db.models import CharField, Min, Q
from django.db.models.functions import Cast
from django.utils import timezone

from credplugin import compat
from credplugin.models import (
    AssessmentResult,
    BadgeClass,
    BadgeRequirement,
    IssuedBadge,
    OutcomeDay,
    OutcomeRollUp,
)
from credplugin.outcomes import counters, figures
from credplugin.outcomes.figures import Scope

SUMS = (
    "earners",
    "enrolled",
    "enrolled_earned",
    "attempts",
    "passed_first",
    "issued",
    "revoked",
    "suspended",
)
# How far before its last refresh a class's changes are looked for (see _first_touched_day).
CHANGE_OVERLAP = timedelta(minutes=10)
LISTS = ("enrollment_days", "first_attempt_days", "second_judged", "active_valid_until")


def _day(moment):
    return moment.astimezone(UTC).date()


def _midnight(day):
    return datetime.combine(day, time.min, tzinfo=UTC)


def _empty():
    return {
        **dict.fromkeys(SUMS, 0),
        **{name: [] for name in LISTS},
        "levels": defaultdict(Counter),
        "ethics": Counter(),
    }


def day_parts(badge_class, first_day, end_day):
    """``{day: parts}`` of ``badge_class`` for the days ``[first_day, end_day)``, in one pass."""
    scope = Scope.badge_class(badge_class)
    start, end = _midnight(first_day), _midnight(end_day)
    parts = defaultdict(_empty)
    usage_keys = scope.requirement_keys()
    course_keys = scope.course_keys()
    awards = figures._first_awards(scope, start, end)
    award_day = {user: _day(moment) for user, moment in awards.items()}
    for user in awards:
        parts[award_day[user]]["earners"] += 1
    enrolled_at = compat.course_enrollments(course_keys, None, None, users=list(awards))
    for user, moment in awards.items():
        if user in enrolled_at:
            parts[award_day[user]]["enrollment_days"].append(
                figures._days(moment - enrolled_at[user])
            )
    firsts = (
        AssessmentResult.objects.filter(usage_key__in=usage_keys, user_id__in=list(awards))
        .values("user_id")
        .annotate(first=Min("created"))
    )
    for row in firsts:
        user = row["user_id"]
        parts[award_day[user]]["first_attempt_days"].append(
            figures._days(awards[user] - row["first"])
        )
    _completion_parts(scope, course_keys, start, end, parts)
    _attempt_parts(usage_keys, start, end, parts)
    _level_parts(usage_keys, award_day, parts)
    _status_parts(scope, start, end, parts)
    return parts


def _completion_parts(scope, course_keys, start, end, parts):
    enrolled = compat.course_enrollments(course_keys, start, end)
    earned = set(
        IssuedBadge.objects.filter(
            badge_class_id__in=scope.badge_class_ids, user_id__in=list(enrolled)
        ).values_list("user_id", flat=True)
    )
    for user, moment in enrolled.items():
        day = parts[_day(moment)]
        day["enrolled"] += 1
        day["enrolled_earned"] += user in earned


def _attempt_parts(usage_keys, start, end, parts):
    """Per pair (learner, block) first judged in the range: passed first, and when judged
    again (the revision rate counts second judgements before the range's end)."""
    recent = AssessmentResult.objects.filter(usage_key__in=usage_keys, created__gte=start)
    results = (
        AssessmentResult.objects.filter(
            usage_key__in=usage_keys, user_id__in=recent.values("user_id")
        )
        .annotate(block=Cast("usage_key", CharField()))  # the key's text: nothing to parse
        .values_list("user_id", "block", "passed", "created")
        .order_by("created", "id")
    )
    pairs = defaultdict(list)
    for user, block, passed, created in results:
        found = pairs[(user, block)]
        if len(found) < 2:
            found.append((passed, created))
    for found in pairs.values():
        passed, first = found[0]
        if start <= first < end:
            day = parts[_day(first)]
            day["attempts"] += 1
            day["passed_first"] += passed
            if len(found) > 1:
                day["second_judged"].append(found[1][1].timestamp())


def _level_parts(usage_keys, award_day, parts):
    for result in figures.newest_passed(usage_keys, award_day):
        day = parts[award_day[result.user_id]]
        figures.count_levels(result, day["levels"], day["ethics"])


def _status_parts(scope, start, end, parts):
    badges = IssuedBadge.objects.filter(
        badge_class_id__in=scope.badge_class_ids, issued_at__gte=start, issued_at__lt=end
    ).values_list("issued_at", "status", "valid_until")
    for issued_at, status, valid_until in badges:
        day = parts[_day(issued_at)]
        day["issued"] += 1
        day["revoked"] += status == IssuedBadge.Status.REVOKED
        day["suspended"] += status == IssuedBadge.Status.SUSPENDED
        if status == IssuedBadge.Status.ACTIVE and valid_until is not None:
            day["active_valid_until"].append(valid_until.timestamp())


def merge(days, scope, start, end, now):
    """The figures of ``figures.compute`` from the parts of the range's ``days``."""
    total = _empty()
    for parts in days:
        for name in SUMS:
            total[name] += parts[name]
        for name in LISTS:
            total[name].extend(parts[name])
        for criterion, counts in parts["levels"].items():
            total["levels"][criterion].update(counts)
        total["ethics"].update(parts["ethics"])
    end_seconds, now_seconds = end.timestamp(), now.timestamp()
    levels = total["levels"]
    return {
        "earners": {"n": total["earners"], "value": total["earners"]},
        "completion_rate": figures._rate(total["enrolled_earned"], total["enrolled"]),
        "first_attempt_pass_rate": figures._rate(total["passed_first"], total["attempts"]),
        "revision_rate": figures._rate(
            sum(1 for moment in total["second_judged"] if moment < end_seconds),
            total["attempts"],
        ),
        "days_enrollment_to_award": figures._spread(total["enrollment_days"]),
        "days_first_attempt_to_award": figures._spread(total["first_attempt_days"]),
        "mentor_turnaround_hours": figures._spread(
            figures.mentor_turnaround_hours(scope, start, end)
        ),
        "criterion_levels": {
            criterion: {"n": sum(counts.values()), "counts": dict(sorted(counts.items()))}
            for criterion, counts in sorted(levels.items())
            if counts
        },
        "ethics_score_bands": {
            "n": sum(total["ethics"].values()),
            "counts": {band: count for band, count in total["ethics"].items() if count},
        },
        "revocation_rate": figures._rate(total["revoked"], total["issued"]),
        "suspension_rate": figures._rate(total["suspended"], total["issued"]),
        "lapse_rate": figures._rate(
            sum(1 for moment in total["active_valid_until"] if moment < now_seconds),
            total["issued"],
        ),
        **{
            f"{kind}s": {"n": count, "value": count}
            for kind, count in counters.totals(scope.badge_class_ids, start, end).items()
        },
    }


def compute(badge_class, start, end, now=None):
    """``figures.compute`` of the badge class for ``[start, end)`` (whole UTC days), from its
    stored days where refreshed and live after; live whole if never refreshed."""
    now = now or timezone.now()
    scope = Scope.badge_class(badge_class)
    state = OutcomeRollUp.objects.filter(badge_class=badge_class).first()
    if state is None or state.refreshed_at is None:
        return figures.compute(scope, start, end, now)
    first_day, end_day = start.date(), end.date()
    live_from = min(max(_day(state.refreshed_at), first_day), end_day)
    stored = OutcomeDay.objects.filter(
        badge_class=badge_class, day__gte=first_day, day__lt=live_from
    ).values_list("parts", flat=True)
    days = [_loaded(parts) for parts in stored]
    if live_from < end_day:
        days += day_parts(badge_class, live_from, end_day).values()
    return merge(days, scope, start, end, now)


def _loaded(stored):
    return {
        **stored,
        "levels": {criterion: Counter(counts) for criterion, counts in stored["levels"].items()},
        "ethics": Counter(stored["ethics"]),
    }


def _stored(parts):
    return {
        **{name: parts[name] for name in (*SUMS, *LISTS)},
        "levels": {criterion: dict(counts) for criterion, counts in parts["levels"].items()},
        "ethics": dict(parts["ethics"]),
    }


def refresh(now=None):
    """Bring every badge class's stored days up to now; returns how many days were written."""
    now = now or timezone.now()
    return sum(
        refresh_badge_class(pk, now) for pk in BadgeClass.objects.values_list("pk", flat=True)
    )


def refresh_badge_class(badge_class_id, now):
    """Recompute the class's days from the earliest one a change since its last refresh can
    touch; one refresher per class at a time (the state row is locked)."""
    OutcomeRollUp.objects.get_or_create(badge_class_id=badge_class_id)
    with transaction.atomic():
        state = OutcomeRollUp.objects.select_for_update().get(badge_class_id=badge_class_id)
        badge_class = BadgeClass.objects.get(pk=badge_class_id)
        first_day = _first_touched_day(badge_class, state.refreshed_at)
        if state.refreshed_at is not None and state.stale_from is not None:
            first_day = min(first_day or state.stale_from, state.stale_from)
        state.refreshed_at, state.stale_from = now, None
        if first_day is None:  # nothing changed: the stored days hold up to now
            state.save(update_fields=["refreshed_at", "stale_from"])
            return 0
        end_day = _day(now) + timedelta(days=1)
        parts = day_parts(badge_class, first_day, end_day)
        OutcomeDay.objects.filter(badge_class=badge_class, day__gte=first_day).delete()
        OutcomeDay.objects.bulk_create(
            OutcomeDay(badge_class=badge_class, day=day, parts=_stored(found))
            for day, found in parts.items()
        )
        state.save(update_fields=["refreshed_at", "stale_from"])
    return len(parts)


def mark_learner_stale(user_id):
    """Before a learner's judgements and badges are deleted (their account goes, and the rows
    with it): mark each rolled-up class whose days count them for recompute from the earliest
    such day, so the next refresh drops them instead of a full rebuild. Enrollments are found
    through the learner's judgements and badges (the runs whose days they can be in)."""
    earliest = {}

    def touch(class_id, moment):
        day = _day(moment)
        earliest[class_id] = min(day, earliest.get(class_id, day))

    for class_id, issued_at in IssuedBadge.objects.filter(user_id=user_id).values_list(
        "badge_class_id", "issued_at"
    ):
        touch(class_id, issued_at)
    results = AssessmentResult.objects.filter(user_id=user_id)
    course_keys = {str(key) for key in results.values_list("course_key", flat=True)}
    course_keys |= {
        str(key)
        for key in BadgeClass.objects.filter(pk__in=list(earliest)).values_list(
            "course_key", flat=True
        )
    }
    judged = dict(
        results.values("usage_key").annotate(first=Min("created")).values_list("usage_key", "first")
    )
    for requirement in BadgeRequirement.objects.filter(usage_key__in=list(judged)):
        touch(requirement.badge_class_id, judged[requirement.usage_key])
    for badge_class in BadgeClass.objects.filter(course_key__in=list(course_keys)):
        enrolled = compat.course_enrollments([badge_class.course_key], None, None, users=[user_id])
        if user_id in enrolled:
            touch(badge_class.pk, enrolled[user_id])
    for class_id, day in earliest.items():
        OutcomeRollUp.objects.filter(badge_class_id=class_id).filter(
            Q(stale_from__isnull=True) | Q(stale_from__gt=day)
        ).update(stale_from=day)
    return len(earliest)


def _first_touched_day(badge_class, since):
    """The earliest day whose parts a change after ``since`` may alter; every day the class
    has data for if never refreshed; None if nothing changed (a few indexed reads).

    Changes are looked for from ``CHANGE_OVERLAP`` before ``since``: a write whose
    timestamp precedes a refresh but that commits after the refresh looked is still seen by
    the next one."""
    scope = Scope.badge_class(badge_class)
    usage_keys = scope.requirement_keys()
    badges = IssuedBadge.objects.filter(badge_class=badge_class)
    results = AssessmentResult.objects.filter(usage_key__in=usage_keys)
    if since is None:
        moments = [
            badges.aggregate(first=Min("issued_at"))["first"],
            results.aggregate(first=Min("created"))["first"],
            *compat.course_enrollments(scope.course_keys(), None, None).values(),
        ]
        found = [moment for moment in moments if moment is not None]
        return _day(min(found)) if found else _day(timezone.now())
    since -= CHANGE_OVERLAP
    course_keys = scope.course_keys()
    touched = set(results.filter(created__gte=since).values_list("user_id", flat=True))
    touched |= set(badges.filter(issued_at__gte=since).values_list("user_id", flat=True))
    touched |= set(compat.course_enrollments(course_keys, since, None))
    changed = list(badges.filter(status_changed_at__gte=since).values_list("issued_at", flat=True))
    if not touched and not changed:
        return None
    moments = [since, *changed]
    if touched:
        moments += [
            *badges.filter(user_id__in=touched).values_list("issued_at", flat=True),
            *results.filter(user_id__in=touched).values_list("created", flat=True),
            *compat.course_enrollments(course_keys, None, None, users=touched).values(),
        ]
    return _day(min(moments))
