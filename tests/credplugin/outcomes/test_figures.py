"""Every programme figure against the hand-computed cohort of ``data.py``."""

import uuid
from datetime import timedelta

import pytest
import time_machine

from credplugin import api
from credplugin.models import IssuanceRequest, IssuedBadge, SurveyInvitation, SurveyResponse
from credplugin.outcomes import figures
from credplugin.outcomes.figures import Scope
from tests.credplugin.outcomes.data import END, START, day, judged, q1_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1():
    requirement, learners = q1_cohort()
    scope = Scope.badge_class(requirement.badge_class)
    return scope, figures.compute(scope, START, END), requirement, learners


def test_earners_are_those_whose_first_award_fell_in_the_period(q1):
    assert q1[1]["earners"] == {"n": 4, "value": 4}  # u1, u2, u3, u5


def test_completion_counts_who_enrolled_in_the_period_and_earned_at_any_time(q1):
    # enrolled (first attempt, standalone) in Q1: u1 u2 u3 u4 u6; of them earned: u1 u2 u3 u6
    assert q1[1]["completion_rate"] == {"n": 5, "count": 4, "value": 0.8}


def test_a_learner_who_first_earned_and_enrolled_before_a_period_is_not_counted_in_it(q1):
    scope, _figures, requirement, learners = q1
    u5 = learners["u5"]  # judged in December, awarded on 2 January
    judged(u5, requirement, day(2, 10), True)
    request = IssuanceRequest.objects.create(
        user=u5,
        badge_class=requirement.badge_class,
        generation=2,
        status=IssuanceRequest.Status.ISSUED,
        status_list_sequence=2,
        status_list_index=0,
    )
    IssuedBadge.objects.create(
        request=request,
        user=u5,
        badge_class=requirement.badge_class,
        generation=2,
        credential={},
        issued_at=day(2, 11),
        status_list_sequence=2,
        status_list_index=0,
    )
    february_on = figures.compute(scope, day(2, 1), END)
    assert february_on["earners"] == {"n": 1, "value": 1}  # u3, not u5 again
    # enrolled (first attempt) from February: u6 only; u5 re-attempted but enrolled before
    assert february_on["completion_rate"] == {"n": 1, "count": 1, "value": 1.0}


def test_first_attempt_pass_and_revision_rates(q1):
    # attempt histories starting in Q1: u1 (fail, pass), u2, u3, u4 (fail), u6
    assert q1[1]["first_attempt_pass_rate"] == {"n": 5, "count": 3, "value": 0.6}
    assert q1[1]["revision_rate"] == {"n": 5, "count": 1, "value": 0.2}


def test_time_to_competency_median_and_p90(q1):
    # u2 1 day, u1 8, u5 13, u3 31: median = 2nd of 4, p90 = 4th of 4 (nearest rank)
    expected = {"n": 4, "median": 8.0, "p90": 31.0}
    assert q1[1]["days_enrollment_to_award"] == expected
    assert q1[1]["days_first_attempt_to_award"] == expected


def test_levels_per_criterion_and_ethics_bands_of_the_earners(q1):
    assert q1[1]["criterion_levels"] == {
        "design": {"n": 4, "counts": {"expert": 1, "proficient": 3}},
        "ethics": {"n": 4, "counts": {"expert": 1, "proficient": 3}},
    }
    assert q1[1]["ethics_score_bands"] == {
        "n": 4,
        "counts": {"0.8–1": 2, "0.4–0.6": 1, "0.6–0.8": 1},
    }


def test_revocation_suspension_and_lapse_rates(q1):
    assert q1[1]["revocation_rate"] == {"n": 4, "count": 1, "value": 0.25}
    assert q1[1]["suspension_rate"] == {"n": 4, "count": 0, "value": 0.0}
    assert q1[1]["lapse_rate"] == {"n": 4, "count": 1, "value": 0.25}


def test_a_scope_of_every_run_and_of_the_course_sees_the_same_cohort(q1):
    scope, expected, requirement, _ = q1
    badge_class = requirement.badge_class
    for other in (
        Scope.achievement(badge_class.achievement_uuid),
        Scope.course(badge_class.catalog_course),
    ):
        assert figures.compute(other, START, END)["earners"] == expected["earners"]


def test_mentor_turnaround_from_the_review_queue(q1):
    scope, _, requirement, learners = q1
    course, block = requirement.badge_class.course_key, requirement.usage_key
    hours = [12, 36]
    for learner, turnaround in zip(("u1", "u2"), hours, strict=True):
        work = uuid.uuid4()
        api.review_waiting(
            submission_uuid=work,
            course_key=course,
            usage_key=block,
            title="Project",
            learner_id=learners[learner].pk,
            submitted_at=day(2, 1),
        )
        with time_machine.travel(day(2, 1) + timedelta(hours=turnaround), tick=False):
            api.review_decided(submission_uuid=work, status="graded", reviewer_id=None)
    late = uuid.uuid4()  # decided after the period
    api.review_waiting(
        submission_uuid=late,
        course_key=course,
        usage_key=block,
        title="Project",
        learner_id=learners["u3"].pk,
        submitted_at=day(2, 1),
    )
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        api.review_decided(submission_uuid=late, status="graded", reviewer_id=None)
    result = figures.compute(scope, START, END)["mentor_turnaround_hours"]
    assert result == {"n": 2, "median": 12.0, "p90": 36.0}


def test_percentiles_by_nearest_rank():
    assert figures.percentile([], 0.5) is None
    assert figures.percentile([5], 0.9) == 5
    assert figures.percentile(list(range(1, 11)), 0.9) == 9
    assert figures.percentile(list(range(1, 11)), 0.5) == 5


def test_survey_figures_count_only_consenting_answers_of_the_cohort(q1):
    scope, _, requirement, learners = q1
    answers = {
        # learner: (offset, job change, promoted, more responsibility, pay, applies, consent)
        "u1": (30, "new_role", True, True, "up_to_10", 4, True),
        "u2": (30, "none", False, True, "", 2, True),
        "u3": (30, "new_employer", True, False, "over_25", 3, False),  # no consent
        "u5": (90, "none", False, False, "same", 1, True),  # another survey
        "u6": (30, "none", False, False, "same", 0, True),  # earned in Q2
    }
    for name, (offset, job, promoted, more, pay, applies, consent) in answers.items():
        invitation = SurveyInvitation.objects.create(
            badge=IssuedBadge.objects.get(user=learners[name]), offset_days=offset
        )
        SurveyResponse.objects.create(
            invitation=invitation,
            job_change=job,
            promotion=promoted,
            more_responsibility=more,
            pay_change=pay,
            applies_competencies=applies,
            consent=consent,
            submitted_at=day(3, 1),
            updated_at=day(3, 1),
        )
    assert figures.survey_figures(scope, START, END, 30) == {
        "respondents": {"n": 2, "value": 2},
        "job_change": {"n": 2, "counts": {"new_role": 1, "none": 1}},
        "promotion_rate": {"n": 2, "count": 1, "value": 0.5},
        "more_responsibility_rate": {"n": 2, "count": 2, "value": 1.0},
        "pay_change": {"n": 1, "counts": {"up_to_10": 1}},
        "applies_competencies": {"n": 2, "counts": {"4": 1, "2": 1}},
    }
    assert figures.survey_figures(scope, START, END, 90)["respondents"] == {"n": 1, "value": 1}
