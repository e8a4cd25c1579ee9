"""Outcome figures of a set of badge classes over a period, from data the plugin already keeps.

A *scope* is a set of badge classes: one class (a course run's badge), every run of an
achievement, every badge of a course, or a pathway's badges. The *cohort* of a period is who
earned in it (``IssuedBadge.issued_at`` in ``[start, end)``), except where a figure says
otherwise. Every figure carries its ``n``: how many people (or attempts) it is computed from.
Figures here are exact and unsuppressed; ``privacy.suppress`` decides what may be shown.

Durations are in days (hours for mentor turnaround), medians and 90th percentiles by nearest
rank. The first assessed attempt is the first ``AssessmentResult`` of a requirement block:
results are written when work is judged, so "first attempt → award" starts at the first
judgement. Mentor turnaround is read from the plugin's review queue (``mentoring.queue``): from
a submission to the mentor's decision on it (grade or revision request).
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from credplugin import compat
from credplugin.mentoring import queue as review_queue
from credplugin.models import (
    AssessmentResult,
    BadgeClass,
    BadgeRequirement,
    IssuedBadge,
    SurveyResponse,
)
from credplugin.outcomes import counters

ETHICS_SCORE = "ethics_scenarios"
ETHICS_BANDS = ("0–0.2", "0.2–0.4", "0.4–0.6", "0.6–0.8", "0.8–1")


@dataclass(frozen=True)
class Scope:
    """The badge classes a set of figures is about; ``key`` names it in snapshots."""

    key: str
    badge_class_ids: tuple

    @classmethod
    def badge_class(cls, badge_class):
        return cls(f"badge-class:{badge_class.uuid}", (badge_class.pk,))

    @classmethod
    def achievement(cls, achievement_uuid):
        ids = BadgeClass.objects.filter(achievement_uuid=achievement_uuid).values_list(
            "pk", flat=True
        )
        return cls(f"achievement:{achievement_uuid}", tuple(sorted(ids)))

    @classmethod
    def course(cls, catalog_course):
        ids = BadgeClass.objects.filter(catalog_course=catalog_course).values_list("pk", flat=True)
        return cls(f"course:{catalog_course}", tuple(sorted(ids)))

    @classmethod
    def badge_classes(cls, key, badge_class_ids):
        """Any set of badge classes, e.g. the badges a pathway requires."""
        return cls(key, tuple(sorted(badge_class_ids)))

    def course_keys(self):
        return list(
            BadgeClass.objects.filter(pk__in=self.badge_class_ids)
            .values_list("course_key", flat=True)
            .distinct()
        )

    def requirement_keys(self):
        return list(
            BadgeRequirement.objects.filter(badge_class_id__in=self.badge_class_ids).values_list(
                "usage_key", flat=True
            )
        )


def percentile(values, fraction):
    """Nearest-rank percentile of ``values`` (sorted here); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _spread(values, digits=1):
    return {
        "n": len(values),
        "median": _round(percentile(values, 0.5), digits),
        "p90": _round(percentile(values, 0.9), digits),
    }


def _round(value, digits):
    return None if value is None else round(value, digits)


def _rate(count, n):
    return {"n": n, "count": count, "value": round(count / n, 4) if n else None}


def _days(delta):
    return delta.total_seconds() / 86400


def compute(scope, start, end, now=None):
    """Every programme figure of ``scope`` for the cohort who earned in ``[start, end)``."""
    now = now or timezone.now()
    awards = _first_awards(scope, start, end)
    earners = set(awards)
    usage_keys = scope.requirement_keys()
    attempts = _attempts(usage_keys, start, end)
    figures = {
        "earners": {"n": len(earners), "value": len(earners)},
        "completion_rate": _completion(scope, start, end),
        "first_attempt_pass_rate": _rate(
            sum(1 for results in attempts.values() if results[0].passed), len(attempts)
        ),
        "revision_rate": _rate(
            sum(1 for results in attempts.values() if len(results) > 1), len(attempts)
        ),
        "days_enrollment_to_award": _enrollment_to_award(scope, awards),
        "days_first_attempt_to_award": _first_attempt_to_award(usage_keys, awards),
        "mentor_turnaround_hours": _spread(mentor_turnaround_hours(scope, start, end)),
        **_levels_and_ethics(usage_keys, earners),
        **_status_rates(scope, start, end, now),
        **{
            f"{kind}s": {"n": total, "value": total}
            for kind, total in counters.totals(scope.badge_class_ids, start, end).items()
        },
    }
    return figures


def _first_awards(scope, start, end):
    """Each earner's first award in the scope, if it fell in ``[start, end)``: user → time.

    Only learners with a badge issued in the period can have their first there, so the scope's
    other badges are read for those learners alone (a day's earners, not the class's)."""
    badges = IssuedBadge.objects.filter(badge_class_id__in=scope.badge_class_ids)
    in_period = badges.filter(issued_at__gte=start, issued_at__lt=end).values("user_id")
    firsts = (
        badges.filter(user_id__in=in_period)
        .values("user_id")
        .annotate(first=Min("issued_at"))
        .filter(first__gte=start, first__lt=end)
    )
    return {row["user_id"]: row["first"] for row in firsts}


def _attempts(usage_keys, start, end):
    """Judged attempts per (learner, block) whose first judgement fell in the period, in order."""
    results = (
        AssessmentResult.objects.filter(usage_key__in=usage_keys, created__lt=end)
        .only("user_id", "usage_key", "passed", "created")
        .order_by("created", "id")
    )
    by_pair = defaultdict(list)
    for result in results:
        by_pair[(result.user_id, str(result.usage_key))].append(result)
    return {pair: found for pair, found in by_pair.items() if start <= found[0].created < end}


def _completion(scope, start, end):
    """Of the learners who enrolled in the scope's runs in the period, how many earned."""
    enrolled = compat.course_enrollments(scope.course_keys(), start, end)
    earned = set(
        IssuedBadge.objects.filter(
            badge_class_id__in=scope.badge_class_ids, user_id__in=list(enrolled)
        ).values_list("user_id", flat=True)
    )
    return _rate(len(earned), len(enrolled))


def _enrollment_to_award(scope, awards):
    enrolled = compat.course_enrollments(scope.course_keys(), None, None, users=list(awards))
    return _spread([_days(awards[user] - enrolled[user]) for user in awards if user in enrolled])


def _first_attempt_to_award(usage_keys, awards):
    firsts = (
        AssessmentResult.objects.filter(usage_key__in=usage_keys, user_id__in=list(awards))
        .values("user_id")
        .annotate(first=Min("created"))
    )
    return _spread([_days(awards[row["user_id"]] - row["first"]) for row in firsts])


def mentor_turnaround_hours(scope, start, end):
    """Hours from each submission to the mentor's decision on it, for decisions in the period."""
    return [
        (decided - submitted).total_seconds() / 3600
        for submitted, decided in review_queue.turnarounds(
            scope.course_keys(), scope.requirement_keys(), start, end
        )
    ]


def newest_passed(usage_keys, users):
    """Each of ``users``' newest passed result per requirement block."""
    newest = {}
    results = AssessmentResult.objects.filter(
        usage_key__in=usage_keys, user_id__in=list(users), passed=True
    ).order_by("created", "id")
    for result in results:
        newest[(result.user_id, str(result.usage_key))] = result
    return newest.values()


def count_levels(result, levels, ethics):
    """Add ``result``'s level per criterion to ``levels`` and its ethics band to ``ethics``."""
    for entry in result.criterion_levels or ():
        levels[entry.get("criterion_id", "")][entry.get("level_id", "")] += 1
    score = (result.scores or {}).get(ETHICS_SCORE)
    if isinstance(score, int | float) and 0 <= score <= 1:
        ethics[ETHICS_BANDS[min(int(score * 5), 4)]] += 1


def _levels_and_ethics(usage_keys, earners):
    """Levels per rubric criterion and ethics score bands, from each earner's newest passed
    result per requirement block."""
    levels = defaultdict(Counter)
    ethics = Counter()
    for result in newest_passed(usage_keys, earners):
        count_levels(result, levels, ethics)
    return {
        "criterion_levels": {
            criterion: {"n": sum(counts.values()), "counts": dict(sorted(counts.items()))}
            for criterion, counts in sorted(levels.items())
        },
        "ethics_score_bands": {"n": sum(ethics.values()), "counts": dict(ethics)},
    }


def _status_rates(scope, start, end, now):
    """Of the badges issued in the period: revoked, suspended, and lapsed (expired, not renewed)."""
    badges = IssuedBadge.objects.filter(
        badge_class_id__in=scope.badge_class_ids, issued_at__gte=start, issued_at__lt=end
    )
    total = badges.count()
    revoked = badges.filter(status=IssuedBadge.Status.REVOKED).count()
    suspended = badges.filter(status=IssuedBadge.Status.SUSPENDED).count()
    lapsed = badges.filter(status=IssuedBadge.Status.ACTIVE, valid_until__lt=now).count()
    return {
        "revocation_rate": _rate(revoked, total),
        "suspension_rate": _rate(suspended, total),
        "lapse_rate": _rate(lapsed, total),
    }


def survey_figures(scope, start, end, offset_days):
    """Consenting answers to the ``offset_days`` survey of badges issued in ``[start, end)``."""
    answers = list(
        SurveyResponse.objects.filter(
            consent=True,
            invitation__offset_days=offset_days,
            invitation__badge__badge_class_id__in=scope.badge_class_ids,
            invitation__badge__issued_at__gte=start,
            invitation__badge__issued_at__lt=end,
        ).values(
            "job_change", "promotion", "more_responsibility", "pay_change", "applies_competencies"
        )
    )
    n = len(answers)
    pay = [answer["pay_change"] for answer in answers if answer["pay_change"]]
    return {
        "respondents": {"n": n, "value": n},
        "job_change": {"n": n, "counts": dict(Counter(a["job_change"] for a in answers))},
        "promotion_rate": _rate(sum(a["promotion"] for a in answers), n),
        "more_responsibility_rate": _rate(sum(a["more_responsibility"] for a in answers), n),
        "pay_change": {"n": len(pay), "counts": dict(Counter(pay))},
        "applies_competencies": {
            "n": n,
            "counts": dict(Counter(str(a["applies_competencies"]) for a in answers)),
        },
    }
