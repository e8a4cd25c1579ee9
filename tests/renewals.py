"""Renewable badges for tests: a badge issued by the real pipeline at a fixed moment, a renewal
policy, a renewal assessment in the next course run, and a learner passing (or failing) it.

The clock is moved with time-machine, so every rule is tested at the moment it applies.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from opaque_keys.edx.keys import CourseKey

from credplugin import api
from credplugin.models import IssuedBadge
from tests.factories import criterion_levels, rubric_definition, usage_key_for

ISSUED_AT = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)  # valid for 24 months: until 2028-01-10
EXPIRES = datetime(2028, 1, 10, 12, 0, tzinfo=UTC)
WINDOW_DAYS = 60  # renewal opens 2027-11-11
GRACE_DAYS = 30  # and closes 2028-02-09
NEXT_RUN = CourseKey.from_string("course-v1:credplugin+ethics+2027")
RENEWAL_BLOCK = usage_key_for(NEXT_RUN, "renewal")
RENEWAL_RUBRIC = rubric_definition(criteria=("agents",))


def at(moment):
    """The clock stands still at ``moment`` (a time-machine traveller, used with ``with``)."""
    return time_machine.travel(moment, tick=False)


def register_renewal_assessment():
    return api.register_renewal_assessment(
        course_key=str(NEXT_RUN),
        usage_key=str(RENEWAL_BLOCK),
        title="What changed in 2027: agents",
        renews="ethical-ai-practitioner",
        rubric=RENEWAL_RUBRIC,
        pass_rule={},
        assessment_methods=["project_rubric", "mentor_review"],
    )


def record_renewal_result(learner, rubric_hash, *, passed=True, reviewer_id=None):
    """The learner's judged renewal assessment (a mentor's grade when ``reviewer_id``)."""
    return api.record_assessment_result(
        user_id=learner.id,
        course_key=str(NEXT_RUN),
        usage_key=str(RENEWAL_BLOCK),
        rubric_hash=rubric_hash,
        criterion_levels=criterion_levels(RENEWAL_RUBRIC, "expert" if passed else "novice"),
        scores={},
        points_earned=3 if passed else 0,
        points_possible=3,
        passed=passed,
        evidence=[{"name": "Agent risk review", "url": "https://example.org/agents"}],
        assessment_methods=["project_rubric", "mentor_review"],
        feedback="",
        reviewer_id=reviewer_id,
    )


@pytest.fixture
def renewable(earn, django_capture_on_commit_callbacks):
    """``(badge, renewal rubric hash, renew(learner, moment, passed=True))``: a badge issued
    at ``ISSUED_AT`` whose class renews through the next run's renewal assessment."""
    with at(ISSUED_AT):
        badge = earn("ada")
    api.set_renewal_policy(
        str(badge.badge_class.uuid), window_days=WINDOW_DAYS, grace_days=GRACE_DAYS
    )
    rubric_hash = register_renewal_assessment()["rubric_hash"]

    def renew(learner, moment, *, passed=True):
        with at(moment), django_capture_on_commit_callbacks(execute=True):
            record_renewal_result(learner, rubric_hash, passed=passed)
        return IssuedBadge.objects.select_related("badge_class", "user").get(pk=badge.pk)

    badge.refresh_from_db()
    return badge, rubric_hash, renew
