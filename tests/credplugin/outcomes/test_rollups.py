"""Daily roll-ups give exactly the figures the direct computation gives, for any range of
days, after a first refresh and after refreshes that follow later changes to old days."""

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F
from opaque_keys.edx.keys import CourseKey

from credplugin.models import IssuedBadge, OutcomeDay, OutcomeRollUp, OutcomeSnapshot
from credplugin.outcomes import figures, rollups, statements
from credplugin.outcomes.figures import Scope
from tests.credplugin.outcomes.data import awarded, judged
from tests.factories import BadgeRequirementFactory, UserFactory, usage_key_for

pytestmark = pytest.mark.django_db

DAY0 = datetime(2026, 3, 1, tzinfo=UTC)
FIRST_REFRESH = DAY0 + timedelta(days=30, hours=12)
SECOND_REFRESH = DAY0 + timedelta(days=45, hours=12)
LEVELS = ("novice", "proficient", "expert")


def moment(rng, first_day, last_day):
    return DAY0 + timedelta(days=rng.randint(first_day, last_day), minutes=rng.randint(0, 1439))


def history(rng, requirement, learners, first_day, last_day):
    """Random attempts, awards, expiries and revocations of ``learners`` in those days."""
    badge_class = requirement.badge_class
    for learner in learners:
        times = sorted(moment(rng, first_day, last_day) for _ in range(rng.randint(1, 3)))
        for when in times:
            judged(
                learner,
                requirement,
                when,
                rng.random() < 0.6,
                design=rng.choice(LEVELS),
                ethics=rng.choice(LEVELS),
                score=rng.choice((0.1, 0.3, 0.5, 0.7, 0.95)),
            )
        has_badge = IssuedBadge.objects.filter(user=learner, badge_class=badge_class).exists()
        if not has_badge and rng.random() < 0.7:
            issued = times[-1] + timedelta(hours=rng.randint(1, 72))
            status = rng.choice([IssuedBadge.Status.ACTIVE] * 4 + [IssuedBadge.Status.REVOKED])
            expiry = issued + timedelta(days=rng.randint(1, 40)) if rng.random() < 0.5 else None
            awarded(learner, badge_class, issued, status=status, valid_until=expiry)


def ranges(rng, count):
    for _ in range(count):
        first = rng.randint(-3, 50)
        yield DAY0 + timedelta(days=first), DAY0 + timedelta(days=rng.randint(first + 1, 60))


def stored_days(badge_class):
    return dict(OutcomeDay.objects.filter(badge_class=badge_class).values_list("day", "parts"))


def assert_same_as_direct(rng, badge_class, now):
    scope = Scope.badge_class(badge_class)
    for start, end in ranges(rng, 12):
        rolled = rollups.compute(badge_class, start, end, now=now)
        assert rolled == figures.compute(scope, start, end, now=now), (start, end)


@pytest.mark.parametrize("seed", range(5))
def test_rolled_up_figures_equal_the_direct_ones_for_any_range(seed):
    rng = random.Random(seed)
    requirement = BadgeRequirementFactory()
    learners = [UserFactory(username=f"l{seed}-{n}") for n in range(12)]
    history(rng, requirement, learners, 0, 29)
    rollups.refresh(now=FIRST_REFRESH)
    assert OutcomeDay.objects.filter(badge_class=requirement.badge_class).exists()
    assert_same_as_direct(rng, requirement.badge_class, FIRST_REFRESH)


@pytest.mark.parametrize("seed", range(5))
def test_a_refresh_after_changes_to_old_days_stores_what_a_full_rebuild_would(seed):
    rng = random.Random(100 + seed)
    requirement = BadgeRequirementFactory()
    badge_class = requirement.badge_class
    learners = [UserFactory(username=f"m{seed}-{n}") for n in range(10)]
    history(rng, requirement, learners, 0, 29)
    rollups.refresh(now=FIRST_REFRESH)
    # After the first refresh: old learners are judged again and earn, old badges are revoked,
    # and new learners arrive.
    history(rng, requirement, learners[:4], 31, 44)
    revoked = IssuedBadge.objects.filter(badge_class=badge_class).order_by("?")[:2]
    IssuedBadge.objects.filter(pk__in=[badge.pk for badge in revoked]).update(
        status=IssuedBadge.Status.REVOKED, status_changed_at=FIRST_REFRESH + timedelta(days=1)
    )
    history(rng, requirement, [UserFactory(username=f"n{seed}-{n}") for n in range(4)], 31, 44)
    rollups.refresh(now=SECOND_REFRESH)
    incremental = dict(
        OutcomeDay.objects.filter(badge_class=badge_class).values_list("day", "parts")
    )
    assert_same_as_direct(rng, badge_class, SECOND_REFRESH)
    OutcomeRollUp.objects.filter(badge_class=badge_class).update(refreshed_at=None)
    rollups.refresh(now=SECOND_REFRESH)
    assert stored_days(badge_class) == incremental


def test_a_class_never_refreshed_is_computed_live():
    requirement = BadgeRequirementFactory()
    learner = UserFactory(username="solo")
    judged(learner, requirement, DAY0, True)
    awarded(learner, requirement.badge_class, DAY0 + timedelta(hours=2))
    start, end = DAY0, DAY0 + timedelta(days=1)
    rolled = rollups.compute(requirement.badge_class, start, end)
    assert rolled["earners"] == {"n": 1, "value": 1}
    assert not OutcomeDay.objects.exists()


def test_changes_after_a_refresh_show_once_refreshed_again():
    requirement = BadgeRequirementFactory()
    badge_class = requirement.badge_class
    learner = UserFactory(username="late")
    judged(learner, requirement, DAY0, True)
    badge = awarded(learner, badge_class, DAY0 + timedelta(hours=2))
    rollups.refresh(now=FIRST_REFRESH)
    IssuedBadge.objects.filter(pk=badge.pk).update(
        status=IssuedBadge.Status.REVOKED, status_changed_at=F("issued_at") + timedelta(days=40)
    )
    start, end = DAY0, DAY0 + timedelta(days=2)
    stale = rollups.compute(badge_class, start, end, now=FIRST_REFRESH)
    assert stale["revocation_rate"]["count"] == 0  # at most one refresh interval behind
    rollups.refresh(now=SECOND_REFRESH)
    fresh = rollups.compute(badge_class, start, end, now=SECOND_REFRESH)
    assert fresh["revocation_rate"]["count"] == 1


def test_a_kept_quarter_read_from_the_roll_ups_equals_the_direct_one():
    rng = random.Random(7)
    requirement = BadgeRequirementFactory()
    badge_class = requirement.badge_class
    history(rng, requirement, [UserFactory(username=f"q{n}") for n in range(12)], 0, 29)
    settled = DAY0 + timedelta(days=200)
    rollups.refresh(now=settled)
    scope = Scope.achievement(badge_class.achievement_uuid)
    statements.roll_up(scope, now=settled)
    kept = OutcomeSnapshot.objects.get(scope_key=scope.key, section=statements.PROGRAMME)
    quarter = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    direct = figures.compute(scope, *quarter, now=settled)
    assert kept.figures == json.loads(json.dumps(direct))
    assert kept.figures["earners"]["n"] > 0


def two_classes_refreshed():
    classes = []
    for name in ("busy", "quiet"):
        course = CourseKey.from_string(f"course-v1:credplugin+{name}+2026")
        requirement = BadgeRequirementFactory(
            badge_class__course_key=course, usage_key=usage_key_for(course, "project")
        )
        learner = UserFactory(username=f"{name}-first")
        judged(learner, requirement, DAY0, True)
        awarded(learner, requirement.badge_class, DAY0 + timedelta(hours=2))
        classes.append(requirement)
    rollups.refresh(now=FIRST_REFRESH)
    return classes


@pytest.fixture
def recomputed(monkeypatch):
    """The badge classes whose days a refresh recomputes, in order."""
    found = []
    compute_days = rollups.day_parts

    def recording(badge_class, first_day, end_day):
        found.append(badge_class.pk)
        return compute_days(badge_class, first_day, end_day)

    monkeypatch.setattr(rollups, "day_parts", recording)
    return found


def test_a_refresh_recomputes_a_changed_class_and_skips_an_unchanged_one(recomputed):
    busy, quiet = two_classes_refreshed()
    recomputed.clear()
    learner = UserFactory(username="busy-new")
    when = FIRST_REFRESH + timedelta(days=1)
    judged(learner, busy, when, True)
    awarded(learner, busy.badge_class, when + timedelta(hours=1))
    assert rollups.refresh(now=SECOND_REFRESH) > 0
    assert recomputed == [busy.badge_class.pk]
    # The skipped class is refreshed all the same: nothing of it is computed live any more.
    assert OutcomeRollUp.objects.get(badge_class=quiet.badge_class).refreshed_at == SECOND_REFRESH
    rng = random.Random(3)
    for requirement in (busy, quiet):
        assert_same_as_direct(rng, requirement.badge_class, SECOND_REFRESH)


def test_a_revocation_or_an_enrollment_alone_counts_as_a_change(recomputed):
    busy, quiet = two_classes_refreshed()
    recomputed.clear()
    IssuedBadge.objects.filter(badge_class=busy.badge_class).update(
        status=IssuedBadge.Status.REVOKED, status_changed_at=FIRST_REFRESH + timedelta(hours=1)
    )
    # A judgement in the run enrolls a learner there (the host's enrollments).
    judged(UserFactory(username="enrolled"), quiet, FIRST_REFRESH + timedelta(hours=2), False)
    rollups.refresh(now=SECOND_REFRESH)
    assert sorted(recomputed) == sorted([busy.badge_class.pk, quiet.badge_class.pk])
    recomputed.clear()
    rollups.refresh(now=SECOND_REFRESH + timedelta(days=1))
    assert recomputed == []


def test_a_write_committed_after_a_refresh_looked_is_seen_by_the_next(recomputed):
    busy, _quiet = two_classes_refreshed()
    recomputed.clear()
    # Stamped just before the first refresh, committed after it had looked.
    learner = UserFactory(username="late-commit")
    when = FIRST_REFRESH - rollups.CHANGE_OVERLAP / 2
    judged(learner, busy, when, True)
    awarded(learner, busy.badge_class, when)
    rollups.refresh(now=SECOND_REFRESH)
    assert recomputed == [busy.badge_class.pk]
    assert_same_as_direct(random.Random(4), busy.badge_class, SECOND_REFRESH)


def test_a_deleted_learner_marks_their_days_and_the_next_refresh_drops_them(recomputed):
    rng = random.Random(11)
    requirement = BadgeRequirementFactory()
    badge_class = requirement.badge_class
    history(rng, requirement, [UserFactory(username=f"r{n}") for n in range(10)], 0, 29)
    gone = UserFactory(username="gone")  # judged, never awarded: the account can be deleted
    judged(gone, requirement, DAY0 + timedelta(days=5), False)
    judged(gone, requirement, DAY0 + timedelta(days=8), True)
    rollups.refresh(now=FIRST_REFRESH)
    gone.delete()  # the account goes, with its judgements
    state = OutcomeRollUp.objects.get(badge_class=badge_class)
    assert state.stale_from == (DAY0 + timedelta(days=5)).date()
    recomputed.clear()
    rollups.refresh(now=SECOND_REFRESH)
    assert recomputed == [badge_class.pk]
    assert OutcomeRollUp.objects.get(badge_class=badge_class).stale_from is None
    assert_same_as_direct(rng, badge_class, SECOND_REFRESH)
