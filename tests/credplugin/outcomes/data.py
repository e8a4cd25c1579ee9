"""A small, hand-computed cohort for outcome figures: rows written directly, times chosen.

Period Q1 2026 = [2026-01-01, 2026-04-01). Learners, their judged attempts (date, passed,
design level, ethics level, ethics score) and first award:

- u1: Jan 2 fail; Jan 5 pass (expert, proficient, 0.9); awarded Jan 10
- u2: Jan 3 pass (proficient, proficient, 0.5); awarded Jan 4; expired Jan 5
- u3: Jan 6 pass (proficient, expert, 0.7); awarded Feb 6; revoked
- u4: Jan 7 fail; no award
- u5: 2025-12-20 pass (proficient, proficient, 0.8); awarded Jan 2
- u6: Mar 30 pass (proficient, proficient, 0.8); awarded Apr 2 (next period)
"""

from datetime import UTC, datetime

from credplugin.models import AssessmentResult, IssuanceRequest, IssuedBadge
from tests.factories import (
    AssessmentResultFactory,
    BadgeRequirementFactory,
    UserFactory,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)


def day(month, date, year=2026, hour=0):
    return datetime(year, month, date, hour, tzinfo=UTC)


def levels(design, ethics):
    return [
        {"criterion_id": "design", "level_id": design},
        {"criterion_id": "ethics", "level_id": ethics},
    ]


def judged(user, requirement, when, passed, *, design="proficient", ethics="proficient", score=0.8):
    result = AssessmentResultFactory(
        user=user,
        course_key=requirement.badge_class.course_key,
        usage_key=requirement.usage_key,
        passed=passed,
        criterion_levels=levels(design, ethics),
        scores={"ethics_scenarios": score},
    )
    AssessmentResult.objects.filter(pk=result.pk).update(created=when)


def awarded(user, badge_class, when, status=IssuedBadge.Status.ACTIVE, valid_until=None):
    index = IssuedBadge.objects.count()
    request = IssuanceRequest.objects.create(
        user=user,
        badge_class=badge_class,
        status=IssuanceRequest.Status.ISSUED,
        status_list_sequence=1,
        status_list_index=index,
    )
    return IssuedBadge.objects.create(
        request=request,
        user=user,
        badge_class=badge_class,
        credential={},
        issued_at=when,
        valid_until=valid_until,
        status=status,
        status_list_sequence=1,
        status_list_index=index,
    )


def q1_cohort():
    """Write the cohort above; returns the requirement and the learners by name."""
    requirement = BadgeRequirementFactory()
    badge_class = requirement.badge_class
    u = {name: UserFactory(username=name) for name in ("u1", "u2", "u3", "u4", "u5", "u6")}
    judged(u["u1"], requirement, day(1, 2), False, design="novice", ethics="novice", score=0.1)
    judged(u["u1"], requirement, day(1, 5), True, design="expert", score=0.9)
    judged(u["u2"], requirement, day(1, 3), True, score=0.5)
    judged(u["u3"], requirement, day(1, 6), True, ethics="expert", score=0.7)
    judged(u["u4"], requirement, day(1, 7), False, design="novice", ethics="novice", score=0.2)
    judged(u["u5"], requirement, day(12, 20, 2025), True)
    judged(u["u6"], requirement, day(3, 30), True)
    awarded(u["u5"], badge_class, day(1, 2))
    awarded(u["u2"], badge_class, day(1, 4), valid_until=day(1, 5))
    awarded(u["u1"], badge_class, day(1, 10))
    awarded(u["u3"], badge_class, day(2, 6), status=IssuedBadge.Status.REVOKED)
    awarded(u["u6"], badge_class, day(4, 2))
    return requirement, u
