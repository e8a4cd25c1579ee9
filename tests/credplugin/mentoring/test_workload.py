"""Course staff's figures per mentor: backlog now, turnaround median and p90 by nearest rank."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from credplugin import api
from credplugin.mentoring import workload
from tests.factories import COURSE_KEY

pytestmark = pytest.mark.django_db


def test_backlog_and_turnaround_per_mentor(mentors, learners, submit):
    api.assign_mentor(course_key=str(COURSE_KEY), mentor=mentors[0].pk, learner=learners[0].pk)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        decided = [
            submit(learner, hours_ago=hours)
            for learner, hours in zip(learners[1:5], (2, 4, 6, 30), strict=True)
        ]
        for work in decided:
            api.review_decided(submission_uuid=work, status="graded", reviewer_id=mentors[1].pk)
        submit(learners[0], hours_ago=10)
        submit(learners[5], hours_ago=1)
        old = submit(learners[6], hours_ago=24 * 200)  # decided long ago: outside the span
    with time_machine.travel(start - timedelta(days=120), tick=False):
        api.review_decided(submission_uuid=old, status="graded", reviewer_id=mentors[1].pk)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        rows = {
            row["mentor"].username if row["mentor"] else None: row
            for row in workload.per_mentor(COURSE_KEY)
        }
    assert rows["mentor0"] | {"mentor": None} == {
        "mentor": None,
        "waiting": 1,
        "oldest_hours": 11.0,
        "reviewed": 0,
        "median_hours": None,
        "p90_hours": None,
    }
    # turnarounds 2, 4, 6, 30 h: median = 2nd of 4, p90 = 4th of 4
    assert (
        rows["mentor1"]["reviewed"],
        rows["mentor1"]["median_hours"],
        rows["mentor1"]["p90_hours"],
    ) == (4, 4.0, 30.0)
    assert (rows[None]["waiting"], rows[None]["oldest_hours"]) == (1, 2.0)
    assert rows["mentor2"]["waiting"] == 0


def test_a_retired_learner_or_mentor_leaves_the_queue_and_the_assignments(
    mentors, learners, submit
):
    from credplugin.mentoring.models import MentorAssignment, ReviewQueueEntry  # noqa: PLC0415
    from credplugin.outcomes import retirement  # noqa: PLC0415

    api.assign_mentor(course_key=str(COURSE_KEY), mentor=mentors[0].pk, learner=learners[0].pk)
    api.assign_mentor(course_key=str(COURSE_KEY), mentor=mentors[1].pk, learner=learners[1].pk)
    submit(learners[0])
    decided = submit(learners[1])
    api.review_decided(submission_uuid=decided, status="graded", reviewer_id=mentors[0].pk)
    retirement.retire_learner(learners[0].pk)
    retirement.retire_learner(mentors[0].pk)
    assert list(ReviewQueueEntry.objects.values_list("learner_id", "reviewer_id")) == [
        (learners[1].pk, None)
    ]
    assert list(MentorAssignment.objects.values_list("learner_id", flat=True)) == [learners[1].pk]
