"""Two roll-up refreshers at once on MariaDB: they queue on the badge class's state row and
store the same days one refresher alone would."""

import random
from datetime import timedelta

import pytest

from credplugin.models import OutcomeDay, OutcomeRollUp
from credplugin.outcomes import figures, rollups
from credplugin.outcomes.figures import Scope
from tests.credplugin.outcomes.test_rollups import DAY0, FIRST_REFRESH, SECOND_REFRESH, history
from tests.factories import BadgeRequirementFactory, UserFactory
from tests.integration.threads import run_at_once

pytestmark = pytest.mark.integration


def test_concurrent_refreshers_store_each_day_once_and_exactly(integration_database_url):
    requirement = BadgeRequirementFactory()
    badge_class = requirement.badge_class
    history(
        random.Random(7), requirement, [UserFactory(username=f"r{n}") for n in range(15)], 0, 29
    )
    results, errors = run_at_once(3, lambda: rollups.refresh(now=FIRST_REFRESH))
    assert not errors
    assert max(results) > 0
    days = list(OutcomeDay.objects.filter(badge_class=badge_class).values_list("day", flat=True))
    assert len(days) == len(set(days))
    state = OutcomeRollUp.objects.get(badge_class=badge_class)
    assert state.refreshed_at == FIRST_REFRESH
    start, end = DAY0, DAY0 + timedelta(days=31)
    assert rollups.compute(badge_class, start, end, now=FIRST_REFRESH) == figures.compute(
        Scope.badge_class(badge_class), start, end, now=FIRST_REFRESH
    )


def test_concurrent_refreshers_after_a_change_recompute_it_once(integration_database_url):
    requirement = BadgeRequirementFactory()
    badge_class = requirement.badge_class
    history(
        random.Random(8), requirement, [UserFactory(username=f"s{n}") for n in range(10)], 0, 29
    )
    rollups.refresh(now=FIRST_REFRESH)
    history(random.Random(9), requirement, [UserFactory(username="s-new")], 31, 40)
    results, errors = run_at_once(3, lambda: rollups.refresh(now=SECOND_REFRESH))
    assert not errors
    # The refresher that locks the state row first recomputes; the others find it unchanged.
    assert sorted(results)[:2] == [0, 0]
    assert sorted(results)[2] > 0
    start, end = DAY0, DAY0 + timedelta(days=46)
    assert rollups.compute(badge_class, start, end, now=SECOND_REFRESH) == figures.compute(
        Scope.badge_class(badge_class), start, end, now=SECOND_REFRESH
    )
